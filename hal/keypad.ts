/**
 * The reader's keypad: ten digits and the three function keys of ISO 9564-1, 5.2 (Enter, Clear,
 * Cancel; green, yellow, red). It is the PIN pad (PCI PTS POI): the driver hands every key press to
 * the one handler the kernel registered, from the key-scan interrupt, and keeps no copy of it; the
 * kernel's PIN entry (kernel/transaction/pin-entry.ts) decides where a digit goes. There is no API to
 * read back a key, and a driver never logs one.
 *
 * ESP32 driver (hal/esp32/): a 4 x 4 matrix; idle, the rows are held low and a column edge wakes it,
 * then a Moddable `timer` scans (and debounces) until every key is up; like Moddable's drivers it takes one options object `{ rows, columns, scanMs }`.
 */
export type DigitKey = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
export type FunctionKey = "enter" | "clear" | "cancel";
export type Key = DigitKey | FunctionKey;

export const DIGIT_KEYS: readonly DigitKey[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
export const FUNCTION_KEYS: readonly FunctionKey[] = ["enter", "clear", "cancel"];

export function isKey(value: unknown): value is Key {
  return typeof value === "string" && (DIGIT_KEYS.indexOf(value as DigitKey) >= 0 || FUNCTION_KEYS.indexOf(value as FunctionKey) >= 0);
}

export interface Keypad {
  /**
   * Delivers every key press, in order, to `handler` (null: no delivery; presses are dropped).
   * Replaces the handler registered before.
   */
  onKey(handler: ((key: Key) => void) | null): void;
}
