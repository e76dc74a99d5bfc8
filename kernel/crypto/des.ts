// The Data Encryption Standard block function (FIPS 46-3; the same algorithm is the TDEA
// cryptographic engine of NIST SP 800-67 Rev. 2). Keys: 8 bytes; bits 8, 16, ..., 64 are parity
// bits that the algorithm never reads (FIPS 46-3, "Key Schedule Calculation": PC-1 skips them).
//
// Table-driven for the DUKPT hot path: IP, IP^-1, PC-1 and PC-2 are applied through per-nibble
// selection tables, and each round's S-boxes and permutation P are one combined table ("SP" table)
// per S-box. All tables (about 7 KB) are computed once at load from the tables printed in the
// standard, so the source carries only what FIPS 46-3 prints.
//
// The SP lookups are indexed by key-dependent data, so the time of a block may depend on the key
// through the data cache. An interpreted engine gives no timing guarantee either way; a device
// provider over the ESP32's native `crypt` module replaces this code where that matters.
//
// A 64-bit block is handled as two unsigned 32-bit words, `hi` (bits 1-32) and `lo` (bits 33-64),
// in a two-element Uint32Array: no allocation per block.

// FIPS 46-3, "Enciphering": the initial permutation IP (bit numbers 1-64, output order).
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];

// FIPS 46-3, "The Cipher Function f": the permutation P (bit numbers 1-32).
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
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/**
 * A bit selection as nibble tables: output bit j (1 = most significant of a word of
 * `select.length` <= 32 bits) is input bit select[j - 1] (1 = most significant of an `inBits`-wide
 * input). Entry (pos * 16 + v) holds the output bits set by value v in input nibble pos, so the
 * selection of any input is the OR of one entry per input nibble.
 */
function selectionTables(select: readonly number[], inBits: number): Uint32Array {
  const outBits = select.length;
  const out = new Uint32Array((inBits / 4) * 16);
  for (let pos = 0; pos < inBits / 4; pos++) {
    for (let v = 0; v < 16; v++) {
      let word = 0;
      for (let j = 1; j <= outBits; j++) {
        const src = select[j - 1] - 1; // 0-based input bit
        if ((src >> 2) === pos && ((v >> (3 - (src & 3))) & 1) === 1) word |= 1 << (outBits - j);
      }
      out[pos * 16 + v] = word;
    }
  }
  return out;
}

function inverse(table: readonly number[]): number[] {
  const inv: number[] = new Array(table.length);
  for (let j = 0; j < table.length; j++) inv[table[j] - 1] = j + 1;
  return inv;
}

/**
 * The combined S-box and P table: SP[i * 64 + x] = P(S_i(x) placed at bits 4i+1..4i+4), for the
 * six-bit input x (FIPS 46-3: row from the first and last bits, column from the middle four).
 */
function spTables(): Uint32Array {
  const out = new Uint32Array(8 * 64);
  for (let i = 0; i < 8; i++) {
    for (let x = 0; x < 64; x++) {
      const row = ((x >> 4) & 2) | (x & 1);
      const col = (x >> 1) & 15;
      const placed = S[i][row * 16 + col] << (28 - 4 * i);
      let permuted = 0;
      for (let j = 1; j <= 32; j++) {
        if ((placed >>> (32 - P[j - 1])) & 1) permuted |= 1 << (32 - j);
      }
      out[i * 64 + x] = permuted;
    }
  }
  return out;
}

const FP = inverse(IP); // FIPS 46-3: the final permutation is IP^-1
const IP_HI = selectionTables(IP.slice(0, 32), 64);
const IP_LO = selectionTables(IP.slice(32), 64);
const FP_HI = selectionTables(FP.slice(0, 32), 64);
const FP_LO = selectionTables(FP.slice(32), 64);
const PC1_C = selectionTables(PC1.slice(0, 28), 64);
const PC1_D = selectionTables(PC1.slice(28), 64);
// PC-2 takes its first 24 bits from C and its last 24 from D (entries 1-28, then 29-56).
const PC2_C = selectionTables(PC2.slice(0, 24), 28);
const PC2_D = selectionTables(PC2.slice(24).map((n) => n - 28), 28);
const SP = spTables();

/** A 64-bit selection (IP, IP^-1) of the block in place, from its two halves' tables. */
function permute(hiTables: Uint32Array, loTables: Uint32Array, block: Uint32Array): void {
  const hi = block[0];
  const lo = block[1];
  let oh = 0;
  let ol = 0;
  for (let pos = 0; pos < 8; pos++) {
    const a = pos * 16 + ((hi >>> (28 - 4 * pos)) & 15);
    const b = (pos + 8) * 16 + ((lo >>> (28 - 4 * pos)) & 15);
    oh |= hiTables[a] | hiTables[b];
    ol |= loTables[a] | loTables[b];
  }
  block[0] = oh;
  block[1] = ol;
}

