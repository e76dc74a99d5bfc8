// What the Issuer Public Key Certificate (EMV Book 2, 5.3, Table 6) and the ICC Public Key
// Certificate (6.4, Table 14; and the ICC PIN Encipherment Public Key Certificate, 7.1) share once
// recovered: after the format, the identifier, expiry and serial come
//   Hash Algorithm Indicator (1) | Public Key Algorithm Indicator (1) | Public Key Length (1) |
//   Public Key Exponent Length (1) | Public Key or its leftmost digits, padded with 'BB' |
//   Hash Result (20) | 'BC'
// and the hash covers format .. key field || Public Key Remainder || Exponent (|| static data for
// the ICC key). The steps on that part are the same in both sections.

import { concat, constantTimeEqual } from "../../bytes";
import type { CryptoProvider } from "../../crypto/provider";
import { fail, type OdaOutcome } from "./errors";
import { hashFor, SHA1_BYTES } from "./recovery";
import type { RsaPublicKey } from "./rsa-key";

/** A public key recovered from its certificate, with what the certificate says of it. */
export interface CertifiedPublicKey extends RsaPublicKey {
  /** Certificate Expiration Date as printed, MMYY. */
  expiry: string;
  /** Certificate Serial Number, 3 bytes. */
  serial: Uint8Array;
  hashAlgorithm: number;
  pkAlgorithm: number;
}

export interface CertifiedKey {
  /** The certified key's modulus: its leftmost digits (without the 'BB' padding) || the remainder. */
  modulus: Uint8Array;
  hashAlgorithm: number;
  pkAlgorithm: number;
}

/**
 * The key length check of step 4, steps 5-7 (remainder, hash) and the modulus of the last step
 * (5.3 step 12, 6.4 step 11), for a certificate recovered with a signer key of `signerLength` bytes
 * whose key field starts at `keyAt` (15 in Table 6, 21 in Table 14). `hashedAfter` follows the
 * exponent in the hash (the static data to be authenticated, Book 3, 10.3, or nothing).
 */
export function certifiedKey(
  c: CryptoProvider,
  recovered: Uint8Array,
  signerLength: number,
  keyAt: number,
  input: { remainder?: Uint8Array; exponent: Uint8Array },
  hashedAfter: Uint8Array,
): OdaOutcome<CertifiedKey> {
  const hashAlgorithm = recovered[keyAt - 4];
  const pkAlgorithm = recovered[keyAt - 3];
  const keyLength = recovered[keyAt - 2];
  // The key field holds what is left between the header fields and the hash and trailer.
  const room = signerLength - keyAt - SHA1_BYTES - 1;
  if (keyLength === 0 || keyLength > signerLength) return fail("key-length");
  const remainderLength = Math.max(0, keyLength - room);
  const remainder = input.remainder ?? new Uint8Array(0);
  if (remainderLength > 0 && input.remainder === undefined) return fail("data-missing");
  if (remainder.length !== remainderLength) return fail("remainder-mismatch");
  // Steps 5-7: hash over Certificate Format .. Public Key || Remainder || Exponent || hashedAfter.
  const hash = hashFor(c, hashAlgorithm, concat(recovered.subarray(1, keyAt + room), remainder, input.exponent, hashedAfter));
  if (!hash) return fail("hash-algorithm");
  if (!constantTimeEqual(hash, recovered.subarray(keyAt + room, keyAt + room + SHA1_BYTES))) return fail("hash-mismatch");
  const leftmost = recovered.subarray(keyAt, keyAt + Math.min(keyLength, room));
  return { ok: true, modulus: concat(leftmost, remainder), hashAlgorithm, pkAlgorithm };
}
