// ISO/IEC 9797-1:2011 MAC algorithms 1 and 3 over the DES/TDEA block cipher (n = 64), with padding
// methods 1 and 2. MAC algorithm 3 with single DES and a double-length key is the "retail MAC" of
// ANSI X9.19 and EMV Book 2, A1.2 (application cryptograms, ARPC method 2, secure messaging).
//
// The full 8-byte MAC is returned: truncation (ISO/IEC 9797-1:2011, 6.8, leftmost m bits) is the
// caller's rule (EMV keeps 8 bytes for an AC, 4 for an ARPC method 2, X9.19 often 4).

import type { CryptoProvider } from "./provider";
import { CryptoInputError, requireBytes, requireKey } from "./errors";

export type Iso9797PadMethod = 1 | 2;

const DES_BLOCK = 8;

/**
 * ISO/IEC 9797-1:2011, 6.3 (step 2, padding):
 * - method 1 (6.3.2): right-pad with as few zero bits as needed (possibly none) to reach a
 *   positive multiple of the block length; the empty string becomes one block of zeros;
 * - method 2 (6.3.3): append one '1' bit (byte 80), then method 1.
 */
export function iso9797Pad(data: Uint8Array, method: Iso9797PadMethod, blockSize: number): Uint8Array {
  requireBytes(data, "iso9797 padding");
  if (blockSize !== 8 && blockSize !== 16) {
    throw new CryptoInputError("crypto-data", `iso9797 padding: block size ${blockSize}, expected 8 or 16`);
  }
  if (method === 1) {
    const length = Math.max(1, Math.ceil(data.length / blockSize)) * blockSize;
    const out = new Uint8Array(length);
    out.set(data);
    return out;
  }
  if (method === 2) {
    const out = new Uint8Array((Math.floor(data.length / blockSize) + 1) * blockSize);
    out.set(data);
    out[data.length] = 0x80;
    return out;
  }
  throw new CryptoInputError("crypto-data", `iso9797 padding: method ${String(method)}, expected 1 or 2`);
}

/**
 * The output H_q of the CBC chain of ISO/IEC 9797-1:2011, 6.5-6.6 (iteration H_0 = 0,
 * H_i = e_K(D_i xor H_i-1); final iteration 1: H_q = e_K(D_q xor H_q-1)), as one CBC encryption
 * with a zero IV.
 */
function chainLastBlock(c: CryptoProvider, key: Uint8Array, padded: Uint8Array): Uint8Array {
  const chain = c.tdesCbcEncrypt(key, new Uint8Array(DES_BLOCK), padded);
  const h = chain.slice(chain.length - DES_BLOCK);
  chain.fill(0);
  return h;
}

/**
 * ISO/IEC 9797-1:2011, 7.2 MAC algorithm 1 (CBC-MAC; 6.7.2 output transformation 1: G = H_q) with the
 * block cipher keyed by an 8 (DES), 16 (two-key TDEA) or 24-byte (three-key TDEA) key.
 */
export function iso9797Mac1(c: CryptoProvider, key: Uint8Array, data: Uint8Array, padMethod: Iso9797PadMethod): Uint8Array {
  requireKey(key, [8, 16, 24], "iso9797 mac 1");
  const padded = iso9797Pad(data, padMethod, DES_BLOCK);
  const mac = chainLastBlock(c, key, padded);
  padded.fill(0);
  return mac;
}

/**
 * ISO/IEC 9797-1:2011, 7.4 MAC algorithm 3 with single DES, the retail MAC (ANSI X9.19): the CBC
 * chain under K, then 6.7.4 output transformation 3: G = e_K(d_K'(H_q)). `key16` is K || K'.
 */
export function retailMac(c: CryptoProvider, key16: Uint8Array, data: Uint8Array, padMethod: Iso9797PadMethod): Uint8Array {
  requireKey(key16, [16], "retail mac");
  const k = key16.slice(0, 8);
  const k2 = key16.slice(8, 16);
  const padded = iso9797Pad(data, padMethod, DES_BLOCK);
  const h = chainLastBlock(c, k, padded);
  const d = c.tdesEcbDecrypt(k2, h);
  const mac = c.tdesEcbEncrypt(k, d);
  k.fill(0);
  k2.fill(0);
  h.fill(0);
  d.fill(0);
  padded.fill(0);
  return mac;
}
