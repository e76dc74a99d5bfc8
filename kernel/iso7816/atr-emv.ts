import type { ResetKind } from "../../hal/contact-slot";
import { interfaceByte, type Atr, type Convention } from "./atr";

// The terminal's acceptance rules for the ATR, EMV Book 1 (v4.3), 8.3: each interface character
// either is accepted (and sets a parameter) or makes the terminal reject the ATR. A rejected ATR
// after a cold reset leads to a warm reset; after a warm reset to deactivation (EMV Book 1, 6.1 and 8.4).

/** What the terminal runs the card with once the ATR is accepted. */
export interface ProtocolParameters {
  protocol: 0 | 1;
  convention: Convention;
  /** F stays 372 for EMV; D is 1, 2 or 4 (TA1 '11' to '13' in specific mode), else 1. */
  Fi: number;
  Di: number;
  /** Extra guard time N (TC1). */
  N: number;
  /** T=0 waiting time integer (TC2). */
  wi: number;
  /** T=1: IFSC (TA3), BWI and CWI (TB3). */
  ifsc: number;
  bwi: number;
  cwi: number;
}

export interface EmvAtrVerdict {
  accepted: boolean;
  /** Each rule the ATR broke, with its clause. Empty when accepted. */
  problems: string[];
  /** Present when accepted. */
  parameters: ProtocolParameters | null;
}

