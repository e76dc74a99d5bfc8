import { fromHex } from "../../kernel/bytes";
import { parseAtr } from "../../kernel/iso7816/atr";
import { checkEmvAtr } from "../../kernel/iso7816/atr-emv";

/** An ATR from its characters after TS ('3B'), with the TCK appended when `tck`. */
function atr(hex: string, tck = false): Uint8Array {
  const b = fromHex("3B" + hex);
  if (!tck) return b;
  let x = 0;
  for (let i = 1; i < b.length; i++) x ^= b[i];
  return new Uint8Array([...b, x]);
}

function verdict(bytes: Uint8Array, reset: "cold" | "warm" = "cold") {
  return checkEmvAtr(parseAtr(bytes), reset);
}

// The basic ATRs of EMV Book 1, 8.2 / 8.3: T=0 '3B 6x 00 00', T=1 '3B Ex 00 00 81 31 FE 45 TCK'.
const T1_BASIC = "E000008131FE45";

describe("EMV Book 1, 8.3: the terminal's acceptance of each ATR character", () => {
  it("accepts the basic T=0 and T=1 ATRs and takes their parameters", () => {
    const t0 = verdict(atr("600000"));
    expect(t0.accepted).toBe(true);
    expect(t0.parameters).toMatchObject({ protocol: 0, Fi: 372, Di: 1, N: 0, wi: 10 });
    const t1 = verdict(atr(T1_BASIC, true));
    expect(t1.accepted).toBe(true);
    expect(t1.parameters).toMatchObject({ protocol: 1, ifsc: 254, bwi: 4, cwi: 5 });
  });

  it("8.3.3.1: TA1 '11' to '13' in specific mode sets D = 1, 2, 4; other TA1 in specific mode is rejected", () => {
    // T0 F0: TA1 TB1 TC1 TD1; TD1 10: TA2 follows, T=0; TA2 00: specific mode for T=0
    expect(verdict(atr("F0110000100 0".replace(" ", ""))).parameters).toMatchObject({ Di: 1 });
    expect(verdict(atr("F012000010 00".replace(" ", ""))).parameters).toMatchObject({ Di: 2 });
    expect(verdict(atr("F013000010 00".replace(" ", ""))).parameters).toMatchObject({ Di: 4 });
    const bad = verdict(atr("F096000010 00".replace(" ", "")));
    expect(bad.accepted).toBe(false);
    expect(bad.problems.join()).toMatch(/8\.3\.3\.1/);
  });

  it("8.3.3.1: in negotiable mode (no TA2) any TA1 is accepted and D stays 1", () => {
    const v = verdict(atr("7096000000".slice(0, 8)));
    expect(v.accepted).toBe(true);
    expect(v.parameters).toMatchObject({ Fi: 372, Di: 1 });
  });

  it("8.3.3.2: after a cold reset only TB1 = '00'; after a warm reset TB1 of any value or none", () => {
    expect(verdict(atr("602500")).accepted).toBe(false);
    expect(verdict(atr("602500"), "warm").accepted).toBe(true);
    expect(verdict(atr("00")).accepted).toBe(false);
    expect(verdict(atr("00"), "warm").accepted).toBe(true);
  });

  it("8.3.3.3: any TC1 is accepted and gives N", () => {
    expect(verdict(atr("6000FF")).parameters).toMatchObject({ N: 255 });
    expect(verdict(atr("600020")).parameters).toMatchObject({ N: 32 });
  });

  it("8.3.3.4: TD1 offering a protocol other than T=0 or T=1 first is rejected", () => {
    expect(verdict(atr("E0000002", true)).problems.join()).toMatch(/8\.3\.3\.4/);
  });

  it("8.3.3.5: TA2 must name the first protocol and not ask for an implicit etu", () => {
    // T0 E0 (TB1 TC1 TD1), TD1 10 (TA2, T=0), TA2 01 (T=1): not the first protocol
    expect(verdict(atr("E000001001", true)).problems.join()).toMatch(/8\.3\.3\.5/);
    expect(verdict(atr("E000001010", true)).problems.join()).toMatch(/implicit/);
    expect(verdict(atr("E000001000")).accepted).toBe(true);
  });

  it("8.3.3.6: TB2 is rejected", () => {
    expect(verdict(atr("E000002000")).problems.join()).toMatch(/TB2/);
  });

  it("8.3.3.7: TC2 '00' is rejected; other WI are run", () => {
    expect(verdict(atr("E000004000")).accepted).toBe(false);
    expect(verdict(atr("E000004014")).parameters).toMatchObject({ wi: 0x14 });
  });

  it("8.3.3.8: TD2 offers T=1 (or 'E') after T=0, T=1 after T=1; T=1 without TD2 is rejected", () => {
    expect(verdict(atr("E000008001", true)).accepted).toBe(true); // T=0 first, then T=1
    expect(verdict(atr("E000008002", true)).problems.join()).toMatch(/8\.3\.3\.8/);
    expect(verdict(atr("E000008100", true)).problems.join()).toMatch(/8\.3\.3\.8/); // T=1 then T=0
    expect(verdict(atr("E0000001", true)).problems.join()).toMatch(/TD2 is absent/);
  });

  it("8.3.3.9: TA3 (IFSC) '10' to 'FE' is accepted, '00' to '0F' and 'FF' rejected; 32 when absent", () => {
    expect(verdict(atr("E000008131" + "10" + "45", true)).parameters).toMatchObject({ ifsc: 0x10 });
    expect(verdict(atr("E000008131" + "0F" + "45", true)).problems.join()).toMatch(/8\.3\.3\.9/);
    expect(verdict(atr("E000008131" + "FF" + "45", true)).accepted).toBe(false);
    expect(verdict(atr("E00000812145", true)).parameters).toMatchObject({ ifsc: 32 });
  });

  it("8.3.3.10: TB3 is mandatory for T=1, BWI <= 4, CWI <= 5, and 2^CWI >= N + 1", () => {
    expect(verdict(atr("E0000081 11 FE".replace(/ /g, ""), true)).problems.join()).toMatch(/TB3 is absent/);
    expect(verdict(atr("E000008131FE55", true)).problems.join()).toMatch(/BWI 5/);
    expect(verdict(atr("E000008131FE46", true)).problems.join()).toMatch(/CWI 6/);
    // N = 32 (TC1 '20'), CWI 4: 16 < 33
    expect(verdict(atr("E000208131FE44", true)).problems.join()).toMatch(/2\^CWI < N \+ 1/);
    // N = 255 counts as -1: CWI 0 is fine
    expect(verdict(atr("E000FF8131FE40", true)).accepted).toBe(true);
  });

  it("8.3.3.11: TC3 other than '00' (LRC) is rejected", () => {
    expect(verdict(atr("E000008171FE4500", true)).accepted).toBe(true);
    expect(verdict(atr("E000008171FE4501", true)).problems.join()).toMatch(/8\.3\.3\.11/);
  });

  it("8.3.4: TCK may be absent with T=0 only; otherwise it must be present and right", () => {
    expect(verdict(atr(T1_BASIC)).problems.join()).toMatch(/TCK is absent/);
    const wrong = atr(T1_BASIC, true);
    wrong[wrong.length - 1] ^= 1;
    expect(verdict(wrong).problems.join()).toMatch(/TCK is wrong/);
  });
});
