import { CardDataError } from "./errors";

// Dates in EMV are format n6, YYMMDD, two BCD digits each (Book 3, Annex A; format rules in Book 3,
// 4.3). The century comes from Book 4, 6.7.3: YY 00-49 is 20YY, 50-99 is 19YY.

export interface EmvDate {
  /** Four-digit year after the Book 4, 6.7.3 rule. */
  year: number;
  month: number;
  day: number;
}

function bcdByte(b: number): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  if (hi > 9 || lo > 9) return -1;
  return hi * 10 + lo;
}

/** Book 4, 6.7.3: 00-49 -> 2000-2049, 50-99 -> 1950-1999. */
export function centuryYear(yy: number): number {
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

/**
 * Decodes an n6 YYMMDD date. `what` names the data element for the error; a value that is not a
 * calendar date (month 13, day 00, a hex digit) is a CardDataError.
 */
export function decodeDate(bytes: Uint8Array, what: string): EmvDate {
  if (bytes.length !== 3) throw new CardDataError(`${what}: ${bytes.length} bytes, a date (n6) has 3`);
  const yy = bcdByte(bytes[0]);
  const mm = bcdByte(bytes[1]);
  const dd = bcdByte(bytes[2]);
  if (yy < 0 || mm < 0 || dd < 0) throw new CardDataError(`${what}: not a numeric (n6) date`);
  if (mm < 1 || mm > 12) throw new CardDataError(`${what}: month ${mm} is not 01-12`);
  if (dd < 1 || dd > daysInMonth(centuryYear(yy), mm)) {
    throw new CardDataError(`${what}: day ${dd} does not exist in month ${mm}`);
  }
  return { year: centuryYear(yy), month: mm, day: dd };
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareDates(a: EmvDate, b: EmvDate): number {
  return (a.year - b.year) * 10000 + (a.month - b.month) * 100 + (a.day - b.day);
}

/** The n6 encoding of a date (YYMMDD). */
export function encodeDate(d: EmvDate): Uint8Array {
  const yy = d.year % 100;
  const enc = (v: number) => ((Math.floor(v / 10) << 4) | (v % 10));
  return new Uint8Array([enc(yy), enc(d.month), enc(d.day)]);
}