function hex2(b: number): string {
  return (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
}

/** Applies EMV Book 1, 8.3 to a parsed ATR received after a cold or a warm reset. */
export function checkEmvAtr(atr: Atr, reset: ResetKind): EmvAtrVerdict {
  const problems: string[] = [];
  const TA1 = interfaceByte(atr, "TA", 1);
  const TB1 = interfaceByte(atr, "TB", 1);
  const TD1 = interfaceByte(atr, "TD", 1);
  const TA2 = interfaceByte(atr, "TA", 2);
  const TB2 = interfaceByte(atr, "TB", 2);
  const TC2 = interfaceByte(atr, "TC", 2);
  const TD2 = interfaceByte(atr, "TD", 2);

  // 8.3.1 TS is '3B' or '3F', and 8.3.2 T0 is consistent with the bytes returned: parseAtr checked both.

  // 8.3.3.4 TD1: the first protocol is T=0 or T=1.
  const first = TD1 === undefined ? 0 : TD1 & 0x0f;
  if (first !== 0 && first !== 1) {
    problems.push(`TD1 '${hex2(TD1 as number)}' offers T=${first}; the terminal accepts T=0 or T=1 first (EMV Book 1, 8.3.3.4)`);
  }

  // 8.3.3.1 TA1 and 8.3.3.5 TA2: in specific mode the terminal must run F and D of TA1 at once;
  // it accepts TA1 '11' to '13' (F = 372, D = 1, 2, 4). In negotiable mode (no TA2) it keeps
  // F = 372, D = 1, whatever TA1 says, since it does not do PPS.
  let Di = 1;
  if (TA2 !== undefined) {
    if ((TA2 & 0x0f) !== first) {
      problems.push(`TA2 '${hex2(TA2)}' names T=${TA2 & 0x0f}, not the first protocol T=${first} (EMV Book 1, 8.3.3.5)`);
    }
    if (TA2 & 0x10) problems.push(`TA2 '${hex2(TA2)}' asks for an implicit etu (b5 = 1) (EMV Book 1, 8.3.3.5)`);
    if (TA1 !== undefined) {
      if (TA1 >= 0x11 && TA1 <= 0x13) Di = atr.Di;
      else problems.push(`TA1 '${hex2(TA1)}' in specific mode is outside '11' to '13' (EMV Book 1, 8.3.3.1)`);
    }
  }

  // 8.3.3.2 TB1: after a cold reset only TB1 = '00' (no programming voltage); after a warm reset any.
  if (reset === "cold" && TB1 !== 0x00) {
    problems.push(TB1 === undefined
      ? "TB1 is absent after a cold reset; the terminal accepts only TB1 = '00' (EMV Book 1, 8.3.3.2)"
      : `TB1 '${hex2(TB1)}' after a cold reset; the terminal accepts only '00' (EMV Book 1, 8.3.3.2)`);
  }

  // 8.3.3.3 TC1: any value; N = 255 means the minimum character distance (applied by the engines).

  // 8.3.3.6 TB2 is rejected (programming voltage).
  if (TB2 !== undefined) problems.push(`TB2 '${hex2(TB2)}' is present (EMV Book 1, 8.3.3.6)`);

  // 8.3.3.7 TC2 (T=0 WI): '00' is rejected; the terminal supports every other WI.
  if (TC2 === 0x00) problems.push("TC2 '00' codes WI = 0 (EMV Book 1, 8.3.3.7)");

  // 8.3.3.8 TD2: after TD1 T=0 it offers T=1 or T=14 ('E'); after TD1 T=1 it offers T=1 again.
  // T=1 needs TD2, since TB3 is mandatory for it.
  if (TD2 !== undefined) {
    const t2 = TD2 & 0x0f;
    const ok = first === 1 ? t2 === 1 : t2 === 1 || t2 === 0x0e;
    if (!ok) problems.push(`TD2 '${hex2(TD2)}' offers T=${t2} after T=${first} (EMV Book 1, 8.3.3.8)`);
  } else if (first === 1) {
    problems.push("TD2 is absent although TD1 offers T=1, so TB3 is missing (EMV Book 1, 8.3.3.8, 8.3.3.10)");
  }

  // T=1 characters, when T=1 is the protocol the terminal will run.
  const t1 = atr.t1;
  if (first === 1 && t1) {
    // 8.3.3.9 TA3: IFSC '10' to 'FE'; 32 when absent.
    if (t1.ta && (t1.ta.value < 0x10 || t1.ta.value === 0xff)) {
      problems.push(`TA${t1.ta.index} '${hex2(t1.ta.value)}' codes an IFSC outside '10' to 'FE' (EMV Book 1, 8.3.3.9)`);
    }
    // 8.3.3.10 TB3: mandatory, BWI <= 4, CWI <= 5, and 2^CWI >= N + 1 (N = 255 counts as -1).
    if (!t1.tb) {
      problems.push("TB3 is absent; T=1 needs BWI and CWI (EMV Book 1, 8.3.3.10)");
    } else {
      if (t1.bwi > 4) problems.push(`TB${t1.tb.index} '${hex2(t1.tb.value)}' codes BWI ${t1.bwi}, above 4 (EMV Book 1, 8.3.3.10)`);
      if (t1.cwi > 5) problems.push(`TB${t1.tb.index} '${hex2(t1.tb.value)}' codes CWI ${t1.cwi}, above 5 (EMV Book 1, 8.3.3.10)`);
      const n = atr.N === 255 ? -1 : atr.N;
      if (Math.pow(2, t1.cwi) < n + 1) {
        problems.push(`TB${t1.tb.index} '${hex2(t1.tb.value)}' has 2^CWI < N + 1 with N = ${atr.N} (EMV Book 1, 8.3.3.10)`);
      }
    }
    // 8.3.3.11 TC3: '00' only (LRC).
    if (t1.tc && t1.tc.value !== 0x00) {
      problems.push(`TC${t1.tc.index} '${hex2(t1.tc.value)}' is not '00'; the terminal uses LRC only (EMV Book 1, 8.3.3.11)`);
    }
  }

  // 8.3.4 TCK: may be absent when only T=0 is offered; otherwise present and correct.
  const onlyT0 = atr.groups.every((g) => g.TD === undefined || (g.TD & 0x0f) === 0);
  if (atr.tck === null && !onlyT0) problems.push("TCK is absent although T=0 is not the only protocol (EMV Book 1, 8.3.4)");
  if (atr.tckValid === false) problems.push("TCK is wrong (EMV Book 1, 8.3.4)");

  if (problems.length > 0) return { accepted: false, problems, parameters: null };
  return {
    accepted: true,
    problems,
    parameters: {
      protocol: first as 0 | 1,
      convention: atr.convention,
      Fi: 372,
      Di,
      N: atr.N,
      wi: atr.wi,
      ifsc: t1 ? t1.ifsc : 32,
      bwi: t1 ? t1.bwi : 4,
      cwi: t1 ? t1.cwi : 13,
    },
  };
}
