// The Triple Data Encryption Algorithm (NIST SP 800-67 Rev. 2) and single DES, ECB and CBC over
// whole 8-byte blocks with no padding (NIST SP 800-38A, 6.1 and 6.2).
//
// Keys (SP 800-67 Rev. 2, 3.1):
// - 24 bytes: keying option 1, three independent keys K1 || K2 || K3;
// - 16 bytes: keying option 2, K1 || K2 with K3 = K1 (the "double-length" key of the payment
//   industry: ANSI X9.24-1 DUKPT and EMV Book 2 are defined over it, though SP 800-131A Rev. 2
//   allows two-key TDEA for decryption only);
// - 8 bytes: single DES (FIPS 46-3), still named by ISO 9797-1 MAC algorithm 3 (retail MAC).
// Encryption is E_K3(D_K2(E_K1(P))), decryption D_K1(E_K2(D_K3(C))) (SP 800-67 Rev. 2, 3.2).
// Inside one TDEA operation IP^-1 of a stage and IP of the next cancel, so they are applied once.

import { DES_SCHEDULE_WORDS, desCryptBlock, desKeySchedule } from "./des";
import { requireBlocks, requireIv, requireKey } from "./errors";

export const DES_BLOCK_BYTES = 8;
export const DES_KEY_LENGTHS: readonly number[] = [8, 16, 24];

/**
 * The round keys of one TDEA (or single DES) operation, stage after stage in the order they are
 * applied (desCryptBlock's layout): one stage for an 8-byte key, three for TDEA. Zeroized by the
 * caller after use.
 */
function schedule(key: Uint8Array, decrypt: boolean, what: string): number[] {
  requireKey(key, DES_KEY_LENGTHS, what);
  if (key.length === 8) {
    const ks = new Array<number>(DES_SCHEDULE_WORDS);
    desKeySchedule(key, 0, ks, 0, decrypt);
    return ks;
  }
  const ks = new Array<number>(3 * DES_SCHEDULE_WORDS);
  const k3 = key.length === 24 ? 16 : 0; // keying option 2: K3 = K1
  // Encryption E_K3(D_K2(E_K1(P))); decryption D_K1(E_K2(D_K3(C))).
  desKeySchedule(key, decrypt ? k3 : 0, ks, 0, decrypt);
  desKeySchedule(key, 8, ks, DES_SCHEDULE_WORDS, !decrypt);
  if (k3 === 0) ks.copyWithin(2 * DES_SCHEDULE_WORDS, 0, DES_SCHEDULE_WORDS);
  else desKeySchedule(key, decrypt ? 0 : k3, ks, 2 * DES_SCHEDULE_WORDS, decrypt);
  return ks;
}

function stageCount(ks: readonly number[]): number {
  return ks.length / DES_SCHEDULE_WORDS;
}

function load(block: Int32Array, data: Uint8Array, offset: number): void {
  block[0] = (data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];
  block[1] = (data[offset + 4] << 24) | (data[offset + 5] << 16) | (data[offset + 6] << 8) | data[offset + 7];
}

function store(block: Int32Array, out: Uint8Array, offset: number): void {
  const hi = block[0];
  const lo = block[1];
  out[offset] = hi >>> 24; out[offset + 1] = hi >>> 16; out[offset + 2] = hi >>> 8; out[offset + 3] = hi;
  out[offset + 4] = lo >>> 24; out[offset + 5] = lo >>> 16; out[offset + 6] = lo >>> 8; out[offset + 7] = lo;
}

/** Zeroizes the round keys and the working blocks of an operation. */
function wipe(ks: number[], block: Int32Array, chain?: Int32Array): void {
  ks.fill(0);
  block.fill(0);
  chain?.fill(0);
}

function ecb(key: Uint8Array, data: Uint8Array, decrypt: boolean, what: string): Uint8Array {
  requireBlocks(data, DES_BLOCK_BYTES, what);
  const ks = schedule(key, decrypt, what);
  const stages = stageCount(ks);
  const out = new Uint8Array(data.length);
  const block = new Int32Array(2);
  for (let i = 0; i < data.length; i += 8) {
    load(block, data, i);
    desCryptBlock(block, ks, stages);
    store(block, out, i);
  }
  wipe(ks, block);
  return out;
}

/** DES/TDES ECB encryption (SP 800-38A, 6.1) of whole blocks. */
export function tdesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return ecb(key, data, false, "tdes-ecb");
}

/** DES/TDES ECB decryption (SP 800-38A, 6.1) of whole blocks. */
export function tdesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return ecb(key, data, true, "tdes-ecb");
}

/** DES/TDES CBC encryption (SP 800-38A, 6.2): C_j = E(P_j xor C_j-1), C_0 = IV. */
export function tdesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  requireBlocks(data, DES_BLOCK_BYTES, "tdes-cbc");
  requireIv(iv, DES_BLOCK_BYTES, "tdes-cbc");
  const ks = schedule(key, false, "tdes-cbc");
  const stages = stageCount(ks);
  const out = new Uint8Array(data.length);
  const block = new Int32Array(2);
  load(block, iv, 0); // C_0
  for (let i = 0; i < data.length; i += 8) {
    block[0] ^= (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
    block[1] ^= (data[i + 4] << 24) | (data[i + 5] << 16) | (data[i + 6] << 8) | data[i + 7];
    desCryptBlock(block, ks, stages);
    store(block, out, i);
  }
  wipe(ks, block);
  return out;
}

/** DES/TDES CBC decryption (SP 800-38A, 6.2): P_j = D(C_j) xor C_j-1, C_0 = IV. */
export function tdesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  requireBlocks(data, DES_BLOCK_BYTES, "tdes-cbc");
  requireIv(iv, DES_BLOCK_BYTES, "tdes-cbc");
  const ks = schedule(key, true, "tdes-cbc");
  const stages = stageCount(ks);
  const out = new Uint8Array(data.length);
  const block = new Int32Array(2);
  const chain = new Int32Array(2);
  load(chain, iv, 0);
  for (let i = 0; i < data.length; i += 8) {
    load(block, data, i);
    desCryptBlock(block, ks, stages);
    block[0] ^= chain[0];
    block[1] ^= chain[1];
    store(block, out, i);
    load(chain, data, i); // C_j, for the next block
  }
  wipe(ks, block, chain);
  return out;
}