/** A 28-bit selection of the 64-bit key (hi, lo): PC-1's C0 or D0. */
function select64(tables: Uint32Array, hi: number, lo: number): number {
  let out = 0;
  for (let pos = 0; pos < 8; pos++) {
    out |= tables[pos * 16 + ((hi >>> (28 - 4 * pos)) & 15)] | tables[(pos + 8) * 16 + ((lo >>> (28 - 4 * pos)) & 15)];
  }
  return out;
}

/** A 24-bit selection of a 28-bit register: PC-2's half from C or from D. */
function select28(tables: Uint32Array, v: number): number {
  let out = 0;
  for (let pos = 0; pos < 7; pos++) out |= tables[pos * 16 + ((v >>> (24 - 4 * pos)) & 15)];
  return out;
}

/**
 * The sixteen subkeys K1..K16 of the 8-byte key at `offset` (FIPS 46-3, Appendix 1), each as eight
 * six-bit groups (the inputs of S1..S8 are E(R) xor these): 128 entries.
 */
export function desKeySchedule(key: Uint8Array, offset: number): Uint8Array {
  const hi = ((key[offset] << 24) | (key[offset + 1] << 16) | (key[offset + 2] << 8) | key[offset + 3]) >>> 0;
  const lo = ((key[offset + 4] << 24) | (key[offset + 5] << 16) | (key[offset + 6] << 8) | key[offset + 7]) >>> 0;
  let c = select64(PC1_C, hi, lo);
  let d = select64(PC1_D, hi, lo);
  const out = new Uint8Array(16 * 8);
  for (let round = 0; round < 16; round++) {
    const s = SHIFTS[round];
    c = ((c << s) | (c >>> (28 - s))) & 0x0fffffff;
    d = ((d << s) | (d >>> (28 - s))) & 0x0fffffff;
    const kc = select28(PC2_C, c);
    const kd = select28(PC2_D, d);
    const k = round * 8;
    out[k] = kc >>> 18; out[k + 1] = (kc >>> 12) & 0x3f; out[k + 2] = (kc >>> 6) & 0x3f; out[k + 3] = kc & 0x3f;
    out[k + 4] = kd >>> 18; out[k + 5] = (kd >>> 12) & 0x3f; out[k + 6] = (kd >>> 6) & 0x3f; out[k + 7] = kd & 0x3f;
  }
  return out;
}

/**
 * The cipher function f(R, K) (FIPS 46-3): E expands R to eight six-bit groups, group i being bits
 * 4i..4i+5 of R taken circularly (bit 0 is bit 32), xored with the subkey, then S-boxes and P.
 */
function f(r: number, ks: Uint8Array, k: number): number {
  return SP[(((r << 5) | (r >>> 27)) & 0x3f) ^ ks[k]] |
    SP[64 + (((r >>> 23) & 0x3f) ^ ks[k + 1])] |
    SP[128 + (((r >>> 19) & 0x3f) ^ ks[k + 2])] |
    SP[192 + (((r >>> 15) & 0x3f) ^ ks[k + 3])] |
    SP[256 + (((r >>> 11) & 0x3f) ^ ks[k + 4])] |
    SP[320 + (((r >>> 7) & 0x3f) ^ ks[k + 5])] |
    SP[384 + (((r >>> 3) & 0x3f) ^ ks[k + 6])] |
    SP[448 + ((((r << 1) | (r >>> 31)) & 0x3f) ^ ks[k + 7])];
}

/**
 * The sixteen iterations between IP and IP^-1, with the final exchange of L and R (the preoutput
 * is R16 L16). Deciphering uses the subkeys in reverse order (FIPS 46-3, "Deciphering").
 */
export function desRounds(block: Uint32Array, ks: Uint8Array, decrypt: boolean): void {
  let l = block[0] | 0;
  let r = block[1] | 0;
  for (let round = 0; round < 16; round++) {
    const k = (decrypt ? 15 - round : round) * 8;
    const next = l ^ f(r, ks, k);
    l = r;
    r = next;
  }
  block[0] = r;
  block[1] = l;
}

/** The initial permutation IP applied to the block in place. */
export function initialPermutation(block: Uint32Array): void {
  permute(IP_HI, IP_LO, block);
}

/** The final permutation IP^-1 applied to the block in place. */
export function finalPermutation(block: Uint32Array): void {
  permute(FP_HI, FP_LO, block);
}
