// Dates in offline data authentication. Certificates carry an expiration date MMYY, valid "up to
// and including the last day of the month" (EMV Book 2, 5.3 step 9 and 6.4 step 9); the terminal
// compares it with the Transaction Date (tag 9A, YYMMDD, n 6 as BCD). Two-digit years are read in
// the window of EMV Book 4, 6.7.3 (years 00-49 are 2000-2049, 50-99 are 1950-1999).

function bcdByte(b: number): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}

function fullYear(yy: number): number {
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

/** Year * 12 + month - 1 of a date, or -1 when it is not BCD or the month is not 1-12. */
function monthNumber(yy: number, mm: number): number {
  if (yy < 0 || mm < 1 || mm > 12) return -1;
  return fullYear(yy) * 12 + mm - 1;
}

/** The month index of the Transaction Date (3 bytes YYMMDD), or -1 when malformed. */
export function transactionMonth(date: Uint8Array): number {
  if (!(date instanceof Uint8Array) || date.length !== 3) return -1;
  const day = bcdByte(date[2]);
  if (day < 1 || day > 31) return -1;
  return monthNumber(bcdByte(date[0]), bcdByte(date[1]));
}

/** The month index of a certificate expiration date (2 bytes MMYY), or -1 when malformed. */
export function certificateMonth(mmyy: Uint8Array): number {
  if (!(mmyy instanceof Uint8Array) || mmyy.length !== 2) return -1;
  return monthNumber(bcdByte(mmyy[1]), bcdByte(mmyy[0]));
}

/**
 * True when a certificate expiring at the end of month `mmyy` is still valid on `today`; false
 * when it has expired or either date is malformed (a malformed date cannot be shown valid).
 */
export function certificateValidOn(mmyy: Uint8Array, today: Uint8Array): boolean {
  const expiry = certificateMonth(mmyy);
  const now = transactionMonth(today);
  return expiry >= 0 && now >= 0 && expiry >= now;
}

/** Days-resolution ordering key of a YYMMDD date (3 BCD bytes), or -1 when malformed. */
function dayNumber(date: Uint8Array): number {
  const month = transactionMonth(date);
  return month < 0 ? -1 : month * 32 + bcdByte(date[2]);
}

/**
 * True when a key whose last day of use is `expiry` (YYMMDD) may still be used on `today`: the
 * terminal does not use a CA public key after its expiration date (EMV Book 2, 11.2.2).
 */
export function keyValidOn(expiry: Uint8Array, today: Uint8Array): boolean {
  const last = dayNumber(expiry);
  const now = dayNumber(today);
  return last >= 0 && now >= 0 && now <= last;
}
