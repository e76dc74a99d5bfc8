// The check digit of a primary account number (ISO/IEC 7812-1, Annex B: the Luhn formula,
// modulus 10 "double-add-double"): from the rightmost digit, which is the check digit, every
// second digit is doubled, the digits of the products and the other digits are summed, and the
// total must be a multiple of 10.

/** True when `digits` is a string of 2 or more decimal digits whose last is a valid Luhn check digit. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const c = digits.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return false;
    let d = double ? c * 2 : c;
    if (d > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit to append to `digits` (ISO/IEC 7812-1, Annex B); -1 for a non-digit. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  let double = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    const c = digits.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    let d = double ? c * 2 : c;
    if (d > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}
