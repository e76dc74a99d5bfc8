import { MagstripeError } from "./errors";
import { luhnValid } from "./luhn";
import { TRACK_FORMATS, firstCharacterOutsideSet } from "./character-set";

// The layout of tracks 1 and 2 of a financial transaction card (ISO/IEC 7813, track 1 format B
// and track 2), field by field:
//
//   track 1:  %  B  PAN(up to 19 n)  ^  NAME(2-26)  ^  EXPIRY(YYMM | ^)  SERVICE CODE(3 n | ^)  DISCRETIONARY  ?
//   track 2:  ;  PAN(up to 19 n)  =  EXPIRY(YYMM | =)  SERVICE CODE(3 n | =)  DISCRETIONARY  ?
//
// An absent expiry date or service code is recorded as a field separator in its place.
// Parsing is also the structure check of a read (a burst of noise can pass parity and the LRC,
// it does not pass this), so it is strict: every field in its character class and length.

/** ISO/IEC 7813: the PAN is at most 19 digits. */
export const MAX_PAN_DIGITS = 19;
/**
 * The shortest PAN accepted on a payment read. ISO/IEC 7813 bounds only the maximum; the shortest
 * PAN the payment networks issue has 12 digits (Maestro). A floor keeps noise from passing as a PAN.
 */
export const MIN_PAN_DIGITS = 12;

export interface FinancialTrack {
  track: 1 | 2;
  /** Track 1 format code ("B"); null on track 2. */
  formatCode: string | null;
  pan: string;
  /** Cardholder name (track 1), as recorded, trailing spaces kept; null on track 2. */
  name: string | null;
  /** YYMM, or null when the card records a field separator instead. */
  expiry: string | null;
  /** Three digits, or null when absent. */
  serviceCode: string | null;
  discretionary: string;
  /** The PAN's check digit (ISO/IEC 7812-1, Annex B). */
  luhn: boolean;
}

function fail(track: number, rule: string): never {
  throw new MagstripeError("magstripe-format", `track ${track}: ${rule} (ISO/IEC 7813)`);
}

function checkCharacters(track: 1 | 2, text: string): void {
  const bad = firstCharacterOutsideSet(TRACK_FORMATS[track], text);
  if (bad >= 0) throw new MagstripeError("magstripe-charset", `track ${track}: character ${bad + 1} is outside the coded character set (ISO/IEC 7811-2)`);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function digitsAt(text: string, from: number, count: number): boolean {
  if (from + count > text.length) return false;
  for (let i = from; i < from + count; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Reads the PAN from `from` up to the field separator; returns the index of the separator. */
function panEnd(track: number, text: string, from: number, separator: string): number {
  let i = from;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  const digits = i - from;
  if (digits < MIN_PAN_DIGITS || digits > MAX_PAN_DIGITS) fail(track, `a PAN of ${MIN_PAN_DIGITS} to ${MAX_PAN_DIGITS} digits is required`);
  if (text[i] !== separator) fail(track, "the PAN must be followed by the field separator");
  return i;
}

/** Expiry date and service code, each digits or a field separator in its place; returns the next index. */
function expiryAndServiceCode(track: number, text: string, from: number, separator: string,
    out: { expiry: string | null; serviceCode: string | null }): number {
  let i = from;
  if (text[i] === separator) { out.expiry = null; i += 1; }
  else if (digitsAt(text, i, 4)) { out.expiry = text.slice(i, i + 4); i += 4; }
  else fail(track, "the expiry date must be YYMM or a field separator");
  if (text[i] === separator) { out.serviceCode = null; i += 1; }
  else if (digitsAt(text, i, 3)) { out.serviceCode = text.slice(i, i + 3); i += 3; }
  else fail(track, "the service code must be three digits or a field separator");
  return i;
}

/** Track 1, format B (ISO/IEC 7813): `text` from the start sentinel '%' to the end sentinel '?'. */
export function parseTrack1(text: string): FinancialTrack {
  const n = text.length;
  checkCharacters(1, text);
  if (n > 78) fail(1, "more than 79 characters with the LRC");
  if (text[0] !== "%" || text[n - 1] !== "?") fail(1, "the start sentinel % and the end sentinel ? are required");
  if (text[1] !== "B") fail(1, "only format code B is a financial card's track 1");
  const panStop = panEnd(1, text, 2, "^");
  const pan = text.slice(2, panStop);
  const nameStart = panStop + 1;
  const nameStop = text.indexOf("^", nameStart);
  if (nameStop < 0) fail(1, "the name must end with a field separator");
  const nameLength = nameStop - nameStart;
  if (nameLength < 2 || nameLength > 26) fail(1, "the name must have 2 to 26 characters");
  const name = text.slice(nameStart, nameStop);
  if (name.indexOf("%") >= 0 || name.indexOf("?") >= 0) fail(1, "a sentinel inside the name");
  const fields = { expiry: null as string | null, serviceCode: null as string | null };
  const ddStart = expiryAndServiceCode(1, text, nameStop + 1, "^", fields);
  const discretionary = text.slice(ddStart, n - 1);
  if (discretionary.indexOf("%") >= 0 || discretionary.indexOf("?") >= 0) fail(1, "a sentinel inside the discretionary data");
  return { track: 1, formatCode: "B", pan, name, expiry: fields.expiry, serviceCode: fields.serviceCode,
    discretionary, luhn: luhnValid(pan) };
}

/** Track 2 (ISO/IEC 7813): `text` from the start sentinel ';' to the end sentinel '?'. */
export function parseTrack2(text: string): FinancialTrack {
  const n = text.length;
  checkCharacters(2, text);
  if (n > 39) fail(2, "more than 40 characters with the LRC");
  if (text[0] !== ";" || text[n - 1] !== "?") fail(2, "the start sentinel ; and the end sentinel ? are required");
  const panStop = panEnd(2, text, 1, "=");
  const pan = text.slice(1, panStop);
  const fields = { expiry: null as string | null, serviceCode: null as string | null };
  const ddStart = expiryAndServiceCode(2, text, panStop + 1, "=", fields);
  const discretionary = text.slice(ddStart, n - 1);
  // Track 2's set also has the hardware control characters : < > (ISO/IEC 7811-2); data is digits
  // and field separators only.
  for (let i = 0; i < discretionary.length; i++) {
    const c = discretionary.charCodeAt(i);
    if (!isDigit(c) && c !== 0x3d) fail(2, `discretionary data character ${ddStart + i + 1} is not a digit or a field separator`);
  }
  return { track: 2, formatCode: null, pan, name: null, expiry: fields.expiry, serviceCode: fields.serviceCode,
    discretionary, luhn: luhnValid(pan) };
}
