// The application cryptogram (ARQC, TC or AAC), EMV Book 2, 8.1 and Annex A1.2: a MAC over the
// data the card was given and its own data, under the AC session key, with ISO/IEC 9797-1 MAC
// algorithm 3 (single DES, double-length key, output transformation 3) and padding method 2
// (8.1.2: "the padding method 2 of ISO/IEC 9797-1 is applied").

import { retailMac } from "../../crypto/iso9797";
import { EmvCryptoError, requireLength } from "./errors";
import type { CryptoProvider } from "../../crypto/provider";

/** The 8-byte application cryptogram over `data` under the 16-byte session key. */
export function applicationCryptogram(c: CryptoProvider, sessionKey: Uint8Array, data: Uint8Array): Uint8Array {
  requireLength(sessionKey, [16], "application cryptogram: session key");
  if (!(data instanceof Uint8Array)) throw new EmvCryptoError("application cryptogram: expected data bytes");
  return retailMac(c, sessionKey, data, 2);
}

/**
 * EMV Book 2, 8.1.1, Table 25: the data elements the specification recommends as the minimum
 * input of an application cryptogram, in this order (the first eight come from the terminal
 * through CDOL1 or CDOL2, the last two from the card).
 */
export const RECOMMENDED_AC_DATA: readonly { tag: string; length: number }[] = [
  { tag: "9F02", length: 6 }, // Amount, Authorised (Numeric)
  { tag: "9F03", length: 6 }, // Amount, Other (Numeric)
  { tag: "9F1A", length: 2 }, // Terminal Country Code
  { tag: "95", length: 5 }, // Terminal Verification Results
  { tag: "5F2A", length: 2 }, // Transaction Currency Code
  { tag: "9A", length: 3 }, // Transaction Date
  { tag: "9C", length: 1 }, // Transaction Type
  { tag: "9F37", length: 4 }, // Unpredictable Number
  { tag: "82", length: 2 }, // Application Interchange Profile
  { tag: "9F36", length: 2 }, // Application Transaction Counter
];

/**
 * The Common Core Definitions' input for Cryptogram Version 5 (EMV Book 2, CCD, Table CCD 3):
 * the Table 25 data, then the whole Issuer Application Data (tag 9F10) the card returns with the
 * cryptogram. The issuer rebuilds it from the authorization request's ICC data.
 */
export const CCD_AC_DATA: readonly string[] = [...RECOMMENDED_AC_DATA.map((e) => e.tag), "9F10"];

/**
 * The cryptogram input: the value of each tag of `tags` in order, from `lookup`. Fixed-length
 * elements of Table 25 must have their length; a missing element is an error (the issuer cannot
 * verify, the card cannot compute).
 */
export function cryptogramInput(tags: readonly string[], lookup: (tag: string) => Uint8Array | undefined): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const tag of tags) {
    const value = lookup(tag);
    if (!value) throw new EmvCryptoError(`application cryptogram: no ${tag}`);
    const fixed = RECOMMENDED_AC_DATA.find((e) => e.tag === tag);
    if (fixed && value.length !== fixed.length) throw new EmvCryptoError(`application cryptogram: ${tag} is not ${fixed.length} bytes`);
    parts.push(value);
    length += value.length;
  }
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
