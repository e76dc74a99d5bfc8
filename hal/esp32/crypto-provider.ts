import { BlockCipher, Digest, Mode } from "crypt";
import type { CryptoProvider } from "../../kernel/crypto/provider";
import { AES_BLOCK_BYTES, AES_KEY_LENGTHS } from "../../kernel/crypto/aes";
import { DES_BLOCK_BYTES, DES_KEY_LENGTHS } from "../../kernel/crypto/tdes";
import { requireBlocks, requireBytes, requireHmacKey, requireIv, requireKey } from "../../kernel/crypto/errors";
import { rsaPublic } from "../../kernel/crypto/rsa";

// The reader's CryptoProvider on the ESP32 (kernel/crypto/provider.ts): the symmetric ciphers and
// hashes in native code, through Moddable's `crypt` module (modules/crypt/digest: crypt.js over
// modCrypt.c and the KCL C sources fips46.c, fips197.c, fips180.c). On XS in pure JavaScript a
// TDES or SHA-256 pass over 1 KB costs more than the tap budget allows (host-sim/bench/goals.ts);
// in C it is a small fraction of it. The KCL code is portable C: Moddable's build does not route
// it to the ESP32-S3's AES and SHA accelerators (that needs a native module over ESP-IDF's
// mbedTLS port; not done).
//
// Every input is checked at the door with the software provider's checks (kernel/crypto/errors.ts,
// the same key lengths and CryptoInputError codes), so both providers refuse the same inputs the
// same way; the native module then sees only lengths it accepts.
//
// RSA stays kernel/crypto/rsa.ts: the public exponent is 3 or 2^16 + 1 (EMV Book 2, Annex B2.1),
// at most 17 modular squarings, and each is already native (XS implements BigInt in C). crypt's
// modular exponentiation (arith/modular.js, "xs_mod2_exp") comes only with the TLS manifest
// (tls_common.json: the SSL stack, its CA certificates), far more flash than it would save.
//
// Keys: the native objects copy the key into their own memory, which JavaScript cannot wipe; the
// ArrayBuffer copies made here are zeroized as soon as the native object holds the key, and the
// native copy goes with the object at the next collection.

/** A fresh ArrayBuffer of exactly these bytes (crypt reads keys and IVs with xsmcToArrayBuffer). */
function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

function wipe(buffer: ArrayBuffer): void {
  new Uint8Array(buffer).fill(0);
}

/** A native block cipher over `key`, the JavaScript copy of the key wiped once the cipher holds it. */
function blockCipher(name: "DES" | "TDES" | "AES", key: Uint8Array): BlockCipher {
  const copy = arrayBufferOf(key);
  try {
    return new BlockCipher(name, copy);
  } finally {
    wipe(copy);
  }
}

/**
 * The DES or TDES cipher for one direction. modCrypt.c (xs_crypt_cipher_setDirection and
 * xs_crypt_cipher_process) always applies the key's thirds in the order K1, K2, K3: E_K3(D_K2(E_K1(P)))
 * to encrypt, as SP 800-67 Rev. 2, 3.2 says, but D_K3(E_K2(D_K1(C))) to decrypt, the inverse only
 * when K3 = K1. So a three-key decryption hands it K3 || K2 || K1, for D_K1(E_K2(D_K3(C))) (3.2);
 * for keying option 2 (K3 = K1) the order is the same either way. An 8-byte key is single DES,
 * "DES" (one pass, not three).
 */
function desCipher(key: Uint8Array, decrypt: boolean): BlockCipher {
  if (key.length === 8) return blockCipher("DES", key);
  if (!decrypt || key.length === 16) return blockCipher("TDES", key);
  const reversed = new Uint8Array(24);
  reversed.set(key.subarray(16, 24), 0);
  reversed.set(key.subarray(8, 16), 8);
  reversed.set(key.subarray(0, 8), 16);
  try {
    return blockCipher("TDES", reversed);
  } finally {
    reversed.fill(0);
  }
}

