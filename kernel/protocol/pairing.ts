import { concat, toHex } from "../bytes";
import { randomBytes } from "../crypto";
import type { RandomSource } from "../../hal/random";
import { ascii, type SessionKeys } from "./handshake";
import type { SessionCrypto } from "./session-crypto";

// Binding a phone to the reader (docs/protocol.md, "Pairing"), inside an established session (so
// the reader is already authenticated by its certificate, and nobody else reads what follows):
//
//   phone -> reader  PAIR-BEGIN    phone id (8 random bytes the phone keeps), phone name
//                    the reader shows a fresh 6-digit code on its own display
//   phone -> reader  PAIR-CONFIRM  proof = HMAC-SHA-256(exporter, "mpos-ble v1 pair" || id || code)
//                    both sides keep bond key = HKDF(exporter, salt th, "mpos-ble v1 bond" || id ||
//                    code, 32): the phone proves it on every later connection with
//   phone -> reader  AUTHENTICATE  proof = HMAC-SHA-256(bond key, "mpos-ble v1 authenticate" || th || id)
//
// The code is only ever typed by a person and compared by the reader (in constant time): a guess
// costs an online attempt, ATTEMPTS_PER_CODE per code and CODES_PER_CONNECTION codes per
// connection, after which the reader refuses pairing on every connection for LOCKOUT_MS.

export const PAIRING_CODE_DIGITS = 6;
export const PHONE_ID_BYTES = 8;
export const ATTEMPTS_PER_CODE = 3;
export const CODES_PER_CONNECTION = 3;
export const LOCKOUT_MS = 60_000;

const LABEL_PAIR = "mpos-ble v1 pair";
const LABEL_BOND = "mpos-ble v1 bond";
const LABEL_AUTHENTICATE = "mpos-ble v1 authenticate";

/** A uniformly random 6-digit code (rejection sampling over 24 random bits: no modulo bias). */
export function generatePairingCode(random: RandomSource): string {
  for (;;) {
    const b = randomBytes(random, 3);
    const v = (b[0] << 16) | (b[1] << 8) | b[2];
    b.fill(0);
    if (v < 16_000_000) return String(v % 1_000_000).padStart(PAIRING_CODE_DIGITS, "0");
  }
}

export function isPairingCode(code: unknown): code is string {
  return typeof code === "string" && /^[0-9]{6}$/.test(code);
}

export function pairingProof(crypto: SessionCrypto, keys: SessionKeys, phoneId: Uint8Array, code: string): Uint8Array {
  return crypto.hmacSha256(keys.exporter, concat(ascii(LABEL_PAIR), phoneId, ascii(code)));
}

export function deriveBondKey(crypto: SessionCrypto, keys: SessionKeys, phoneId: Uint8Array, code: string): Uint8Array {
  return crypto.hkdf(keys.exporter, keys.transcriptHash, concat(ascii(LABEL_BOND), phoneId, ascii(code)), 32);
}

export function authenticationProof(crypto: SessionCrypto, bondKey: Uint8Array, keys: SessionKeys, phoneId: Uint8Array): Uint8Array {
  return crypto.hmacSha256(bondKey, concat(ascii(LABEL_AUTHENTICATE), keys.transcriptHash, phoneId));
}

/** A phone id for logs and the bond list (it is not a secret). */
export function phoneIdHex(phoneId: Uint8Array): string {
  return toHex(phoneId);
}
