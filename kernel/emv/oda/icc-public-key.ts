// Retrieval of the ICC Public Key, EMV Book 2, 6.4 (DDA and CDA), and of the ICC PIN Encipherment
// Public Key, 7.1. The ICC Public Key Certificate (tag 9F46) is signed by the issuer; recovered, it
// reads (Table 14):
//   '6A' | format '04' | Application PAN (10, cn, padded with 'F') | Certificate Expiration Date
//   (2, MMYY) | Certificate Serial Number (3) | Hash Algorithm Indicator (1) | ICC Public Key
//   Algorithm Indicator (1) | ICC Public Key Length (1) | ICC Public Key Exponent Length (1) |
//   ICC Public Key or its leftmost NI - 42 bytes, padded with 'BB' | Hash Result (20) | 'BC'
// The hash covers format .. key || ICC Public Key Remainder || Exponent || the static data to be
// authenticated (Book 3, 10.3). The ICC PIN Encipherment Public Key Certificate (tag 9F2D) has the
// same layout, and its hash covers no static data (Book 2, 7.1).

import { constantTimeEqual, toHex } from "../../bytes";
import type { CryptoProvider } from "../../crypto/provider";
import { certificateValidOn } from "./dates";
import { fail, type OdaOutcome } from "./errors";
import { certifiedKey, type CertifiedPublicKey } from "./public-key-certificate";
import { PK_ALGORITHM_RSA, recover } from "./recovery";
import type { RsaPublicKey } from "./rsa-key";

export const ICC_CERTIFICATE_FORMAT = 0x04;
/** Table 14: where the ICC Public Key field starts in the recovered certificate. */
const ICC_KEY_AT = 21;

export type IccPublicKey = CertifiedPublicKey;

export interface IccCertificateInput {
  /** The recovered Issuer Public Key. */
  issuerKey: RsaPublicKey;
  /** ICC Public Key Certificate (9F46) or ICC PIN Encipherment Public Key Certificate (9F2D). */
  certificate: Uint8Array;
  /** ICC Public Key Remainder (9F48) or ICC PIN Encipherment Public Key Remainder (9F2F). */
  remainder?: Uint8Array;
  /** ICC Public Key Exponent (9F47) or ICC PIN Encipherment Public Key Exponent (9F2E). */
  exponent: Uint8Array;
  /** Application PAN, tag 5A, as the card sent it (cn, 'F'-padded). */
  panField: Uint8Array;
  /** Transaction Date (tag 9A, YYMMDD). */
  today: Uint8Array;
}

/** The PAN as it appears in an ICC certificate: tag 5A's bytes, right-padded with 'FF' to 10. */
function certificatePan(panField: Uint8Array): Uint8Array | undefined {
  if (panField.length === 0 || panField.length > 10) return undefined;
  const out = new Uint8Array(10).fill(0xff);
  out.set(panField);
  return out;
}

function recoverIccKey(
  c: CryptoProvider,
  input: IccCertificateInput,
  staticData: Uint8Array,
): OdaOutcome<{ key: IccPublicKey }> {
  const { issuerKey, certificate, exponent, today } = input;
  if (!(exponent instanceof Uint8Array) || exponent.length === 0) return fail("data-missing");
  // Steps 1-3.
  const r = recover(c, issuerKey, certificate);
  if (!r.ok) return r;
  const x = r.recovered;
  // Step 4: Certificate Format '04'.
  if (x[1] !== ICC_CERTIFICATE_FORMAT) return fail("format");
  // Step 4 (key length), steps 5-7: remainder and hash (over the static data too).
  const k = certifiedKey(c, x, issuerKey.modulus.length, ICC_KEY_AT, input, staticData);
  if (!k.ok) return k;
  // Step 8: the recovered PAN equals the Application PAN.
  const pan = certificatePan(input.panField);
  if (!pan || !constantTimeEqual(pan, x.subarray(2, 12))) return fail("pan-mismatch");
  // Step 9: expiry.
  const expiryBytes = x.subarray(12, 14);
  if (!certificateValidOn(expiryBytes, today)) return fail("certificate-expired");
  // Step 10: public key algorithm.
  if (k.pkAlgorithm !== PK_ALGORITHM_RSA) return fail("pk-algorithm");
  // Step 11: modulus.
  return {
    ok: true,
    key: {
      modulus: k.modulus,
      exponent: exponent.slice(),
      expiry: toHex(expiryBytes),
      serial: x.slice(14, 17),
      hashAlgorithm: k.hashAlgorithm,
      pkAlgorithm: k.pkAlgorithm,
    },
  };
}

/** Book 2, 6.4 steps 1-11; `staticData` is the static data to be authenticated (Book 3, 10.3). */
export function recoverIccPublicKey(
  c: CryptoProvider,
  input: IccCertificateInput & { staticData: Uint8Array },
): OdaOutcome<{ key: IccPublicKey }> {
  return recoverIccKey(c, input, input.staticData);
}

/** Book 2, 7.1: the ICC PIN Encipherment Public Key, whose certificate covers no static data. */
export function recoverIccPinEnciphermentKey(c: CryptoProvider, input: IccCertificateInput): OdaOutcome<{ key: IccPublicKey }> {
  return recoverIccKey(c, input, new Uint8Array(0));
}
