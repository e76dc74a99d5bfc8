// SHA-1 and SHA-256 (FIPS 180-4) and HMAC-SHA-256 (FIPS 198-1, RFC 2104), from @noble/hashes.
// SHA-1 stays for what the payment standards still name: EMV Book 2 certificate hashes and CA key
// check values. New designs use SHA-256.

import { sha1 as nobleSha1 } from "@noble/hashes/legacy.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { hmac } from "@noble/hashes/hmac.js";
import { requireBytes, requireHmacKey } from "./errors";

/** FIPS 180-4, 6.1: the 20-byte SHA-1 digest. */
export function sha1(data: Uint8Array): Uint8Array {
  requireBytes(data, "sha1");
  return nobleSha1(data);
}

/** FIPS 180-4, 6.2: the 32-byte SHA-256 digest. */
export function sha256(data: Uint8Array): Uint8Array {
  requireBytes(data, "sha256");
  return nobleSha256(data);
}

/**
 * FIPS 198-1, 4: HMAC with SHA-256, the full 32-byte MAC (truncation is the caller's rule). Keys
 * longer than the 64-byte block are hashed first, shorter ones zero-padded; an empty key is
 * refused (RFC 2104, 3: keys shorter than the output weaken the MAC, an empty one is a bug).
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  requireHmacKey(key, "hmac-sha256");
  requireBytes(data, "hmac-sha256");
  return hmac(nobleSha256, key, data);
}
