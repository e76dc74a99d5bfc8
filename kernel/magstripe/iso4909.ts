import { MagstripeError } from "./errors";
import { luhnValid } from "./luhn";
import { MAX_PAN_DIGITS, MIN_PAN_DIGITS } from "./iso7813";

// Track 3 of a financial transaction card (ISO/IEC 4909:2006, clause 8), as far as a payment
// reader uses it:
//   8.1 start sentinel ';'
//   8.2 format code, two digits: 01 and 02 the layouts of the standard's tables 1 and 2, 90-99
//       issuer-private, 00 invalid for interchange, 03-89 reserved
//   8.3 PAN, up to 19 digits, optional in dual-track operation (the PAN is then on track 2)
//   8.4 field separator '=', present whether the PAN is or not
//   8.5-8.27 currency, cycle amounts, PIN parameters, service restrictions, subsidiary accounts,
//       crypto check digits, additional data: digits and field separators, kept here as
//       `additionalData` (the reader neither updates nor interprets them)
//   8.28 end sentinel '?'

export interface Track3 {
  track: 3;
  formatCode: string;
  /** Null when the card leaves the PAN to track 2 (8.3). */
  pan: string | null;
  additionalData: string;
  luhn: boolean | null;
}

function fail(rule: string): never {
  throw new MagstripeError("magstripe-format", `track 3: ${rule} (ISO/IEC 4909)`);
}

/** Track 3: `text` from the start sentinel ';' to the end sentinel '?'. */
export function parseTrack3(text: string): Track3 {
  const n = text.length;
  if (n > 106) fail("more than 107 characters with the LRC");
  if (text[0] !== ";" || text[n - 1] !== "?") fail("the start sentinel ; and the end sentinel ? are required");
  for (let i = 1; i < n - 1; i++) {
    const c = text.charCodeAt(i);
    // Digits and the field separator; : < > are hardware control characters (ISO/IEC 7811-2).
    if (!(c >= 0x30 && c <= 0x39) && c !== 0x3d) fail(`character ${i + 1} is not a digit or a field separator`);
  }
  const formatCode = text.slice(1, 3);
  if (formatCode.length !== 2 || formatCode.indexOf("=") >= 0) fail("a two-digit format code is required (8.2)");
  const code = Number(formatCode);
  if (!(code === 1 || code === 2 || code >= 90)) fail("format code 01, 02 or 90-99 is required: 00 is invalid, 03-89 reserved (8.2)");
  const fs = text.indexOf("=", 3);
  if (fs < 0) fail("the PAN field must end with a field separator (8.4)");
  const digits = fs - 3;
  if (digits !== 0 && (digits < MIN_PAN_DIGITS || digits > MAX_PAN_DIGITS)) {
    fail(`a PAN of ${MIN_PAN_DIGITS} to ${MAX_PAN_DIGITS} digits, or none, is required (8.3)`);
  }
  const pan = digits === 0 ? null : text.slice(3, fs);
  return { track: 3, formatCode, pan, additionalData: text.slice(fs + 1, n - 1), luhn: pan === null ? null : luhnValid(pan) };
}
