// The recovery function of EMV Book 2, Annex A2.1 as applied in 5.3, 5.4, 6.3-6.6: the RSA public
// operation on signed data as long as the modulus, then the trailer 'BC' and header '6A' checks
// (steps 1 to 3 of every certificate and signature check).

import type { CryptoProvider } from "../../crypto/provider";
import { fail, type OdaOutcome } from "./errors";
import type { RsaPublicKey } from "./rsa-key";

export const RECOVERED_HEADER = 0x6a;
export const RECOVERED_TRAILER = 0xbc;
/** Hash Algorithm Indicator '01': SHA-1 (Book 2, Annex B2.1). */
export const HASH_SHA1 = 0x01;
/** Public Key Algorithm Indicator '01': RSA (Book 2, Annex B2.1). */
export const PK_ALGORITHM_RSA = 0x01;
export const SHA1_BYTES = 20;

/**
 * Steps 1-3: `signed` must be as long as the modulus, and the recovered message must be
 * '6A' ... 'BC'. The whole recovered block is returned (header and trailer included).
 */
export function recover(c: CryptoProvider, key: RsaPublicKey, signed: Uint8Array): OdaOutcome<{ recovered: Uint8Array }> {
  if (!(signed instanceof Uint8Array) || signed.length !== key.modulus.length) return fail("length-mismatch");
  let recovered: Uint8Array;
  try {
    recovered = c.rsaPublic(key.modulus, key.exponent, signed);
  } catch {
    // The input is not less than the modulus (RFC 8017, 5.2.2 step 1): no valid signature is.
    return fail("recovery-trailer");
  }
  if (recovered[recovered.length - 1] !== RECOVERED_TRAILER) return fail("recovery-trailer");
  if (recovered[0] !== RECOVERED_HEADER) return fail("recovery-header");
  return { ok: true, recovered };
}

/** The SHA-1 hash of `data` (Hash Algorithm Indicator '01' is the only one EMV Book 2 defines). */
export function hashFor(c: CryptoProvider, algorithm: number, data: Uint8Array): Uint8Array | undefined {
  return algorithm === HASH_SHA1 ? c.sha1(data) : undefined;
}
