// CMAC (NIST SP 800-38B), generic over a block cipher given as its ECB and CBC encryptions, with
// AES (b = 128, R_128 = 0^120 || 10000111) and TDEA (b = 64, R_64 = 0^59 || 11011) instances
// (SP 800-38B, 5.3). The CBC chain of 6.2 steps 5-6 runs as one CBC encryption with a zero IV over
// the formatted message, so a hardware provider does it in one call.
//
// The full b-bit tag is returned: truncation to Tlen (6.2 step 7, MSB_Tlen) is the caller's rule
// (TR-31 keeps 8 or 16 bytes, DUKPT AES MACs keep 8, ...).

import type { CryptoProvider } from "./provider";
import { requireBytes, requireKey } from "./errors";

/** One block cipher under one key, as CMAC needs it. */
export interface CmacCipher {
  /** Block size b in bytes: 16 (AES) or 8 (TDEA). */
  readonly blockBytes: number;
  /** The last byte of R_b (SP 800-38B, 5.3): 0x87 for b = 128, 0x1B for b = 64. */
  readonly rb: number;
  /** CIPH_K of exactly one block. */
  encryptBlock(block: Uint8Array): Uint8Array;
  /** CBC encryption under K with the given IV, over whole blocks. */
  cbcEncrypt(iv: Uint8Array, data: Uint8Array): Uint8Array;
}

/** x << 1 over the whole block, then xor R_b into the last byte when the dropped bit was 1. */
function double(x: Uint8Array, rb: number): Uint8Array {
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    out[i] = ((x[i] << 1) | (i + 1 < x.length ? x[i + 1] >>> 7 : 0)) & 0xff;
  }
  if (x[0] & 0x80) out[x.length - 1] ^= rb;
  return out;
}

/**
 * SP 800-38B, 6.1 subkey generation: L = CIPH_K(0^b); K1 = L << 1 (xor R_b if MSB1(L) = 1);
 * K2 = K1 << 1 (xor R_b if MSB1(K1) = 1).
 */
export function cmacSubkeys(cipher: CmacCipher): { k1: Uint8Array; k2: Uint8Array } {
  const l = cipher.encryptBlock(new Uint8Array(cipher.blockBytes));
  const k1 = double(l, cipher.rb);
  const k2 = double(k1, cipher.rb);
  l.fill(0);
  return { k1, k2 };
}

/** SP 800-38B, 6.2 MAC generation: the full b-bit tag T = C_n. */
export function cmac(cipher: CmacCipher, message: Uint8Array): Uint8Array {
  requireBytes(message, "cmac");
  const b = cipher.blockBytes;
  const { k1, k2 } = cmacSubkeys(cipher);
  // Step 2: n = ceil(Mlen / b), and n = 1 for the empty message.
  const n = message.length === 0 ? 1 : Math.ceil(message.length / b);
  const complete = message.length > 0 && message.length % b === 0;
  // Steps 3-4: M_n = K1 xor M_n* for a complete last block, else K2 xor (M_n* || 10^j).
  const formatted = new Uint8Array(n * b);
  formatted.set(message);
  if (!complete) formatted[message.length] = 0x80;
  const subkey = complete ? k1 : k2;
  const last = (n - 1) * b;
  for (let i = 0; i < b; i++) formatted[last + i] ^= subkey[i];
  // Steps 5-6: C_0 = 0^b, C_i = CIPH_K(C_i-1 xor M_i); T = C_n.
  const chain = cipher.cbcEncrypt(new Uint8Array(b), formatted);
  const tag = chain.slice(last, last + b);
  k1.fill(0);
  k2.fill(0);
  formatted.fill(0);
  chain.fill(0);
  return tag;
}

/** SP 800-38B with AES-128/192/256 (Appendix D.1-D.3): the 16-byte tag. */
export function aesCmac(c: CryptoProvider, key: Uint8Array, data: Uint8Array): Uint8Array {
  requireKey(key, [16, 24, 32], "aes-cmac");
  return cmac({
    blockBytes: 16,
    rb: 0x87,
    encryptBlock: (block) => c.aesEcbEncrypt(key, block),
    cbcEncrypt: (iv, d) => c.aesCbcEncrypt(key, iv, d),
  }, data);
}

/** SP 800-38B with TDEA, two-key (16 bytes) or three-key (24 bytes) (Appendix D.4): the 8-byte tag. */
export function tdesCmac(c: CryptoProvider, key: Uint8Array, data: Uint8Array): Uint8Array {
  requireKey(key, [16, 24], "tdes-cmac");
  return cmac({
    blockBytes: 8,
    rb: 0x1b,
    encryptBlock: (block) => c.tdesEcbEncrypt(key, block),
    cbcEncrypt: (iv, d) => c.tdesCbcEncrypt(key, iv, d),
  }, data);
}
