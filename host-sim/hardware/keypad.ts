import type { Key, Keypad } from "../../hal/keypad";

// The simulator's keypad: a test, a scenario or the web page presses keys; each goes to the
// handler the kernel registered, at once, as the key-scan interrupt would deliver it. It keeps no
// record of the keys (they may be PIN digits).

export class VirtualKeypad implements Keypad {
  private handler: ((key: Key) => void) | null = null;

  onKey(handler: ((key: Key) => void) | null): void {
    this.handler = handler;
  }

  /** Presses one key; dropped when no handler is registered. */
  press(key: Key): void {
    if (this.handler) this.handler(key);
  }

  /**
   * Presses a sequence written as digits and letters: E Enter, C Clear, X Cancel (as on the
   * keypad's green, yellow and red keys), e.g. "1234E".
   */
  type(keys: string): void {
    for (const ch of keys) this.press(keyOf(ch));
  }
}

/** The key of one character of a key sequence ("0"-"9", "E", "C", "X"). */
export function keyOf(ch: string): Key {
  if (ch >= "0" && ch <= "9" && ch.length === 1) return ch as Key;
  if (ch === "E") return "enter";
  if (ch === "C") return "clear";
  if (ch === "X") return "cancel";
  throw new RangeError(`keypad: "${ch}" is not a key (0-9, E enter, C clear, X cancel)`);
}
