// ICC master key derivation, EMV Book 2 Annex A1.4: the issuer derives each card's unique master
// keys (MK_AC, MK_SMI, MK_SMC) from its issuer master keys and the card's PAN and PAN Sequence
// Number, so that an issuer host needs only the issuer master key to verify any card's cryptogram.

import { EmvCryptoError, requireLength } from "./errors";
import { withOddParity } from "./des-key";
import type { CryptoProvider } from "../../crypto/provider";

export type MasterKeyOption = "A" | "B";

function digitsOnly(s: unknown, what: string, min: number, max: number): string {
  if (typeof s !== "string" || !/^[0-9]+$/.test(s) || s.length < min || s.length > max) {
    throw new EmvCryptoError(`${what}: expected ${min} to ${max} decimal digits`);
  }
  return s;
}

/** Packs decimal digits (an even number of them) into bytes, two digits a byte. */
function packDigits(digits: string): Uint8Array {
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = ((digits.charCodeAt(2 * i) - 0x30) << 4) | (digits.charCodeAt(2 * i + 1) - 0x30);
  }
  return out;
}

/**
 * EMV Book 2, A1.4.1 (option A), final step shared with option B: from the 16-digit value Y,
 * MK = DES3(IMK)[Y] || DES3(IMK)[Y xor ('FF' x 8)], with odd parity.
 */
function masterKeyFromY(c: CryptoProvider, imk: Uint8Array, y: Uint8Array): Uint8Array {
  const input = new Uint8Array(16);
  input.set(y, 0);
  for (let i = 0; i < 8; i++) input[8 + i] = y[i] ^ 0xff;
  const z = c.tdesEcbEncrypt(imk, input);
  const mk = withOddParity(z);
  z.fill(0);
  return mk;
}

/**
 * EMV Book 2, A1.4.2 (option B) for a PAN of more than 16 digits: X = PAN || PSN, a '0' prefixed
 * when the number of digits is odd, packed two digits a byte; SHA-1 of X; Y = the first 16 decimal
 * digits of the hash read as hex digits, and if there are fewer than 16, the hex digits A to F in
 * order of appearance, converted to 0 to 5.
 */
function optionBY(c: CryptoProvider, panPsn: string): Uint8Array {
  const x = packDigits(panPsn.length % 2 === 1 ? "0" + panPsn : panPsn);
  const hash = c.sha1(x);
  let decimal = "";
  let letters = "";
  for (let i = 0; i < hash.length * 2; i++) {
    const nibble = i % 2 === 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 0x0f;
    if (nibble < 10) decimal += String(nibble);
    else letters += String(nibble - 10);
  }
  return packDigits((decimal + letters).slice(0, 16));
}

/**
 * The ICC master key for one card (EMV Book 2, A1.4): `imk` is the double-length issuer master
 * key, `pan` the Application PAN (tag 5A) as 12 to 19 digits, `psn` the PAN Sequence Number
 * (tag 5F34) as two digits ("00" when the card has none).
 * Option A (A1.4.1): Y = the rightmost 16 digits of PAN || PSN, left-padded with zeros to 16.
 * Option B (A1.4.2): as option A when the PAN has 16 digits or fewer; otherwise Y from SHA-1.
 */
export function deriveIccMasterKey(
  c: CryptoProvider,
  imk: Uint8Array,
  pan: string,
  psn: string,
  option: MasterKeyOption = "A",
): Uint8Array {
  requireLength(imk, [16], "icc master key: issuer master key");
  digitsOnly(pan, "icc master key: PAN", 12, 19);
  digitsOnly(psn, "icc master key: PAN sequence number", 2, 2);
  if (option !== "A" && option !== "B") throw new EmvCryptoError("icc master key: option must be A or B");
  const panPsn = pan + psn;
  const y = option === "B" && pan.length > 16
    ? optionBY(c, panPsn)
    : packDigits(panPsn.slice(-16).padStart(16, "0"));
  return masterKeyFromY(c, imk, y);
}
