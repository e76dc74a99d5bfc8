// The one crypto interface the whole kernel uses. The software provider (software.ts) runs on Node
// and on XS; the ESP32 build can plug a provider over Moddable's native `crypt` module in its place.
// Every operation is synchronous (both @noble/* and Moddable's crypt are) and takes keys as bytes:
// callers zeroize their own key buffers after use.

export interface CryptoProvider {
  /** AES-128/192/256 (FIPS 197), ECB over whole 16-byte blocks, no padding. */
  aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** AES CBC (SP 800-38A) over whole blocks, no padding; iv is 16 bytes. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;

  /** DES (8-byte key) or TDES (16-byte 2-key, 24-byte 3-key; SP 800-67), ECB over 8-byte blocks. */
  tdesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  tdesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** DES/TDES CBC over whole blocks, no padding; iv is 8 bytes. */
  tdesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  tdesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;

  /** FIPS 180-4. */
  sha1(data: Uint8Array): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  /** RFC 2104 / FIPS 198-1. */
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;

  /**
   * The RSA public operation input^exponent mod modulus (EMV Book 2 certificate recovery), result
   * left-padded to the modulus length. The input must be the modulus length and less than it.
   */
  rsaPublic(modulus: Uint8Array, exponent: Uint8Array, input: Uint8Array): Uint8Array;
}
