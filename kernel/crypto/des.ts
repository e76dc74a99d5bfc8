// The Data Encryption Standard block function (FIPS 46-3; the same algorithm is the TDEA
// cryptographic engine of NIST SP 800-67 Rev. 2). Keys: 8 bytes; bits 8, 16, ..., 64 are parity
// bits that the algorithm never reads (FIPS 46-3, "Key Schedule Calculation": PC-1 skips them).
//
// Written for an interpreter (XS on the ESP32), where every bytecode counts:
// - a 64-bit block is two signed 32-bit words, `l` (bits 1-32) and `r` (bits 33-64);
// - IP and IP^-1 are five swap-moves each on the two words (IP is a transposition of the block as
//   an 8 x 8 bit matrix, which such exchanges of bit groups between the words carry out);
// - the cipher function f is eight lookups in tables that combine each S-box with P
//   (des-tables.ts), on two "round words" built from R and the round key;
// - the key schedule writes each round's key as the two words those lookups need, once per call.
//
// The round words: the rounds keep each half rotated right by one bit, so E's six-bit group g
// (bits 4g-4 .. 4g+1 of R, bit 0 being bit 32: FIPS 46-3, "E BIT-SELECTION TABLE") starts at
// position 4g-4 of the word. Xored with the round key word KA, the word holds the inputs of S1, S3,
// S5 and S7 at positions 0, 8, 16 and 24; rotated left four bits and xored with KB, those of S2,
// S4, S6 and S8 at the same positions.
//
// The SP lookups are indexed by key-dependent data, so the time of a block may depend on the key
// through the data cache. An interpreted engine gives no timing guarantee either way; a device
// provider with a native cipher replaces this code where that matters.

import { KEY_SHIFTS, PC1_C, PC1_D, PC2_C, PC2_D, SP } from "./des-tables";

/** Round-key words a DES key schedule fills: KA and KB of each of the sixteen rounds. */
export const DES_SCHEDULE_WORDS = 32;

const [SP1, SP2, SP3, SP4, SP5, SP6, SP7, SP8] = SP;
const [C1, C2, C3, C4] = PC2_C;
const [D1, D2, D3, D4] = PC2_D;
/** 0xFFFF0000 as a signed 32-bit integer (an XS integer, not a double). */
const UPPER_HALF = -0x10000;

/**
 * FIPS 46-3, Appendix 1: the sixteen round keys of the 8-byte key at `key[offset]`, written to
 * `out[at .. at + 32)` as KA, KB pairs in the order the rounds use them: K1 first, or K16 first
 * when `decipher` ("Deciphering": the same rounds with the keys in reverse order). The caller owns
 * `out` and zeroizes it after use.
 */
export function desKeySchedule(key: Uint8Array, offset: number, out: number[], at: number, decipher: boolean): void {
  const hi = (key[offset] << 24) | (key[offset + 1] << 16) | (key[offset + 2] << 8) | key[offset + 3];
  const lo = (key[offset + 4] << 24) | (key[offset + 5] << 16) | (key[offset + 6] << 8) | key[offset + 7];
  // Locals declared once and `while` loops, as in desCryptBlock.
  let c = 0;
  let d = 0;
  let n = 0;
  let shift = 28;
  // PC-1: C0 and D0, nibble by nibble.
  while (n < 8) {
    c |= PC1_C[n][(hi >>> shift) & 15] | PC1_C[n + 8][(lo >>> shift) & 15];
    d |= PC1_D[n][(hi >>> shift) & 15] | PC1_D[n + 8][(lo >>> shift) & 15];
    shift -= 4;
    n++;
  }
  let xc = 0;
  let xd = 0;
  let i = decipher ? at + DES_SCHEDULE_WORDS - 2 : at;
  const step = decipher ? -2 : 2;
  n = 0;
  while (n < 16) {
    // Cn and Dn: C(n-1) and D(n-1) rotated left by the iteration's shifts.
    shift = KEY_SHIFTS[n];
    c = ((c << shift) | (c >>> (28 - shift))) & 0x0fffffff;
    d = ((d << shift) | (d >>> (28 - shift))) & 0x0fffffff;
    // PC-2, packed (des-tables.ts): the upper halves of KA and KB from C, the lower halves from D.
    xc = C1[c >>> 21] | C2[(c >>> 14) & 127] | C3[(c >>> 7) & 127] | C4[c & 127];
    xd = D1[d >>> 21] | D2[(d >>> 14) & 127] | D3[(d >>> 7) & 127] | D4[d & 127];
    out[i] = (xc & UPPER_HALF) | (xd & 0xffff);
    out[i + 1] = (xc << 16) | (xd >>> 16);
    i += step;
    n++;
  }
}

