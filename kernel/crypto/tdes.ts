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

import { desKeySchedule, desRounds, initialPermutation, finalPermutation } from "./des";
import { requireBlocks, requireIv, requireKey } from "./errors";

export const DES_BLOCK_BYTES = 8;
const KEY_LENGTHS = [8, 16, 24];

interface Stage { ks: Uint8Array; decrypt: boolean }

/** The DES stages of one TDEA (or single DES) operation, in the order they are applied. */
function stages(key: Uint8Array, decrypt: boolean, what: string): Stage[] {
  requireKey(key, KEY_LENGTHS, what);
  const k1 = desKeySchedule(key, 0);
  if (key.length === 8) return [{ ks: k1, decrypt }];
  const k2 = desKeySchedule(key, 8);
  const k3 = key.length === 24 ? desKeySchedule(key, 16) : k1; // keying option 2: K3 = K1
  return decrypt
    ? [{ ks: k3, decrypt: true }, { ks: k2, decrypt: false }, { ks: k1, decrypt: true }]
    : [{ ks: k1, decrypt: false }, { ks: k2, decrypt: true }, { ks: k3, decrypt: false }];
}

function load(block: Uint32Array, data: Uint8Array, offset: number): void {
  block[0] = ((data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3]) >>> 0;
  block[1] = ((data[offset + 4] << 24) | (data[offset + 5] << 16) | (data[offset + 6] << 8) | data[offset + 7]) >>> 0;
}

function store(block: Uint32Array, out: Uint8Array, offset: number): void {
  const hi = block[0];
  const lo = block[1];
  out[offset] = hi >>> 24; out[offset + 1] = hi >>> 16; out[offset + 2] = hi >>> 8; out[offset + 3] = hi;
  out[offset + 4] = lo >>> 24; out[offset + 5] = lo >>> 16; out[offset + 6] = lo >>> 8; out[offset + 7] = lo;
}

function cryptBlock(block: Uint32Array, plan: Stage[]): void {
  initialPermutation(block);
  for (const s of plan) desRounds(block, s.ks, s.decrypt);
  finalPermutation(block);
}

function wipe(plan: Stage[]): void {
  for (const s of plan) s.ks.fill(0);
}

function ecb(key: Uint8Array, data: Uint8Array, decrypt: boolean, what: string): Uint8Array {
  requireBlocks(data, DES_BLOCK_BYTES, what);
  const plan = stages(key, decrypt, what);
  const out = new Uint8Array(data.length);
  const block = new Uint32Array(2);
  for (let i = 0; i < data.length; i += 8) {
    load(block, data, i);
    cryptBlock(block, plan);
    store(block, out, i);
  }
  wipe(plan);
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
  const plan = stages(key, false, "tdes-cbc");
  const out = new Uint8Array(data.length);
  const block = new Uint32Array(2);
  const chain = new Uint32Array(2);
  load(chain, iv, 0);
  for (let i = 0; i < data.length; i += 8) {
    load(block, data, i);
    block[0] ^= chain[0];
    block[1] ^= chain[1];
    cryptBlock(block, plan);
    chain[0] = block[0];
    chain[1] = block[1];
    store(block, out, i);
  }
  wipe(plan);
  return out;
}

/** DES/TDES CBC decryption (SP 800-38A, 6.2): P_j = D(C_j) xor C_j-1, C_0 = IV. */
export function tdesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  requireBlocks(data, DES_BLOCK_BYTES, "tdes-cbc");
  requireIv(iv, DES_BLOCK_BYTES, "tdes-cbc");
  const plan = stages(key, true, "tdes-cbc");
  const out = new Uint8Array(data.length);
  const block = new Uint32Array(2);
  const chain = new Uint32Array(2);
  const next = new Uint32Array(2);
  load(chain, iv, 0);
  for (let i = 0; i < data.length; i += 8) {
    load(block, data, i);
    next[0] = block[0];
    next[1] = block[1];
    cryptBlock(block, plan);
    block[0] ^= chain[0];
    block[1] ^= chain[1];
    chain[0] = next[0];
    chain[1] = next[1];
    store(block, out, i);
  }
  wipe(plan);
  return out;
}
