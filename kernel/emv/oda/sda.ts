// Static Data Authentication, EMV Book 2, 5.4: verification of the Signed Static Application Data
// (tag 93), signed by the issuer. Recovered, it reads (Table 7):
//   '6A' | format '03' | Hash Algorithm Indicator (1) | Data Authentication Code (2) |
//   Pad Pattern 'BB' (NI - 26) | Hash Result (20) | 'BC'
// and the hash covers format .. pad pattern || the static data to be authenticated.

import { concat, constantTimeEqual } from "../../bytes";
import type { CryptoProvider } from "../../crypto/provider";
import { fail, type OdaOutcome } from "./errors";
import { hashFor, recover, SHA1_BYTES } from "./recovery";
import type { RsaPublicKey } from "./rsa-key";

export const SSAD_FORMAT = 0x03;

/**
 * Book 2, 5.4 steps 1-7. On success the Data Authentication Code (tag 9F45) is returned for the
 * terminal to store.
 */
export function verifySignedStaticData(
  c: CryptoProvider,
  issuerKey: RsaPublicKey,
  ssad: Uint8Array,
  staticData: Uint8Array,
): OdaOutcome<{ dataAuthenticationCode: Uint8Array }> {
  const ni = issuerKey.modulus.length;
  const r = recover(c, issuerKey, ssad);
  if (!r.ok) return r;
  const x = r.recovered;
  if (x[1] !== SSAD_FORMAT) return fail("format");
  const hashEnd = ni - 1;
  const hashStart = hashEnd - SHA1_BYTES;
  const hash = hashFor(c, x[2], concat(x.subarray(1, hashStart), staticData));
  if (!hash) return fail("hash-algorithm");
  if (!constantTimeEqual(hash, x.subarray(hashStart, hashEnd))) return fail("hash-mismatch");
  return { ok: true, dataAuthenticationCode: x.slice(3, 5) };
}
