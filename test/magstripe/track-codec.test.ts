import {
  TRACK_FORMATS, decodeTrackCharacters, encodeTrackBits, lrcOf, MagstripeError, stringToAscii, asciiToString,
} from "../../kernel/magstripe";

// MagTek, "I/O Interface for TTL Magnetic Stripe Readers", section 1: the message "AT3" on track 1
// is recorded as % A T 3 ? and the LRC '<' (hex 1C, parity 0).
const AT3_BITS = "1010001" + "1000011" + "0010110" + "1100100" + "1111100" + "0011100";

function bitsOf(s: string): Uint8Array {
  return Uint8Array.from(s.split("").map(Number));
}
function str(bits: Uint8Array): string {
  return Array.from(bits).join("");
}
function flip(bits: Uint8Array, i: number): Uint8Array {
  const b = bits.slice();
  b[i] ^= 1;
  return b;
}

describe("ISO/IEC 7811-2 encoding: characters then the LRC", () => {
  it("track 1 'AT3': the published bit pattern, LRC '<' (MagTek TTL manual)", () => {
    expect(str(encodeTrackBits(TRACK_FORMATS[1], stringToAscii("%AT3?")))).toBe(AT3_BITS);
  });

  it("the LRC is the XOR of the data bits from start to end sentinel (MagTek: 05^21^34^13^1F = 1C)", () => {
    expect(lrcOf([0x05, 0x21, 0x34, 0x13, 0x1f])).toBe(0x1c);
  });

  it("refuses text without its sentinels, with a sentinel inside, outside the set, or too long", () => {
    const f1 = TRACK_FORMATS[1];
    expect(() => encodeTrackBits(f1, stringToAscii("AT3?"))).toThrow(MagstripeError);
    expect(() => encodeTrackBits(f1, stringToAscii("%A?T?"))).toThrow(MagstripeError);
    expect(() => encodeTrackBits(f1, stringToAscii("%at3?"))).toThrow(/coded character set/);
    expect(() => encodeTrackBits(TRACK_FORMATS[2], stringToAscii(";" + "1".repeat(38) + "?"))).toThrow(/more than 40/);
    expect(() => encodeTrackBits(TRACK_FORMATS[2], stringToAscii(";" + "1".repeat(37) + "?"))).not.toThrow();
  });

  it("error messages never carry the track's characters", () => {
    try {
      encodeTrackBits(TRACK_FORMATS[2], stringToAscii(";4111111111111111=2512A?"));
    } catch (e) {
      expect(String((e as Error).message)).not.toContain("4111");
    }
  });
});

describe("decoding characters: parity, LRC, and the single proven correction", () => {
  const f1 = TRACK_FORMATS[1];
  const framed = (s: string) => bitsOf("0".repeat(10) + s + "0".repeat(10));

  it("reads the published 'AT3' bits back", () => {
    const r = decodeTrackCharacters(f1, framed(AT3_BITS), 10);
    expect(r.ok && asciiToString(r.ascii)).toBe("%AT3?");
    expect(r.ok && r.corrected).toBe(0);
    expect(r.ok && r.endBit).toBe(10 + AT3_BITS.length);
  });

  it("one flipped data bit: its row fails parity, the LRC names its column, it is corrected", () => {
    for (let row = 1; row <= 3; row++) {
      for (let bit = 0; bit < 6; bit++) {
        const r = decodeTrackCharacters(f1, flip(framed(AT3_BITS), 10 + row * 7 + bit), 10);
        expect(r.ok && asciiToString(r.ascii)).toBe("%AT3?");
        expect(r.ok && r.corrected).toBe(1);
      }
    }
  });

  it("one flipped parity bit: its row fails parity, the LRC is clean, the data stands", () => {
    const r = decodeTrackCharacters(f1, flip(framed(AT3_BITS), 10 + 2 * 7 + 6), 10);
    expect(r.ok && asciiToString(r.ascii)).toBe("%AT3?");
    expect(r.ok && r.corrected).toBe(1);
  });

  it("a flipped bit in the LRC character itself is corrected without touching the data", () => {
    const r = decodeTrackCharacters(f1, flip(framed(AT3_BITS), 10 + 5 * 7 + 2), 10);
    expect(r.ok && asciiToString(r.ascii)).toBe("%AT3?");
  });

  it("two rows with bad parity: a bad read, never a guess", () => {
    const bad = flip(flip(framed(AT3_BITS), 10 + 7 + 1), 10 + 14 + 3);
    expect(decodeTrackCharacters(f1, bad, 10)).toEqual({ ok: false, reason: "parity" });
  });

  it("two flipped bits in one row keep its parity but not the LRC: a bad read", () => {
    const bad = flip(flip(framed(AT3_BITS), 10 + 7 + 1), 10 + 7 + 3);
    expect(decodeTrackCharacters(f1, bad, 10)).toEqual({ ok: false, reason: "lrc" });
  });

  it("one bad row whose LRC syndrome has two bits does not locate a single error: a bad read", () => {
    // Bit 1 of row 1 (its parity now bad) and bits 2 and 3 of row 2 (its parity still good):
    // the syndrome has three columns, 1, 2 and 3.
    const bad = flip(flip(flip(framed(AT3_BITS), 10 + 7 + 1), 10 + 14 + 2), 10 + 14 + 3);
    expect(decodeTrackCharacters(f1, bad, 10)).toEqual({ ok: false, reason: "parity" });
  });

  it("a read that ends before the LRC is truncated", () => {
    expect(decodeTrackCharacters(f1, bitsOf(AT3_BITS.slice(0, 35 + 3)), 0)).toEqual({ ok: false, reason: "truncated" });
  });

  it("no end sentinel within the track's maximum length is a bad read", () => {
    const f2 = TRACK_FORMATS[2];
    const ones = "10000".repeat(60); // '1' characters, valid parity, no '?'
    expect(decodeTrackCharacters(f2, bitsOf("11010" + ones), 0)).toEqual({ ok: false, reason: "no-end-sentinel" });
  });

  it("round trip of every character of both sets", () => {
    const f2 = TRACK_FORMATS[2];
    const digits = ";0123456789:<=>?";
    const r2 = decodeTrackCharacters(f2, encodeTrackBits(f2, stringToAscii(digits)), 0);
    expect(r2.ok && asciiToString(r2.ascii)).toBe(digits);
    let alpha = "%";
    for (let c = 0x20; c < 0x60; c++) if (c !== 0x25 && c !== 0x3f) alpha += String.fromCharCode(c);
    alpha = alpha.slice(0, 77) + "?";
    const r1 = decodeTrackCharacters(f1, encodeTrackBits(f1, stringToAscii(alpha)), 0);
    expect(r1.ok && asciiToString(r1.ascii)).toBe(alpha);
  });
});
