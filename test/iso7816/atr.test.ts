import { readFileSync } from "fs";
import { join } from "path";
import { fromHex, toHex } from "../../kernel/bytes";
import { atrLength, parseAtr } from "../../kernel/iso7816/atr";
import { checkEmvAtr } from "../../kernel/iso7816/atr-emv";
import { AtrFormatError } from "../../kernel/iso7816/errors";

const real = JSON.parse(readFileSync(join(__dirname, "real-atrs.json"), "utf8")) as {
  atrs: { line: number; label: string; hex: string; expect: Record<string, unknown> }[];
};

describe("ATR of real cards (pcsc-tools smartcard_list.txt)", () => {
  for (const card of real.atrs) {
    it(`${card.label} (line ${card.line}): ${card.hex}`, () => {
      const atr = parseAtr(fromHex(card.hex));
      const e = card.expect;
      expect(atr.convention).toBe(e.convention);
      expect(atr.protocols).toEqual(e.protocols);
      expect(atr.Fi).toBe(e.Fi);
      expect(atr.Di).toBe(e.Di);
      expect(atr.N).toBe(e.N);
      expect(atr.t1 ? atr.t1.ifsc : null).toBe(e.ifsc);
      expect(atr.t1 ? atr.t1.bwi : null).toBe(e.bwi);
      expect(atr.t1 ? atr.t1.cwi : null).toBe(e.cwi);
      expect(toHex(atr.historical)).toBe(e.historical);
      expect(atr.tck === null ? null : toHex(new Uint8Array([atr.tck]))).toBe(e.tck);
      expect(atr.tckValid).toBe(e.tckValid);
      expect(atr.problems).toEqual([]);
      expect(checkEmvAtr(atr, "cold").accepted).toBe(e.emvCold);
      expect(checkEmvAtr(atr, "warm").accepted).toBe(e.emvWarm);
      // Reading the line character by character finds the same length (8.2.2).
      const bytes = fromHex(card.hex);
      let n = 1;
      for (;;) {
        const need = atrLength(bytes.subarray(0, n));
        if (need.complete && n >= need.length) break;
        n = need.length;
      }
      expect(n).toBe(bytes.length);
    });
  }
});

describe("ATR structure (ISO/IEC 7816-3:2006, clause 8)", () => {
  it("8.1: TS other than '3B' or '3F' is not an ATR", () => {
    expect(() => parseAtr(fromHex("3C6000 00".replace(" ", "")))).toThrow(AtrFormatError);
  });

  it("8.2.2: T0 announcing more bytes than present is a truncated ATR", () => {
    expect(() => parseAtr(fromHex("3B6500002063"))).toThrow(/historical/);
    expect(() => parseAtr(fromHex("3BE00000"))).toThrow(/TD1/);
    expect(() => parseAtr(fromHex("3B"))).toThrow(AtrFormatError);
  });

  it("8.2.1: more than 32 characters after TS is refused", () => {
    expect(() => parseAtr(fromHex("3B0F" + "00".repeat(15) + "00".repeat(17)))).toThrow(/longer than 33/);
  });

  it("bytes after the end of a T=0-only ATR beyond one TCK are refused", () => {
    expect(() => parseAtr(fromHex("3B6000000000"))).toThrow(/after the end/);
  });

  it("8.2.5: TCK is required as soon as a protocol other than T=0 is indicated, and must XOR to zero", () => {
    const missing = parseAtr(fromHex("3B8001")); // TD1 = 01: T=1, no TCK
    expect(missing.tck).toBeNull();
    expect(missing.problems.join()).toMatch(/TCK is missing/);
    const wrong = parseAtr(fromHex("3B800100")); // TCK 00, but T0 ^ TD1 = 81
    expect(wrong.tckValid).toBe(false);
    const right = parseAtr(fromHex("3B800181"));
    expect(right.tckValid).toBe(true);
    expect(right.problems).toEqual([]);
  });

  it("8.2.5: a TCK after a T=0-only ATR is read and checked, but noted", () => {
    const atr = parseAtr(fromHex("3B600000" + "60"));
    expect(atr.tckValid).toBe(true);
    expect(atr.problems.join()).toMatch(/only T=0/);
  });

  it("8.3: TA1 codes Fi/fmax and Di by tables 7 and 8; reserved values are problems", () => {
    const a = parseAtr(fromHex("3B1013")); // TA1 = 13: Fi 372 (5 MHz), Di 4
    expect([a.Fi, a.Di, a.fmaxHz]).toEqual([372, 4, 5e6]);
    const b = parseAtr(fromHex("3B1095")); // TA1 = 95: Fi 512, Di 16
    expect([b.Fi, b.Di]).toEqual([512, 16]);
    const c = parseAtr(fromHex("3B1070")); // Fi index 7 and Di index 0 are RFU
    expect(c.problems.length).toBe(2);
  });

  it("8.3: TA2 is the specific mode, with its protocol and the implicit-etu bit", () => {
    const atr = parseAtr(fromHex("3B901110 10".replace(" ", ""))); // TA1 11, TD1 10 (TA2, T=0), TA2 10
    expect(atr.specificMode).toEqual({ protocol: 0, implicitEtu: true, canChange: true });
  });

  it("10.2: TC2 is WI (10 when absent); '00' is reserved", () => {
    expect(parseAtr(fromHex("3B600000")).wi).toBe(10);
    expect(parseAtr(fromHex("3B80 40 14".replace(/ /g, ""))).wi).toBe(0x14);
    expect(parseAtr(fromHex("3B804000")).problems.join()).toMatch(/WI = 0/);
  });

  it("11.4: T=1 parameters come from the first TA, TB, TC after a TD indicating T=1", () => {
    // TD1 81 (T=1), TD2 71 (TA3 TB3 TC3, T=1): IFSC 0x80, BWI 2, CWI 3, EDC CRC
    const bytes = [0x3b, 0x80, 0x81, 0x71, 0x80, 0x23, 0x01];
    const tck = bytes.slice(1).reduce((x, y) => x ^ y, 0);
    const atr = parseAtr(new Uint8Array([...bytes, tck]));
    expect(atr.t1).toMatchObject({ ifsc: 0x80, bwi: 2, cwi: 3, edc: "crc" });
    expect(parseAtr(fromHex("3B600000")).t1).toBeNull();
  });

  it("11.4.2: IFSC '00' and 'FF' are reserved", () => {
    const bytes = [0x3b, 0x80, 0x81, 0x11, 0xff];
    const tck = bytes.slice(1).reduce((x, y) => x ^ y, 0);
    expect(parseAtr(new Uint8Array([...bytes, tck])).problems.join()).toMatch(/reserved IFSC/);
  });

  it("atrLength asks for TDi before it can tell the rest", () => {
    expect(atrLength(fromHex("3B"))).toEqual({ length: 2, complete: false });
    expect(atrLength(fromHex("3BE9"))).toEqual({ length: 5, complete: false });
    expect(atrLength(fromHex("3BE9000081"))).toEqual({ length: 6, complete: false });
    expect(atrLength(fromHex("3BE900008131"))).toEqual({ length: 18, complete: true });
  });
});
