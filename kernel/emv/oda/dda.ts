// Dynamic Data Authentication, EMV Book 2, 6.5: after INTERNAL AUTHENTICATE with the DDOL data
// (Book 3, 6.5.9), the terminal verifies the card's Signed Dynamic Application Data with the ICC
// public key recovered in 6.4.

import type { CryptoProvider } from "../../crypto/provider";
import { fail, type OdaOutcome } from "./errors";
import type { RsaPublicKey } from "./rsa-key";
import { iccDynamicNumber, recoverSignedDynamicData } from "./signed-dynamic-data";

/**
 * Book 2, 6.5.2 steps 1-8: `ddolData` is the data sent in INTERNAL AUTHENTICATE. On success the
 * ICC Dynamic Number (tag 9F4C) is returned for the terminal to store.
 */
export function verifyDynamicSignature(
  c: CryptoProvider,
  iccKey: RsaPublicKey,
  sdad: Uint8Array,
  ddolData: Uint8Array,
): OdaOutcome<{ iccDynamicNumber: Uint8Array }> {
  const r = recoverSignedDynamicData(c, iccKey, sdad, ddolData);
  if (!r.ok) return r;
  const number = iccDynamicNumber(r.iccDynamicData);
  if (!number) return fail("dynamic-data");
  return { ok: true, iccDynamicNumber: number };
}
