// AES (FIPS 197) for 128, 192 and 256-bit keys, ECB and CBC over whole 16-byte blocks with no
// padding (NIST SP 800-38A, 6.1 and 6.2). The block cipher is @noble/ciphers (audited, runs on
// XS); this file checks the inputs at the door and switches off the library's PKCS#7 layer:
// every caller here (DUKPT, TR-31, CMAC, P2PE) pads by its own standard's rule.

import { cbc, ecb } from "@noble/ciphers/aes.js";
import { requireBlocks, requireIv, requireKey } from "./errors";

export const AES_BLOCK_BYTES = 16;
// FIPS 197, 5: Nk = 4, 6 or 8 words.
export const AES_KEY_LENGTHS: readonly number[] = [16, 24, 32];
const NO_PADDING = { disablePadding: true };

/** AES ECB encryption (SP 800-38A, 6.1) of whole blocks. */
export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  requireKey(key, AES_KEY_LENGTHS, "aes-ecb");
  requireBlocks(data, AES_BLOCK_BYTES, "aes-ecb");
  return ecb(key, NO_PADDING).encrypt(data);
}

/** AES ECB decryption (SP 800-38A, 6.1) of whole blocks. */
export function aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  requireKey(key, AES_KEY_LENGTHS, "aes-ecb");
  requireBlocks(data, AES_BLOCK_BYTES, "aes-ecb");
  return ecb(key, NO_PADDING).decrypt(data);
}

/** AES CBC encryption (SP 800-38A, 6.2) of whole blocks; the IV is one block. */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  requireKey(key, AES_KEY_LENGTHS, "aes-cbc");
  requireIv(iv, AES_BLOCK_BYTES, "aes-cbc");
  requireBlocks(data, AES_BLOCK_BYTES, "aes-cbc");
  return cbc(key, iv, NO_PADDING).encrypt(data);
}

/** AES CBC decryption (SP 800-38A, 6.2) of whole blocks; the IV is one block. */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  requireKey(key, AES_KEY_LENGTHS, "aes-cbc");
  requireIv(iv, AES_BLOCK_BYTES, "aes-cbc");
  requireBlocks(data, AES_BLOCK_BYTES, "aes-cbc");
  return cbc(key, iv, NO_PADDING).decrypt(data);
}
