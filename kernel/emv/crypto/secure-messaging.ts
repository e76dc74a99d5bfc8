// Secure messaging for issuer script commands, EMV Book 2 section 9 (format 1):
// - integrity and authentication (9.2): the command carries a MAC in its data field, computed with
//   ISO/IEC 9797-1 MAC algorithm 3 and padding method 2 under SK_SMI (A1.3 with R = the application
//   cryptogram of the first GENERATE AC). The MAC input is the command header with CLA '84' and the
//   Lc the command is sent with (data plus MAC), then the ATC and the application cryptogram, then
//   the plaintext or enciphered command data;
// - confidentiality (9.3): data is enciphered with TDES under SK_SMC in ECB mode (A1.1); data whose
//   length is not a multiple of 8 is first written as LD || data || '80' || '00'... (9.3.2).

import { concat, constantTimeEqual } from "../../bytes";
import { retailMac } from "../../crypto/iso9797";
import { EmvCryptoError, requireLength } from "./errors";
import type { CryptoProvider } from "../../crypto/provider";

/** Book 2, 9.2.2: the MAC of a command is 4 to 8 bytes (the leftmost bytes of the 8-byte MAC). */
export const SCRIPT_MAC_BYTES = 8;

export interface ScriptCommandHeader {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
}

function macInput(header: ScriptCommandHeader, data: Uint8Array, macLength: number, atc: Uint8Array, cryptogram: Uint8Array): Uint8Array {
  const lc = data.length + macLength;
  if (lc > 255) throw new EmvCryptoError("secure messaging: command data and MAC exceed 255 bytes");
  return concat(new Uint8Array([header.cla, header.ins, header.p1, header.p2, lc]), atc, cryptogram, data);
}

function checkMacLength(macLength: number): void {
  if (!Number.isInteger(macLength) || macLength < 4 || macLength > 8) {
    throw new EmvCryptoError("secure messaging: MAC length must be 4 to 8 bytes (Book 2, 9.2.2)");
  }
}

/** The MAC of one script command (Book 2, 9.2.3), `macLength` leftmost bytes. */
export function scriptCommandMac(
  c: CryptoProvider,
  skSmi: Uint8Array,
  header: ScriptCommandHeader,
  data: Uint8Array,
  atc: Uint8Array,
  cryptogram: Uint8Array,
  macLength: number = SCRIPT_MAC_BYTES,
): Uint8Array {
  requireLength(skSmi, [16], "secure messaging: SK_SMI");
  requireLength(atc, [2], "secure messaging: ATC");
  requireLength(cryptogram, [8], "secure messaging: application cryptogram");
  checkMacLength(macLength);
  const mac = retailMac(c, skSmi, macInput(header, data, macLength, atc, cryptogram), 2);
  const out = mac.slice(0, macLength);
  mac.fill(0);
  return out;
}

/** The whole command APDU CLA INS P1 P2 Lc data MAC (case 3), as the issuer sends it in a script. */
export function securedScriptCommand(
  c: CryptoProvider,
  skSmi: Uint8Array,
  header: ScriptCommandHeader,
  data: Uint8Array,
  atc: Uint8Array,
  cryptogram: Uint8Array,
  macLength: number = SCRIPT_MAC_BYTES,
): Uint8Array {
  const mac = scriptCommandMac(c, skSmi, header, data, atc, cryptogram, macLength);
  return concat(new Uint8Array([header.cla, header.ins, header.p1, header.p2, data.length + macLength]), data, mac);
}

/**
 * The card's check of a secured command: the last `macLength` bytes of `body` are the MAC of the
 * rest. Returns the data without the MAC, or null when the MAC does not verify.
 */
export function verifyScriptCommandMac(
  c: CryptoProvider,
  skSmi: Uint8Array,
  header: ScriptCommandHeader,
  body: Uint8Array,
  atc: Uint8Array,
  cryptogram: Uint8Array,
  macLength: number = SCRIPT_MAC_BYTES,
): Uint8Array | null {
  checkMacLength(macLength);
  if (!(body instanceof Uint8Array) || body.length < macLength) return null;
  const data = body.slice(0, body.length - macLength);
  const expected = scriptCommandMac(c, skSmi, header, data, atc, cryptogram, macLength);
  return constantTimeEqual(expected, body.subarray(body.length - macLength)) ? data : null;
}

/** Book 2, 9.3.2: the plaintext data block, then TDES-ECB under SK_SMC. */
export function encipherScriptData(c: CryptoProvider, skSmc: Uint8Array, plaintext: Uint8Array): Uint8Array {
  requireLength(skSmc, [16], "secure messaging: SK_SMC");
  if (!(plaintext instanceof Uint8Array) || plaintext.length === 0 || plaintext.length > 240) {
    throw new EmvCryptoError("secure messaging: plaintext must be 1 to 240 bytes");
  }
  let block = plaintext;
  if (plaintext.length % 8 !== 0) {
    const withLength = concat(new Uint8Array([plaintext.length]), plaintext);
    block = new Uint8Array(Math.ceil((withLength.length + 1) / 8) * 8);
    block.set(withLength);
    block[withLength.length] = 0x80;
  }
  return c.tdesEcbEncrypt(skSmc, block);
}

/** The inverse of encipherScriptData for data known to be whole blocks (e.g. a PIN block). */
export function decipherScriptData(c: CryptoProvider, skSmc: Uint8Array, enciphered: Uint8Array): Uint8Array {
  requireLength(skSmc, [16], "secure messaging: SK_SMC");
  if (!(enciphered instanceof Uint8Array) || enciphered.length === 0 || enciphered.length % 8 !== 0) {
    throw new EmvCryptoError("secure messaging: enciphered data must be whole 8-byte blocks");
  }
  return c.tdesEcbDecrypt(skSmc, enciphered);
}
