// Combined DDA / Application Cryptogram Generation, EMV Book 2, 6.6: the card signs, in its
// GENERATE AC response (format 2, tag 9F4B), its ICC Dynamic Data (Table 19):
//   ICC Dynamic Number Length (1) | ICC Dynamic Number (2-8) | Cryptogram Information Data (1) |
//   TC or ARQC (8) | Transaction Data Hash Code (20)
// where the Transaction Data Hash Code is SHA-1 over (6.6.1):
//   the values of the PDOL data sent in GET PROCESSING OPTIONS (without tag 83 and its length) ||
//   the CDOL1 data of the first GENERATE AC || the CDOL2 data of the second one, for the second ||
//   every TLV data object of the GENERATE AC response except the Signed Dynamic Application Data,
//   in the order the card returned them.

import { concat, constantTimeEqual } from "../../bytes";
import type { CryptoProvider } from "../../crypto/provider";
import { fail, type OdaOutcome } from "./errors";
import type { RsaPublicKey } from "./rsa-key";
import { iccDynamicNumber, recoverSignedDynamicData } from "./signed-dynamic-data";

export interface CdaInput {
  iccKey: RsaPublicKey;
  /** Signed Dynamic Application Data, tag 9F4B of the GENERATE AC response. */
  sdad: Uint8Array;
  /** Unpredictable Number (tag 9F37) sent in the GENERATE AC command. */
  unpredictableNumber: Uint8Array;
  /** Cryptogram Information Data (tag 9F27) of the response, 1 byte. */
  cid: number;
  /** PDOL data values as sent in GET PROCESSING OPTIONS (empty when the card has no PDOL). */
  pdolData: Uint8Array;
  /** CDOL1 data values of the first GENERATE AC. */
  cdol1Data: Uint8Array;
  /** CDOL2 data values, for the second GENERATE AC only. */
  cdol2Data?: Uint8Array;
  /** The TLV objects of the response template (tag 77) except 9F4B, encoded, in order. */
  responseWithoutSdad: Uint8Array;
}

/** The Transaction Data Hash Code input of Book 2, 6.6.1 (see the header). */
export function transactionDataHashInput(input: Pick<CdaInput, "pdolData" | "cdol1Data" | "cdol2Data" | "responseWithoutSdad">): Uint8Array {
  return concat(input.pdolData, input.cdol1Data, input.cdol2Data ?? new Uint8Array(0), input.responseWithoutSdad);
}

/**
 * Book 2, 6.6.2 steps 1-11. On success the application cryptogram from the ICC Dynamic Data (the
 * terminal uses it as tag 9F26, 6.6.2 step 12) and the ICC Dynamic Number are returned.
 */
export function verifyCombinedSignature(
  c: CryptoProvider,
  input: CdaInput,
): OdaOutcome<{ iccDynamicNumber: Uint8Array; cryptogram: Uint8Array; cid: number }> {
  const r = recoverSignedDynamicData(c, input.iccKey, input.sdad, input.unpredictableNumber, (dynamic) => {
    const number = iccDynamicNumber(dynamic);
    if (!number || dynamic.length < 1 + number.length + 1 + 8 + 20) return fail("dynamic-data");
    // Step 5: the CID in the ICC Dynamic Data equals the CID the card returned.
    return dynamic[1 + number.length] === input.cid ? undefined : fail("cid-mismatch");
  });
  if (!r.ok) return r;
  const dynamic = r.iccDynamicData;
  const number = iccDynamicNumber(dynamic) as Uint8Array;
  const at = 1 + number.length;
  const cryptogram = dynamic.slice(at + 1, at + 9);
  const hashCode = dynamic.subarray(at + 9, at + 29);
  // Steps 9-11: the Transaction Data Hash Code.
  const expected = c.sha1(transactionDataHashInput(input));
  if (!constantTimeEqual(expected, hashCode)) return fail("transaction-data-hash");
  return { ok: true, iccDynamicNumber: number, cryptogram, cid: input.cid };
}
