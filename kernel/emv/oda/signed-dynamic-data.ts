// The Signed Dynamic Application Data that DDA (EMV Book 2, 6.5) and CDA (6.6) verify, signed by
// the ICC. Recovered, it reads (Table 17):
//   '6A' | format '05' | Hash Algorithm Indicator (1) | ICC Dynamic Data Length LDD (1) |
//   ICC Dynamic Data (LDD) | Pad Pattern 'BB' (NIC - LDD - 25) | Hash Result (20) | 'BC'
// and the hash covers format .. pad pattern || the terminal dynamic data: the data the DDOL asked
// for (DDA, 6.5.2 step 5) or the Unpredictable Number (CDA, 6.6.2 step 6).

import { concat, constantTimeEqual } from "../../bytes";
import type { CryptoProvider } from "../../crypto/provider";
import { fail, type OdaOutcome } from "./errors";
import { hashFor, recover, SHA1_BYTES } from "./recovery";
import type { RsaPublicKey } from "./rsa-key";

export const SDAD_FORMAT = 0x05;

/** Steps 1-7 common to DDA and CDA; returns the ICC Dynamic Data. */
export function recoverSignedDynamicData(
  c: CryptoProvider,
  iccKey: RsaPublicKey,
  sdad: Uint8Array,
  terminalDynamicData: Uint8Array,
  beforeHash?: (iccDynamicData: Uint8Array) => OdaOutcome<object> | undefined,
): OdaOutcome<{ iccDynamicData: Uint8Array }> {
  const nic = iccKey.modulus.length;
  const r = recover(c, iccKey, sdad);
  if (!r.ok) return r;
  const x = r.recovered;
  if (x[1] !== SDAD_FORMAT) return fail("format");
  const ldd = x[3];
  if (ldd > nic - 25) return fail("dynamic-data");
  const iccDynamicData = x.slice(4, 4 + ldd);
  const early = beforeHash ? beforeHash(iccDynamicData) : undefined;
  if (early && !early.ok) return early;
  const hashEnd = nic - 1;
  const hashStart = hashEnd - SHA1_BYTES;
  const hash = hashFor(c, x[2], concat(x.subarray(1, hashStart), terminalDynamicData));
  if (!hash) return fail("hash-algorithm");
  if (!constantTimeEqual(hash, x.subarray(hashStart, hashEnd))) return fail("hash-mismatch");
  return { ok: true, iccDynamicData };
}

/** The ICC Dynamic Number (tag 9F4C) at the start of the ICC Dynamic Data (Tables 18 and 19). */
export function iccDynamicNumber(iccDynamicData: Uint8Array): Uint8Array | undefined {
  const n = iccDynamicData[0];
  if (iccDynamicData.length < 1 || n < 2 || n > 8 || iccDynamicData.length < 1 + n) return undefined;
  return iccDynamicData.slice(1, 1 + n);
}
