import { AtrFormatError } from "./errors";
import { decodeDi, decodeFi } from "./timing";

// The answer to reset, ISO/IEC 7816-3:2006, clause 8: TS, T0, interface bytes TAi TBi TCi TDi,
// historical bytes, TCK. This file reads the structure and the parameters it codes; the EMV
// acceptance rules are in atr-emv.ts.

export type Convention = "direct" | "inverse";

/** TS (8.1): '3B' direct convention, '3F' inverse convention. */
export const TS_DIRECT = 0x3b;
export const TS_INVERSE = 0x3f;

/** At most 32 characters follow TS (8.2.1). */
export const ATR_MAX_LENGTH = 33;

/** One group of interface bytes: TAi TBi TCi TDi for i = 1, 2, ... */
export interface InterfaceGroup {
  /** i, from 1. */
  index: number;
  /** The protocol the bytes of this group belong to: for i >= 2, T from TD(i-1); null for i = 1 (global). */
  protocol: number | null;
  TA?: number;
  TB?: number;
  TC?: number;
  TD?: number;
}

/** The parameters of T=1 (11.4): from the first TA, TB, TC after a TD that indicates T=1. */
export interface T1Parameters {
  /** IFSC, the card's maximum information field (11.4.2); 32 when absent. */
  ifsc: number;
  /** BWI and CWI from the first TB for T=1 (11.4.3); 4 and 13 when absent. */
  bwi: number;
  cwi: number;
  /** Error detection code (11.4.4): LRC unless the first TC for T=1 has bit 1 set. */
  edc: "lrc" | "crc";
  /** The raw first TA, TB and TC for T=1 (to tell "absent" from "default"), with their i. */
  ta?: { index: number; value: number };
  tb?: { index: number; value: number };
  tc?: { index: number; value: number };
}

export interface Atr {
  bytes: Uint8Array;
  convention: Convention;
  ts: number;
  t0: number;
  groups: InterfaceGroup[];
  historical: Uint8Array;
  tck: number | null;
  /** True or false when TCK is present, null when it is absent. */
  tckValid: boolean | null;
  /** Offered protocols in the order the TDi list them (T=15 is not a protocol); [0] without TD1. */
  protocols: number[];
  /** Fi, Di and fmax from TA1 (8.3), or the defaults 372, 1, 5 MHz without TA1. */
  Fi: number;
  Di: number;
  fmaxHz: number;
  /** Extra guard time N from TC1 (8.3), 0 when absent. */
  N: number;
  /** TA2 (8.3): the card is in specific mode with this protocol; null when absent (negotiable mode). */
  specificMode: { protocol: number; implicitEtu: boolean; canChange: boolean } | null;
  /** WI for T=0 from TC2 (10.2), 10 when absent. */
  wi: number;
  /** T=1 parameters, or null when T=1 is not offered. */
  t1: T1Parameters | null;
  /** Values ISO/IEC 7816-3 reserves or forbids (the ATR still parses). */
  problems: string[];
}

