import { fromHex } from "../../kernel/bytes";
import { DES_SCHEDULE_WORDS, desKeySchedule, finalPermutation, initialPermutation } from "../../kernel/crypto/des";
import { SP } from "../../kernel/crypto/des-tables";

// The parts of the fast DES (kernel/crypto/des.ts) against the tables and worked values the
// standard and its classic illustration print; the whole cipher is held to the known-answer tests
// of des.test.ts.

// FIPS 46-3, "Enciphering": IP and IP^-1 as printed (output bit i is input bit TABLE[i - 1]).
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
const IP_INVERSE = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31,
  38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
  36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27,
  34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25,
];

/** The block whose only one-bit is bit n (1 = the leftmost of 64). */
function singleBit(n: number): Int32Array {
  const block = new Int32Array(2);
  block[n <= 32 ? 0 : 1] = 1 << (32 - (n <= 32 ? n : n - 32));
  return block;
}

/** The numbers (1-64) of the block's one-bits. */
function oneBits(block: Int32Array): number[] {
  const bits: number[] = [];
  for (let n = 1; n <= 64; n++) {
    const word = block[n <= 32 ? 0 : 1];
    if ((word >>> (32 - (n <= 32 ? n : n - 32))) & 1) bits.push(n);
  }
  return bits;
}

/** Where a permutation of the block sends each input bit, as its printed table would say. */
function tableOf(permute: (block: Int32Array) => void): number[] {
  const table = new Array<number>(64);
  for (let n = 1; n <= 64; n++) {
    const block = singleBit(n);
    permute(block);
    const out = oneBits(block);
    expect(out).toHaveLength(1);
    table[out[0] - 1] = n;
  }
  return table;
}

/**
 * The eight six-bit subkey groups of one round from its two round-key words (des.ts, "The round
 * words": KA holds groups 1, 3, 5, 7 and KB groups 2, 4, 6, 8, at positions 0, 8, 16 and 24), as
 * the 48-bit subkey in hex.
 */
function subkeyHex(ka: number, kb: number): string {
  let hex = "";
  let bits = 0;
  let acc = 0;
  for (let g = 0; g < 8; g++) {
    const word = g % 2 === 0 ? ka : kb;
    acc = (acc << 6) | ((word >>> (26 - 8 * (g >> 1))) & 63);
    bits += 6;
    if (bits === 12) {
      hex += acc.toString(16).toUpperCase().padStart(3, "0");
      acc = 0;
      bits = 0;
    }
  }
  return hex;
}

// "The DES Algorithm Illustrated" (J. Orlin Grabbe), the worked example of FIPS 46-3: the
// subkeys K1..K16 of the key 133457799BBCDFF1.
const GRABBE_KEY = "133457799BBCDFF1";
const GRABBE_SUBKEYS = [
  "1B02EFFC7072", "79AED9DBC9E5", "55FC8A42CF99", "72ADD6DB351D", "7CEC07EB53A8", "63A53E507B2F",
  "EC84B7F618BC", "F78A3AC13BFB", "E0DBEBEDE781", "B1F347BA464F", "215FD3DED386", "7571F59467E9",
  "97C5D1FABA41", "5F43B7F2E73A", "BF918D3D3F0A", "CB3D8B0E17F5",
];

function schedule(keyHex: string, decipher: boolean): string[] {
  const words = new Array<number>(DES_SCHEDULE_WORDS).fill(0);
  desKeySchedule(fromHex(keyHex), 0, words, 0, decipher);
  const subkeys: string[] = [];
  for (let i = 0; i < DES_SCHEDULE_WORDS; i += 2) subkeys.push(subkeyHex(words[i], words[i + 1]));
  return subkeys;
}

describe("DES building blocks (FIPS 46-3)", () => {
  it("IP: the five swap-moves move every bit where the printed IP table says", () => {
    expect(tableOf(initialPermutation)).toEqual(IP);
  });

  it("IP^-1: the swap-moves in reverse order move every bit where the printed IP^-1 table says", () => {
    expect(tableOf(finalPermutation)).toEqual(IP_INVERSE);
  });

  it("IP^-1 undoes IP on any block", () => {
    const block = Int32Array.of(0x01234567, 0x89abcdef | 0);
    initialPermutation(block);
    finalPermutation(block);
    expect(Array.from(block)).toEqual([0x01234567, 0x89abcdef | 0]);
  });

  it("key schedule: the subkeys K1..K16 of 133457799BBCDFF1 are those of the worked example", () => {
    expect(schedule(GRABBE_KEY, false)).toEqual(GRABBE_SUBKEYS);
  });

  it("key schedule: deciphering takes the same subkeys in reverse order, K16 first", () => {
    expect(schedule(GRABBE_KEY, true)).toEqual([...GRABBE_SUBKEYS].reverse());
  });

  it("key schedule: the parity bits (8, 16, ..., 64) are not read (PC-1 skips them)", () => {
    // 133457799BBCDFF1 with the last bit of every byte flipped.
    expect(schedule("123556789ABDDEF0", false)).toEqual(GRABBE_SUBKEYS);
  });

  it("key schedule: writes its 32 words at the offset asked and nothing else", () => {
    const words = new Array<number>(3 * DES_SCHEDULE_WORDS).fill(7);
    desKeySchedule(fromHex(`00000000${GRABBE_KEY}`), 4, words, DES_SCHEDULE_WORDS, false);
    expect(words.slice(0, DES_SCHEDULE_WORDS).every((w) => w === 7)).toBe(true);
    expect(words.slice(2 * DES_SCHEDULE_WORDS).every((w) => w === 7)).toBe(true);
    const subkeys: string[] = [];
    for (let i = DES_SCHEDULE_WORDS; i < 2 * DES_SCHEDULE_WORDS; i += 2) subkeys.push(subkeyHex(words[i], words[i + 1]));
    expect(subkeys).toEqual(GRABBE_SUBKEYS);
  });

  it("SP tables: eight of 64 signed 32-bit entries, each S-box row a permutation of its four output bits", () => {
    expect(SP).toHaveLength(8);
    const union = SP.reduce((bits, table) => {
      expect(table).toHaveLength(64);
      for (const v of table) expect(v).toBe(v | 0);
      // FIPS 46-3: each row of each S-box holds every value 0-15 once, so each row of 16 entries
      // (row = first and last input bits) holds 16 distinct P-images of four bits.
      const bitsOfTable = table.reduce((a, v) => a | v, 0);
      expect(bitCount(bitsOfTable)).toBe(4);
      for (let row = 0; row < 4; row++) {
        const entries = new Set<number>();
        for (let col = 0; col < 16; col++) entries.add(table[((row & 2) << 4) | (col << 1) | (row & 1)]);
        expect(entries.size).toBe(16);
      }
      expect(bits & bitsOfTable).toBe(0); // P sends the eight S-boxes' outputs to distinct bits
      return bits | bitsOfTable;
    }, 0);
    expect(union).toBe(-1); // all 32 bits of f's output
  });
});

function bitCount(word: number): number {
  let n = 0;
  for (let v = word; v !== 0; v &= v - 1) n++;
  return n;
}
