// Retrieval of the Issuer Public Key, EMV Book 2, 5.3 (SDA), used unchanged by DDA and CDA (6.3).
// The Issuer Public Key Certificate (tag 90) is signed by the CA; recovered, it reads (Table 6):
//   '6A' | format '02' | Issuer Identifier (4, n, leftmost 3-8 PAN digits padded with 'F') |
//   Certificate Expiration Date (2, MMYY) | Certificate Serial Number (3) | Hash Algorithm
//   Indicator (1) | Issuer Public Key Algorithm Indicator (1) | Issuer Public Key Length (1) |
//   Issuer Public Key Exponent Length (1) | Issuer Public Key or its leftmost NCA - 36 bytes,
//   padded with 'BB' | Hash Result (20) | 'BC'

import { toHex } from "../../bytes";
import type { CryptoProvider } from "../../crypto/provider";
import type { CaPublicKey } from "./capk-store";
import { certificateValidOn, keyValidOn } from "./dates";
import { fail, type OdaOutcome } from "./errors";
import { certifiedKey, type CertifiedPublicKey } from "./public-key-certificate";
import { PK_ALGORITHM_RSA, recover } from "./recovery";
import type { CertificateRevocationList } from "./revocation-list";

export const ISSUER_CERTIFICATE_FORMAT = 0x02;
/** Table 6: where the Issuer Public Key field starts in the recovered certificate. */
const ISSUER_KEY_AT = 15;

export interface IssuerPublicKey extends CertifiedPublicKey {
  /** The Issuer Identifier as digits, 'F' padding removed (e.g. "476173"). */
  issuerId: string;
}

export interface IssuerCertificateInput {
  capk: CaPublicKey;
  /** Issuer Public Key Certificate, tag 90. */
  certificate: Uint8Array;
  /** Issuer Public Key Remainder, tag 92 (absent when the whole key fits the certificate). */
  remainder?: Uint8Array;
  /** Issuer Public Key Exponent, tag 9F32. */
  exponent: Uint8Array;
  /** Application PAN (tag 5A) as digits. */
  pan: string;
  /** Transaction Date (tag 9A, YYMMDD) for the expiry check. */
  today: Uint8Array;
  crl?: CertificateRevocationList;
}

/** The digits of a compressed-numeric field, stopping at the first 'F' nibble. */
export function cnDigits(bytes: Uint8Array): string | undefined {
  let s = "";
  for (let i = 0; i < bytes.length * 2; i++) {
    const n = i % 2 === 0 ? bytes[i >> 1] >> 4 : bytes[i >> 1] & 0x0f;
    if (n === 0x0f) {
      // everything after the first 'F' must be 'F' too
      for (let j = i; j < bytes.length * 2; j++) {
        if ((j % 2 === 0 ? bytes[j >> 1] >> 4 : bytes[j >> 1] & 0x0f) !== 0x0f) return undefined;
      }
      return s;
    }
    if (n > 9) return undefined;
    s += String(n);
  }
  return s;
}

/** Book 2, 5.3 steps 1-12. `{ ok: false, reason }` names the step that failed. */
export function recoverIssuerPublicKey(c: CryptoProvider, input: IssuerCertificateInput): OdaOutcome<{ key: IssuerPublicKey }> {
  const { capk, certificate, exponent, today } = input;
  if (!(exponent instanceof Uint8Array) || exponent.length === 0) return fail("data-missing");
  if (typeof input.pan !== "string") return fail("data-missing");
  // Book 2, 11.2.2: an expired CA public key is not used.
  if (capk.expiry && !keyValidOn(capk.expiry, today)) return fail("capk-expired");
  // Steps 1-3: length, recovery, trailer and header.
  const r = recover(c, capk, certificate);
  if (!r.ok) return r;
  const x = r.recovered;
  // Step 4: Certificate Format '02'.
  if (x[1] !== ISSUER_CERTIFICATE_FORMAT) return fail("format");
  // Step 4 (key length), steps 5-7: remainder and hash.
  const k = certifiedKey(c, x, capk.modulus.length, ISSUER_KEY_AT, input, new Uint8Array(0));
  if (!k.ok) return k;
  // Step 8: the Issuer Identifier matches the leftmost 3-8 PAN digits.
  const issuerId = cnDigits(x.subarray(2, 6));
  if (issuerId === undefined || issuerId.length < 3 || !input.pan.startsWith(issuerId)) return fail("issuer-id-mismatch");
  // Step 9: the last day of the expiration month is today or later.
  const expiryBytes = x.subarray(6, 8);
  if (!certificateValidOn(expiryBytes, today)) return fail("certificate-expired");
  // Step 10: RID || CA index || serial not on the revocation list.
  const serial = x.slice(8, 11);
  if (input.crl && input.crl.isRevoked(capk.rid, capk.index, serial)) return fail("certificate-revoked");
  // Step 11: the public key algorithm is recognised.
  if (k.pkAlgorithm !== PK_ALGORITHM_RSA) return fail("pk-algorithm");
  // Step 12: modulus = leftmost digits (without 'BB' padding) || remainder.
  const key: IssuerPublicKey = {
    modulus: k.modulus,
    exponent: exponent.slice(),
    issuerId,
    expiry: toHex(expiryBytes),
    serial,
    hashAlgorithm: k.hashAlgorithm,
    pkAlgorithm: k.pkAlgorithm,
  };
  return { ok: true, key };
}
