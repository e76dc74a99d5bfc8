import { TRACK_FORMATS, codeWord, hasOddParity, oddParityBit } from "../../kernel/magstripe";

// The coded character sets of ISO/IEC 7811-2 as the industry publishes them (bits in recording
// order, b1 first, parity last): the numeric set from the ANSI/ISO BCD table (DataIP, "ANSI/ISO
// Magnetic Cards, BCD Data Format"); alphanumeric characters from MagTek's "I/O Interface for TTL
// Magnetic Stripe Readers" (the "AT3" example) and the ALPHA table (DataIP).

function recorded(track: 1 | 2, ch: string): string {
  const f = TRACK_FORMATS[track];
  const word = codeWord(f, ch.charCodeAt(0) - f.asciiOffset);
  let s = "";
  for (let b = 0; b < f.charBits; b++) s += (word >>> b) & 1;
  return s;
}

describe("ISO/IEC 7811-2 numeric set (tracks 2 and 3): 4 data bits + odd parity, LSB first", () => {
  const table: [string, string][] = [
    ["0", "00001"], ["1", "10000"], ["2", "01000"], ["3", "11001"], ["4", "00100"], ["5", "10101"],
    ["6", "01101"], ["7", "11100"], ["8", "00010"], ["9", "10011"], [":", "01011"], [";", "11010"],
    ["<", "00111"], ["=", "10110"], [">", "01110"], ["?", "11111"],
  ];
  it.each(table)("%s is recorded %s", (ch, bits) => {
    expect(recorded(2, ch)).toBe(bits);
  });
  it("track 2 start sentinel ';' is 11010 (MagTek TTL manual, section 2)", () => {
    expect(recorded(2, ";")).toBe("11010");
  });
  it("tracks 2 and 3 share the set; track 3 is 210 bpi, track 2 75 bpi", () => {
    expect(TRACK_FORMATS[3].charBits).toBe(5);
    expect(TRACK_FORMATS[2].densityBpi).toBe(75);
    expect(TRACK_FORMATS[3].densityBpi).toBe(210);
    expect(TRACK_FORMATS[1].densityBpi).toBe(210);
  });
});

describe("ISO/IEC 7811-2 alphanumeric set (track 1): 6 data bits + odd parity, LSB first", () => {
  const table: [string, string][] = [
    [" ", "0000001"], ["%", "1010001"], ["A", "1000011"], ["T", "0010110"], ["3", "1100100"],
    ["?", "1111100"], ["<", "0011100"], ["D", "0010011"], ["0", "0000100"], ["^", "0111110"],
  ];
  it.each(table)("'%s' is recorded %s", (ch, bits) => {
    expect(recorded(1, ch)).toBe(bits);
  });
  it("track 1 holds 79 characters, track 2 40, track 3 107, sentinels and LRC included", () => {
    expect([TRACK_FORMATS[1].maxChars, TRACK_FORMATS[2].maxChars, TRACK_FORMATS[3].maxChars]).toEqual([79, 40, 107]);
  });
});

describe("odd parity", () => {
  it("the parity bit makes the count of ones odd", () => {
    for (let v = 0; v < 64; v++) expect(hasOddParity(v | (oddParityBit(v) << 6))).toBe(true);
  });
});
