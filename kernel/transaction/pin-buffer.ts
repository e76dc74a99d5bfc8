import type { DigitKey } from "../../hal/keypad";
import { PIN_MAX_DIGITS } from "../security/pin-block";

// The PIN buffer: the one place a PIN's digits live between the keypad and the PIN block (PCI PTS
// POI: the PIN is protected from the moment it is entered). Digits are ASCII bytes in a fixed
// buffer that is overwritten when a digit is cleared and zeroized as soon as the digits are taken;
// nothing reads a digit back except `take()`, which hands them over once, to be turned into a PIN
// block and zeroized by the taker. The buffer never serializes or prints itself.

export class PinBuffer {
  private readonly digits = new Uint8Array(PIN_MAX_DIGITS);
  private count = 0;

  /** How many digits are held (what the display shows as asterisks). */
  get length(): number {
    return this.count;
  }

  /** Appends one digit; false (and nothing changes) when the buffer already holds `max`. */
  add(key: DigitKey, max: number = PIN_MAX_DIGITS): boolean {
    const limit = Math.min(max, PIN_MAX_DIGITS);
    if (this.count >= limit) return false;
    const code = key.charCodeAt(0);
    if (key.length !== 1 || code < 0x30 || code > 0x39) return false;
    this.digits[this.count++] = code;
    return true;
  }

  /** Removes the last digit (its byte is overwritten). */
  removeLast(): void {
    if (this.count === 0) return;
    this.count--;
    this.digits[this.count] = 0;
  }

  /** Removes every digit. */
  zeroize(): void {
    this.digits.fill(0);
    this.count = 0;
  }

  /** The digits as ASCII, in a fresh buffer the caller zeroizes; this buffer is zeroized. */
  take(): Uint8Array {
    const out = this.digits.slice(0, this.count);
    this.zeroize();
    return out;
  }

  toJSON(): string {
    return "[redacted]";
  }

  toString(): string {
    return "[redacted]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[redacted]";
  }
}
