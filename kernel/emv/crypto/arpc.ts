// The Authorisation Response Cryptogram, EMV Book 2, 8.2 and Annex A1.2.1 / A1.2.2: the issuer's
// proof to the card (issuer authentication) that it saw the ARQC and the response it sends.

import { concat, constantTimeEqual } from "../../bytes";
import { retailMac } from "../../crypto/iso9797";
import { EmvCryptoError, requireLength } from "./errors";
import type { CryptoProvider } from "../../crypto/provider";

/**
 * ARPC method 1 (A1.2.1): ARPC = DES3(SK_AC)[ARQC xor (ARC || '00' x 6)], 8 bytes; `arc` is the
 * 2-byte Authorisation Response Code (tag 8A). The Issuer Authentication Data (tag 91) is then
 * ARPC || ARC (Book 3, 10.9).
 */
export function arpcMethod1(c: CryptoProvider, sessionKey: Uint8Array, arqc: Uint8Array, arc: Uint8Array): Uint8Array {
  requireLength(sessionKey, [16], "arpc method 1: session key");
  requireLength(arqc, [8], "arpc method 1: ARQC");
  requireLength(arc, [2], "arpc method 1: ARC");
  const x = arqc.slice();
  x[0] ^= arc[0];
  x[1] ^= arc[1];
  const arpc = c.tdesEcbEncrypt(sessionKey, x);
  x.fill(0);
  return arpc;
}

/**
 * ARPC method 2 (A1.2.2): ARPC = the leftmost 4 bytes of the MAC (ISO/IEC 9797-1 algorithm 3,
 * padding method 2) over ARQC || CSU || Proprietary Authentication Data, under SK_AC. `csu` is the
 * 4-byte Card Status Update; the proprietary data is 0 to 8 bytes. The Issuer Authentication Data
 * (tag 91) is then ARPC || CSU || Proprietary Authentication Data.
 */
export function arpcMethod2(
  c: CryptoProvider,
  sessionKey: Uint8Array,
  arqc: Uint8Array,
  csu: Uint8Array,
  proprietary: Uint8Array = new Uint8Array(0),
): Uint8Array {
  requireLength(sessionKey, [16], "arpc method 2: session key");
  requireLength(arqc, [8], "arpc method 2: ARQC");
  requireLength(csu, [4], "arpc method 2: CSU");
  if (!(proprietary instanceof Uint8Array) || proprietary.length > 8) {
    throw new EmvCryptoError("arpc method 2: proprietary authentication data must be 0 to 8 bytes");
  }
  const mac = retailMac(c, sessionKey, concat(arqc, csu, proprietary), 2);
  const arpc = mac.slice(0, 4);
  mac.fill(0);
  return arpc;
}

/** Issuer Authentication Data (tag 91) as method 1 sends it: ARPC || ARC (10 bytes). */
export function issuerAuthenticationDataMethod1(arpc: Uint8Array, arc: Uint8Array): Uint8Array {
  requireLength(arpc, [8], "issuer authentication data: ARPC");
  requireLength(arc, [2], "issuer authentication data: ARC");
  return concat(arpc, arc);
}

/** Issuer Authentication Data (tag 91) as method 2 sends it: ARPC || CSU || proprietary data. */
export function issuerAuthenticationDataMethod2(arpc: Uint8Array, csu: Uint8Array, proprietary: Uint8Array = new Uint8Array(0)): Uint8Array {
  requireLength(arpc, [4], "issuer authentication data: ARPC");
  requireLength(csu, [4], "issuer authentication data: CSU");
  if (proprietary.length > 8) throw new EmvCryptoError("issuer authentication data: proprietary data over 8 bytes");
  return concat(arpc, csu, proprietary);
}

export type IssuerAuthentication =
  | { ok: true; method: 1; arc: Uint8Array }
  | { ok: true; method: 2; csu: Uint8Array; proprietary: Uint8Array }
  | { ok: false; reason: "length" | "arpc-mismatch" };

/**
 * The card's side of issuer authentication (Book 2, 8.2; Book 3, 6.5.4 EXTERNAL AUTHENTICATE):
 * recomputes the ARPC from the Issuer Authentication Data (tag 91) and compares in constant time.
 * Method 1 data is 10 bytes; method 2 data is 8 to 16 bytes.
 */
export function verifyIssuerAuthentication(
  c: CryptoProvider,
  method: 1 | 2,
  sessionKey: Uint8Array,
  arqc: Uint8Array,
  issuerAuthenticationData: Uint8Array,
): IssuerAuthentication {
  const iad = issuerAuthenticationData;
  if (method === 1) {
    if (iad.length !== 10) return { ok: false, reason: "length" };
    const arc = iad.slice(8, 10);
    const expected = arpcMethod1(c, sessionKey, arqc, arc);
    return constantTimeEqual(expected, iad.subarray(0, 8)) ? { ok: true, method: 1, arc } : { ok: false, reason: "arpc-mismatch" };
  }
  if (iad.length < 8 || iad.length > 16) return { ok: false, reason: "length" };
  const csu = iad.slice(4, 8);
  const proprietary = iad.slice(8);
  const expected = arpcMethod2(c, sessionKey, arqc, csu, proprietary);
  return constantTimeEqual(expected, iad.subarray(0, 4))
    ? { ok: true, method: 2, csu, proprietary }
    : { ok: false, reason: "arpc-mismatch" };
}
