import { MposError } from "../../errors";

/**
 * Offline data authentication refused an input that is not card data: a CA public key file or
 * revocation list that is malformed or fails its checksum (found when the terminal loads it), or an
 * argument of the wrong type. Card data that fails a check is never an exception: it is an outcome
 * `{ ok: false, reason }` (STYLE.md). Messages name the element and rule, never a PAN.
 * Code: "oda-config".
 */
export class OdaConfigError extends MposError {
  constructor(message: string) {
    super("oda-config", message);
    this.name = "OdaConfigError";
  }
}

/**
 * Why offline data authentication (or one of its steps) failed, by the step of EMV Book 2 that
 * found it. Stable: the kernel maps them to TVR bits (Book 3, Annex C5) and logs them.
 */
export type OdaFailure =
  | "capk-missing" // no CA public key for the RID and index (Book 3, 10.3: "SDA/DDA failed")
  | "capk-expired" // the CA public key's own expiry date has passed (Book 2, 11.2.2)
  | "data-missing" // a certificate, exponent or remainder the method needs is absent (Book 3, 10.3)
  | "length-mismatch" // the signed data is not as long as the key's modulus (step 1)
  | "recovery-trailer" // the recovered data does not end in 'BC' (step 2)
  | "recovery-header" // the recovered data does not start with '6A' (step 3)
  | "format" // the certificate or signature format byte is not the one expected (step 4)
  | "hash-algorithm" // a hash algorithm indicator other than '01' (SHA-1)
  | "hash-mismatch" // the recovered hash differs from the computed one (steps 6-7)
  | "issuer-id-mismatch" // the issuer identifier is not the leading PAN digits (5.3 step 8)
  | "pan-mismatch" // the PAN in the ICC certificate differs from tag 5A (6.4 step 8)
  | "certificate-expired" // the certificate expiration date is before today (5.3 step 9, 6.4 step 9)
  | "certificate-revoked" // RID, CA index and serial are on the revocation list (5.3 step 10)
  | "pk-algorithm" // a public key algorithm indicator other than '01' (RSA)
  | "key-length" // a key length field that cannot be right (longer than the signer's modulus)
  | "remainder-mismatch" // a public key remainder of a length the certificate does not call for
  | "static-data" // records for ODA not coded as the rules require (Book 3, 10.3)
  | "sda-tag-list" // the Static Data Authentication Tag List holds a tag other than '82' (Book 3, 10.3)
  | "dynamic-data" // the ICC dynamic data does not fit the signature (6.5.2 / 6.6.2)
  | "cid-mismatch" // CDA: the CID in the signature differs from the one in the response (6.6.2 step 5)
  | "transaction-data-hash"; // CDA: the Transaction Data Hash Code does not match (6.6.2 steps 9-11)

export type OdaOutcome<T> = ({ ok: true } & T) | { ok: false; reason: OdaFailure };

export function fail(reason: OdaFailure): { ok: false; reason: OdaFailure } {
  return { ok: false, reason };
}