/** One pass of a mode over whole blocks, no padding (the fourth argument false), from a fresh Mode. */
function run(mode: "ECB" | "CBC", cipher: BlockCipher, iv: Uint8Array | null, data: Uint8Array, decrypt: boolean): Uint8Array {
  const m = iv === null ? new Mode(mode, cipher, undefined, false) : new Mode(mode, cipher, arrayBufferOf(iv), false);
  return new Uint8Array(decrypt ? m.decrypt(data) : m.encrypt(data));
}

function aes(key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, decrypt: boolean): Uint8Array {
  const what = iv === null ? "aes-ecb" : "aes-cbc";
  requireKey(key, AES_KEY_LENGTHS, what);
  if (iv !== null) requireIv(iv, AES_BLOCK_BYTES, what);
  requireBlocks(data, AES_BLOCK_BYTES, what);
  return run(iv === null ? "ECB" : "CBC", blockCipher("AES", key), iv, data, decrypt);
}

function tdes(key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, decrypt: boolean): Uint8Array {
  const what = iv === null ? "tdes-ecb" : "tdes-cbc";
  // kernel/crypto/tdes.ts's order: data, IV, key (aes.ts checks the key first).
  requireBlocks(data, DES_BLOCK_BYTES, what);
  if (iv !== null) requireIv(iv, DES_BLOCK_BYTES, what);
  requireKey(key, DES_KEY_LENGTHS, what);
  return run(iv === null ? "ECB" : "CBC", desCipher(key, decrypt), iv, data, decrypt);
}

/** FIPS 180-4 over `parts` in order. An empty part is not written: XS may give an empty buffer no memory. */
function digest(type: "SHA1" | "SHA256", ...parts: Uint8Array[]): Uint8Array {
  const d = new Digest(type);
  for (const p of parts) if (p.length > 0) d.write(p);
  return new Uint8Array(d.close());
}

/**
 * FIPS 198-1, 4: HMAC(K, text) = H((K0 xor opad) || H((K0 xor ipad) || text)), K0 the key padded
 * with zeros to the hash's block (B = 64 bytes for SHA-256), or first hashed if longer than B.
 * crypt.js exports no HMAC class (modCrypt.c's xs_crypt_HMAC is not bound to one), so it is built
 * here over the native digest; the key-dependent blocks are wiped after use.
 */
function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  requireHmacKey(key, "hmac-sha256");
  requireBytes(data, "hmac-sha256");
  const B = 64;
  const pad = new Uint8Array(B);
  const hashedKey = key.length > B ? digest("SHA256", key) : null;
  pad.set(hashedKey ?? key);
  hashedKey?.fill(0);
  for (let i = 0; i < B; i++) pad[i] ^= 0x36; // K0 xor ipad
  const inner = digest("SHA256", pad, data);
  for (let i = 0; i < B; i++) pad[i] ^= 0x36 ^ 0x5c; // K0 xor opad
  const mac = digest("SHA256", pad, inner);
  pad.fill(0);
  inner.fill(0);
  return mac;
}

export const nativeCrypto: CryptoProvider = Object.freeze({
  aesEcbEncrypt: (key: Uint8Array, data: Uint8Array) => aes(key, null, data, false),
  aesEcbDecrypt: (key: Uint8Array, data: Uint8Array) => aes(key, null, data, true),
  aesCbcEncrypt: (key: Uint8Array, iv: Uint8Array, data: Uint8Array) => aes(key, iv, data, false),
  aesCbcDecrypt: (key: Uint8Array, iv: Uint8Array, data: Uint8Array) => aes(key, iv, data, true),
  tdesEcbEncrypt: (key: Uint8Array, data: Uint8Array) => tdes(key, null, data, false),
  tdesEcbDecrypt: (key: Uint8Array, data: Uint8Array) => tdes(key, null, data, true),
  tdesCbcEncrypt: (key: Uint8Array, iv: Uint8Array, data: Uint8Array) => tdes(key, iv, data, false),
  tdesCbcDecrypt: (key: Uint8Array, iv: Uint8Array, data: Uint8Array) => tdes(key, iv, data, true),
  sha1: (data: Uint8Array) => {
    requireBytes(data, "sha1");
    return digest("SHA1", data);
  },
  sha256: (data: Uint8Array) => {
    requireBytes(data, "sha256");
    return digest("SHA256", data);
  },
  hmacSha256,
  rsaPublic,
});
