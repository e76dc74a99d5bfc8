// The tables of the Data Encryption Standard (FIPS 46-3), as the standard prints them, and the
// lookup tables that kernel/crypto/des.ts computes with, derived from them once at module load.
//
// The lookup tables are plain arrays of signed 32-bit integers, built once when the module loads;
// on the device the kernel is a preloaded module, so they are built at build time and live in
// flash (Moddable, "Using XS Preload to Optimize Applications"). Plain arrays, not typed arrays:
// XS reads a plain array's integer slot with one instruction fewer (its metered compute; TDES over
// 1 KB 725k units against 774k). Not frozen: a typed array with elements could not be
// (ECMA-262, 10.4.5), and V8 reads a frozen array of numbers past its small-integer range about
// five times slower (TDES over 1 KB on Node 235 us against 42 us), while XS reads both alike and
// keeps a preloaded object that is never written in flash, frozen or not. Their types are
// readonly; only des.ts (and its tests) read them. About 2,050 slots: 512 SP, 512 PC-1, 1,024 PC-2.

// Bit numbers follow the standard: bit 1 is the most significant (leftmost) bit of a block, key or
// register. In a JavaScript 32-bit word, "position p" below is the bit with value 2^(31 - p).

// FIPS 46-3, "The Cipher Function f": the permutation P (bit numbers 1-32, output order).
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
  2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];

// FIPS 46-3, "Primitive Functions S1, ..., S8": four rows of sixteen columns each.
const S = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
    0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
    4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
    15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
    3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
    0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
    13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
    13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
    13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
    1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
    13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
    10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
    3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
    14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
    4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
    11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
    10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
    9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
    4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
    13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
    1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
    6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
    1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
    7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
    2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

// FIPS 46-3, Appendix 1, "Key Schedule Calculation": permuted choice 1 (bit numbers 1-64 of the
// key; the first 28 entries give C0, the last 28 give D0), permuted choice 2 (bit numbers 1-56 of
// CnDn) and the number of left shifts before each iteration.
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
  10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
  14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
  23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
  44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
export const KEY_SHIFTS: readonly number[] = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/**
 * A bit selection as tables over the input's chunks: output position p (0-31) takes input bit
 * sources[p] (1 = most significant of an `inBits`-wide input; 0 leaves the position clear). Table
 * t, entry v, holds the output bits set by value v in chunk t (chunk 0 the most significant), so
 * the selection of an input is the OR of one entry per chunk.
 */
function chunkTables(sources: readonly number[], inBits: number, chunkBits: number): readonly (readonly number[])[] {
  const tables: (readonly number[])[] = [];
  for (let t = 0; t < inBits / chunkBits; t++) {
    // The output bits of each input bit of the chunk, indexed by its value bit (0 = least significant).
    const masks: number[] = [];
    for (let i = 0; i < chunkBits; i++) {
      const source = (t + 1) * chunkBits - i;
      let mask = 0;
      for (let p = 0; p < 32; p++) if (sources[p] === source) mask |= 1 << (31 - p);
      masks.push(mask);
    }
    // Each entry: the entry without v's lowest one-bit, and that bit's outputs.
    const table = [0];
    for (let v = 1; v < 1 << chunkBits; v++) table.push(table[v & (v - 1)] | masks[31 - Math.clz32(v & -v)]);
    tables.push(table);
  }
  return tables;
}

/**
 * The combined S-box and P tables, one per S-box (64 entries each): SP[g-1][x] is P applied to
 * S_g(x) placed at bits 4g-3..4g of the S-box output, rotated right by one bit like the halves the
 * rounds keep. x is the six-bit input; its first and last bits select the row, the middle four
 * the column (FIPS 46-3, "Primitive Functions").
 */
function spTables(): readonly (readonly number[])[] {
  // P, then the rotation: output position p takes the bit P gives position p - 1 (mod 32).
  const permute = chunkTables([P[31], ...P.slice(0, 31)], 32, 4);
  const tables: (readonly number[])[] = [];
  for (let g = 0; g < 8; g++) {
    const table: number[] = [];
    for (let x = 0; x < 64; x++) {
      const row = ((x >> 4) & 2) | (x & 1);
      const col = (x >> 1) & 15;
      table.push(permute[g][S[g][row * 16 + col]]);
    }
    tables.push(table);
  }
  return tables;
}

/** Output positions 4-31 take the given 28 bits, positions 0-3 stay clear: a 28-bit register. */
function register28(bits: readonly number[]): number[] {
  return [0, 0, 0, 0, ...bits];
}

/**
 * Where each bit of a round's 48-bit key goes in a packed key-schedule word: subkey groups
 * (six bits each, group g being subkey bits 6g-5..6g) at the given positions; each source is a bit
 * number of the 28-bit register C or D (PC-2 less `base`, 0 for C and 28 for D).
 */
function packedSubkey(groups: readonly [group: number, position: number][], base: number): number[] {
  const sources = new Array<number>(32).fill(0);
  for (const [g, position] of groups) {
    for (let i = 0; i < 6; i++) sources[position + i] = PC2[6 * (g - 1) + i] - base;
  }
  return sources;
}

/** FIPS 46-3 S1..S8 combined with P (see spTables). */
export const SP = spTables();

/** PC-1 over the key's sixteen nibbles: C0 and D0 in the low 28 bits of a word. */
export const PC1_C = chunkTables(register28(PC1.slice(0, 28)), 64, 4);
export const PC1_D = chunkTables(register28(PC1.slice(28)), 64, 4);

/**
 * PC-2 over the four 7-bit chunks of C (PC2_C) and of D (PC2_D). A round needs two key words:
 * KA for the odd groups and KB for the even ones, groups at positions 0, 8, 16 and 24 (des.ts,
 * "The round words"). C feeds groups 1-4 (the upper halves of KA and KB), D groups 5-8 (their
 * lower halves), so one selection of C packs KA's upper half with KB's upper half moved down 16
 * bits, and one of D packs KA's lower half with KB's lower half moved up 16 bits; des.ts unpacks
 * them with two masks and two shifts. 7-bit chunks: eight lookups a round for 1,024 entries.
 */
export const PC2_C = chunkTables(packedSubkey([[1, 0], [3, 8], [2, 16], [4, 24]], 0), 28, 7);
export const PC2_D = chunkTables(packedSubkey([[5, 16], [7, 24], [6, 0], [8, 8]], 28), 28, 7);
