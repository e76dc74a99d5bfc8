import { CardDataError } from "./errors";

// Numeric data elements: format n is BCD, right-justified, padded on the left with zeros
// (EMV Book 3, 4.3); format b numbers are unsigned big-endian binary. Amounts are in the minor unit
// of their currency (Book 3, Annex A: Amount, Authorised '9F02' is n12, '81' the same as b4).

/** Encodes a non-negative integer as `length` bytes of BCD (n format). */
export function encodeNumeric(value: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError("numeric: not a non-negative integer");
  const digits = value.toString();
  if (digits.length > length * 2) throw new RangeError(`numeric: ${digits.length} digits do not fit n${length * 2}`);
  const padded = "0".repeat(length * 2 - digits.length) + digits;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = ((padded.charCodeAt(2 * i) - 48) << 4) | (padded.charCodeAt(2 * i + 1) - 48);
  }
  return out;
}

/** Decodes n-format BCD into a number; a nibble above 9 is a CardDataError naming `what`. */
export function decodeNumeric(bytes: Uint8Array, what: string): number {
  if (bytes.length > 7) throw new CardDataError(`${what}: ${bytes.length} bytes of n is more than the kernel reads`);
  let v = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hi = bytes[i] >> 4;
    const lo = bytes[i] & 0x0f;
    if (hi > 9 || lo > 9) throw new CardDataError(`${what}: not numeric (format n)`);
    v = v * 100 + hi * 10 + lo;
  }
  return v;
}

/**
 * The PAN digits of Application PAN '5A' (cn, up to 19 digits, padded on the right with 'F'). The
 * caller never logs the result; an error names the rule only.
 */
export function decodePan(bytes: Uint8Array): string {
  if (bytes.length < 1 || bytes.length > 10) throw new CardDataError(`Application PAN: ${bytes.length} bytes is outside 1-10`);
  let s = "";
  let ended = false;
  for (let i = 0; i < bytes.length * 2; i++) {
    const nib = i % 2 === 0 ? bytes[i >> 1] >> 4 : bytes[i >> 1] & 0x0f;
    if (nib === 0x0f) {
      ended = true;
      continue;
    }
    if (ended || nib > 9) throw new CardDataError("Application PAN: not compressed numeric (cn)");
    s += String.fromCharCode(48 + nib);
  }
  if (s.length < 7) throw new CardDataError("Application PAN: fewer than 7 digits");
  return s;
}
