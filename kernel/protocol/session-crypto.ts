import { p256 } from "@noble/curves/nist.js";
import { gcm } from "@noble/ciphers/aes.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { RandomSource } from "../../hal/random";
import { randomBytes } from "../crypto";
import { buildBaseTable } from "../crypto/base-point-table";
import { Secret } from "../security/secret";
import { SessionError } from "./errors";

// The public-key and AEAD primitives of the secure session, behind one interface so the ESP32 build
// can hand them to its native crypto (mbedTLS ECP and GCM, or a secure element for the identity key):
// pure-JS P-256 costs millions of XS compute units per scalar multiplication, so the reader does it
// once per connection, never per payment. `softwareSessionCrypto` runs the audited @noble code on
// Node and on XS.
//
// Encodings: public keys are SEC 1 uncompressed points (SEC 1 v2, 2.3.3: 04 || X || Y, 65 bytes,
// the form every native stack imports); an ECDH secret is the x-coordinate (SEC 1 v2, 3.3.1); an
// ECDSA signature is r || s, 32 bytes each (FIPS 186-5, 6.4, over SHA-256 of the message), high S
// accepted (native stacks do not normalise it).

export const P256_PUBLIC_KEY_BYTES = 65;
export const ECDSA_SIGNATURE_BYTES = 64;
export const GCM_TAG_BYTES = 16;
export const GCM_NONCE_BYTES = 12;

// The table of G (SEC 2, 2.4.2) for key generation, signing and verification, built at load (flash
// on the device).
buildBaseTable(p256.Point.BASE);

export interface KeyPair {
  secretKey: Secret;
  publicKey: Uint8Array;
}

export interface SessionCrypto {
  /** A fresh P-256 key pair, from the HAL's random source. */
  generateKeyPair(random: RandomSource): KeyPair;
  /** True for an uncompressed P-256 point (SEC 1 v2, 3.2.2.1 partial validation: on the curve, not infinity). */
  validPublicKey(publicKey: Uint8Array): boolean;
  /** The ECDH shared secret with a peer's public key; "session-key" when it is not a P-256 point. */
  ecdh(secretKey: Secret, peerPublicKey: Uint8Array): Uint8Array;
  sign(secretKey: Secret, message: Uint8Array): Uint8Array;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** RFC 5869 HKDF with SHA-256. */
  hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  sha256(data: Uint8Array): Uint8Array;
  /** AES-GCM (SP 800-38D) with a 12-byte nonce and a 16-byte tag: ciphertext || tag. */
  gcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or null when the tag does not verify. */
  gcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
}

function isPoint(publicKey: Uint8Array): boolean {
  return publicKey instanceof Uint8Array && publicKey.length === P256_PUBLIC_KEY_BYTES && publicKey[0] === 0x04 &&
    p256.utils.isValidPublicKey(publicKey, false);
}

function publicKeyPoint(publicKey: Uint8Array): void {
  if (!isPoint(publicKey)) {
    throw new SessionError("session-key", "session: a public key that is not an uncompressed P-256 point");
  }
}

export const softwareSessionCrypto: SessionCrypto = {
  generateKeyPair(random) {
    // FIPS 186-5, A.2.1: a secret key from 64 bits more randomness than the order, reduced mod n-1, + 1.
    const seed = randomBytes(random, p256.lengths.seed ?? 48);
    const secret = p256.utils.randomSecretKey(seed);
    seed.fill(0);
    const publicKey = p256.getPublicKey(secret, false);
    return { secretKey: Secret.adopt(secret), publicKey };
  },
  validPublicKey(publicKey) {
    return isPoint(publicKey);
  },
  ecdh(secretKey, peerPublicKey) {
    publicKeyPoint(peerPublicKey);
    const point = secretKey.use((sk) => p256.getSharedSecret(sk, peerPublicKey, true));
    const x = point.slice(1);
    point.fill(0);
    return x;
  },
  sign(secretKey, message) {
    return secretKey.use((sk) => p256.sign(message, sk, { lowS: false, prehash: true }));
  },
  verify(publicKey, message, signature) {
    if (!(signature instanceof Uint8Array) || signature.length !== ECDSA_SIGNATURE_BYTES) return false;
    try {
      publicKeyPoint(publicKey);
      return p256.verify(signature, message, publicKey, { lowS: false, prehash: true });
    } catch {
      return false;
    }
  },
  hkdf(ikm, salt, info, length) {
    return hkdf(sha256, ikm, salt, info, length);
  },
  hmacSha256(key, data) {
    return hmac(sha256, key, data);
  },
  sha256(data) {
    return sha256(data);
  },
  gcmSeal(key, nonce, aad, plaintext) {
    return gcm(key, nonce, aad).encrypt(plaintext);
  },
  gcmOpen(key, nonce, aad, sealed) {
    if (sealed.length < GCM_TAG_BYTES) return null;
    try {
      return gcm(key, nonce, aad).decrypt(sealed);
    } catch {
      return null;
    }
  },
};