/** FIPS 46-3, "Enciphering": the initial permutation IP, in place on the block's two words. */
export function initialPermutation(block: Int32Array): void {
  let l = block[0];
  let r = block[1];
  let t = ((l >>> 4) ^ r) & 0x0f0f0f0f; r ^= t; l ^= t << 4;
  t = ((l >>> 16) ^ r) & 0x0000ffff; r ^= t; l ^= t << 16;
  t = ((r >>> 2) ^ l) & 0x33333333; l ^= t; r ^= t << 2;
  t = ((r >>> 8) ^ l) & 0x00ff00ff; l ^= t; r ^= t << 8;
  t = ((l >>> 1) ^ r) & 0x55555555; r ^= t; l ^= t << 1;
  block[0] = l;
  block[1] = r;
}

/** The final permutation IP^-1: the swap-moves of IP (each its own inverse) in reverse order. */
export function finalPermutation(block: Int32Array): void {
  let l = block[0];
  let r = block[1];
  let t = ((l >>> 1) ^ r) & 0x55555555; r ^= t; l ^= t << 1;
  t = ((r >>> 8) ^ l) & 0x00ff00ff; l ^= t; r ^= t << 8;
  t = ((r >>> 2) ^ l) & 0x33333333; l ^= t; r ^= t << 2;
  t = ((l >>> 16) ^ r) & 0x0000ffff; r ^= t; l ^= t << 16;
  t = ((l >>> 4) ^ r) & 0x0f0f0f0f; r ^= t; l ^= t << 4;
  block[0] = l;
  block[1] = r;
}

/**
 * One block through IP, `stages` times the sixteen iterations (each stage with the next 32 words
 * of `ks`, desKeySchedule's layout) and IP^-1, in place. Each stage ends with the exchange that
 * makes its preoutput R16 L16; in TDEA the next stage takes that preoutput as its L0 R0, since
 * IP^-1 of one stage and IP of the next cancel (SP 800-67 Rev. 2, 3.2).
 */
export function desCryptBlock(block: Int32Array, ks: readonly number[], stages: number): void {
  initialPermutation(block);
  let l = block[0];
  let r = block[1];
  l = (l >>> 1) | (l << 31); // the round words' rotation
  r = (r >>> 1) | (r << 31);
  // Declared once: XS gives a block's `let` a fresh binding each pass, and `while` costs it less
  // than `for` (a fifth of the loop's instructions between them).
  let a = 0;
  let b = 0;
  let k = 0;
  let end = 0;
  const last = stages * DES_SCHEDULE_WORDS;
  while (k < last) {
    // Two iterations a pass: Ln = R(n-1), Rn = L(n-1) xor f(R(n-1), Kn), without moving the halves.
    // f (FIPS 46-3, "The Cipher Function f") is written out in both: a call per iteration would
    // cost XS a fifth of the block.
    end = k + DES_SCHEDULE_WORDS;
    while (k < end) {
      a = r ^ ks[k];
      b = ((r << 4) | (r >>> 28)) ^ ks[k + 1];
      l ^= SP1[a >>> 26] | SP3[(a >>> 18) & 63] | SP5[(a >>> 10) & 63] | SP7[(a >>> 2) & 63] |
        SP2[b >>> 26] | SP4[(b >>> 18) & 63] | SP6[(b >>> 10) & 63] | SP8[(b >>> 2) & 63];
      a = l ^ ks[k + 2];
      b = ((l << 4) | (l >>> 28)) ^ ks[k + 3];
      r ^= SP1[a >>> 26] | SP3[(a >>> 18) & 63] | SP5[(a >>> 10) & 63] | SP7[(a >>> 2) & 63] |
        SP2[b >>> 26] | SP4[(b >>> 18) & 63] | SP6[(b >>> 10) & 63] | SP8[(b >>> 2) & 63];
      k += 4;
    }
    // The stage's final exchange: its preoutput is R16 L16.
    a = l;
    l = r;
    r = a;
  }
  block[0] = (l << 1) | (l >>> 31);
  block[1] = (r << 1) | (r >>> 31);
  finalPermutation(block);
}