function hex2(b: number): string {
  return (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
}

/**
 * How many characters the ATR whose first characters are `prefix` has in all, as far as the prefix
 * tells: a reader of the line asks for more until `complete` (8.2.2: T0 and each TDi say which
 * interface bytes follow, T0 says how many historical bytes; TCK follows unless only T=0 is
 * offered, 8.2.5).
 */
export function atrLength(prefix: Uint8Array): { length: number; complete: boolean } {
  if (prefix.length < 2) return { length: 2, complete: false };
  let index = 1; // position of the current Y (T0, then each TDi)
  let tckRequired = false;
  for (;;) {
    const y = prefix[index];
    let next = index + 1;
    if (y & 0x10) next++;
    if (y & 0x20) next++;
    if (y & 0x40) next++;
    if (!(y & 0x80)) {
      const length = next + (prefix[1] & 0x0f) + (tckRequired ? 1 : 0);
      return { length, complete: true };
    }
    // TD is at `next`; it must be read before the rest of the structure is known.
    if (prefix.length <= next) return { length: next + 1, complete: false };
    const t = prefix[next] & 0x0f;
    if (t !== 0) tckRequired = true;
    index = next;
  }
}

/**
 * Parses a complete ATR, as characters decoded in the convention TS announced. Throws
 * AtrFormatError when the bytes are not an ATR at all (bad TS, truncated, too long); values the
 * standard reserves are listed in `problems`.
 */
export function parseAtr(bytes: Uint8Array): Atr {
  if (!(bytes instanceof Uint8Array)) throw new AtrFormatError("atr: expected bytes");
  if (bytes.length < 2) throw new AtrFormatError(`atr: ${bytes.length} bytes is shorter than TS and T0`);
  if (bytes.length > ATR_MAX_LENGTH) {
    throw new AtrFormatError(`atr: ${bytes.length} bytes is longer than ${ATR_MAX_LENGTH} (ISO 7816-3, 8.2.1)`);
  }
  const ts = bytes[0];
  if (ts !== TS_DIRECT && ts !== TS_INVERSE) {
    throw new AtrFormatError(`atr: TS '${hex2(ts)}' is neither '3B' nor '3F' (ISO 7816-3, 8.1)`);
  }
  const problems: string[] = [];
  const t0 = bytes[1];
  const groups: InterfaceGroup[] = [];
  let pos = 2;
  let y = t0 >> 4;
  let protocol: number | null = null;
  const take = (what: string): number => {
    if (pos >= bytes.length) throw new AtrFormatError(`atr: truncated before ${what} (ISO 7816-3, 8.2.2)`);
    return bytes[pos++];
  };
  for (let i = 1; ; i++) {
    const g: InterfaceGroup = { index: i, protocol };
    if (y & 0x1) g.TA = take(`TA${i}`);
    if (y & 0x2) g.TB = take(`TB${i}`);
    if (y & 0x4) g.TC = take(`TC${i}`);
    if (y & 0x8) g.TD = take(`TD${i}`);
    groups.push(g);
    if (g.TD === undefined) break;
    y = g.TD >> 4;
    protocol = g.TD & 0x0f;
  }
  const k = t0 & 0x0f;
  if (pos + k > bytes.length) throw new AtrFormatError(`atr: truncated in the ${k} historical bytes (ISO 7816-3, 8.2.4)`);
  const historical = bytes.slice(pos, pos + k);
  pos += k;

  // 8.2.3: the protocols offered, in the order of TD1, TD2, ...; T=15 only qualifies global bytes.
  const protocols: number[] = [];
  const indicated: number[] = [];
  for (const g of groups) {
    if (g.TD === undefined) continue;
    const t = g.TD & 0x0f;
    indicated.push(t);
    if (t !== 15 && !protocols.includes(t)) protocols.push(t);
  }
  if (protocols.length === 0) protocols.push(0);

  // 8.2.5: TCK is absent when only T=0 is indicated, present otherwise; the XOR of T0..TCK is 0.
  const tckRequired = indicated.some((t) => t !== 0);
  let tck: number | null = null;
  let tckValid: boolean | null = null;
  if (pos < bytes.length) {
    tck = bytes[pos++];
    let x = 0;
    for (let i = 1; i < pos; i++) x ^= bytes[i];
    tckValid = x === 0;
    if (!tckRequired) problems.push("TCK is present although only T=0 is offered (ISO 7816-3, 8.2.5)");
  } else if (tckRequired) {
    problems.push("TCK is missing although a protocol other than T=0 is offered (ISO 7816-3, 8.2.5)");
  }
  if (pos < bytes.length) throw new AtrFormatError(`atr: ${bytes.length - pos} bytes after the end of the ATR`);
  if (tckValid === false) problems.push("TCK is wrong: T0 to TCK do not XOR to '00' (ISO 7816-3, 8.2.5)");

  // Global interface bytes (8.3).
  const g1 = groups[0];
  const g2 = groups[1] as InterfaceGroup | undefined;
  let Fi = 372;
  let Di = 1;
  let fmaxHz = 5e6;
  if (g1.TA !== undefined) {
    const f = decodeFi(g1.TA >> 4);
    const d = decodeDi(g1.TA & 0x0f);
    if (f) {
      Fi = f.Fi;
      fmaxHz = f.fmaxHz;
    } else problems.push(`TA1 '${hex2(g1.TA)}' codes a reserved Fi (ISO 7816-3, 8.3, table 7)`);
    if (d) Di = d;
    else problems.push(`TA1 '${hex2(g1.TA)}' codes a reserved Di (ISO 7816-3, 8.3, table 8)`);
  }
  const N = g1.TC ?? 0;
  let specificMode: Atr["specificMode"] = null;
  if (g2 && g2.TA !== undefined) {
    specificMode = { protocol: g2.TA & 0x0f, canChange: (g2.TA & 0x80) === 0, implicitEtu: (g2.TA & 0x10) !== 0 };
  }
  let wi = 10;
  if (g2 && g2.TC !== undefined) {
    if (g2.TC === 0) problems.push("TC2 '00' codes WI = 0, which is reserved (ISO 7816-3, 10.2)");
    else wi = g2.TC;
  }

  // T=1 specific bytes: the first TAi, TBi, TCi (i >= 3) after a TD(i-1) that indicates T=1 (11.4).
  let t1: T1Parameters | null = null;
  if (protocols.includes(1)) {
    t1 = { ifsc: 32, bwi: 4, cwi: 13, edc: "lrc" };
    for (const g of groups) {
      if (g.index < 3 || g.protocol !== 1) continue;
      if (g.TA !== undefined && !t1.ta) t1.ta = { index: g.index, value: g.TA };
      if (g.TB !== undefined && !t1.tb) t1.tb = { index: g.index, value: g.TB };
      if (g.TC !== undefined && !t1.tc) t1.tc = { index: g.index, value: g.TC };
    }
    if (t1.ta) {
      if (t1.ta.value === 0x00 || t1.ta.value === 0xff) {
        problems.push(`TA${t1.ta.index} '${hex2(t1.ta.value)}' is a reserved IFSC (ISO 7816-3, 11.4.2)`);
      } else t1.ifsc = t1.ta.value;
    }
    if (t1.tb) {
      t1.bwi = t1.tb.value >> 4;
      t1.cwi = t1.tb.value & 0x0f;
      if (t1.bwi > 9) problems.push(`TB${t1.tb.index} codes BWI ${t1.bwi}, above 9 (ISO 7816-3, 11.4.3)`);
    }
    if (t1.tc) t1.edc = (t1.tc.value & 0x01) === 1 ? "crc" : "lrc";
  }

  return {
    bytes: bytes.slice(),
    convention: ts === TS_DIRECT ? "direct" : "inverse",
    ts,
    t0,
    groups,
    historical,
    tck,
    tckValid,
    protocols,
    Fi,
    Di,
    fmaxHz,
    N,
    specificMode,
    wi,
    t1,
    problems,
  };
}

/** The interface byte TA/TB/TC/TD of group i (1-based), or undefined when absent. */
export function interfaceByte(atr: Atr, kind: "TA" | "TB" | "TC" | "TD", i: number): number | undefined {
  const g = atr.groups[i - 1];
  return g ? g[kind] : undefined;
}
