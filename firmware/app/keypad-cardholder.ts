import type { Clock } from "../../hal/clock";
import type { Display } from "../../hal/display";
import type { Key, Keypad } from "../../hal/keypad";
import type { ApplicationChoice, CardholderInterface, PinEntryResult, PinRequest } from "../../kernel/emv/cardholder";
import { MESSAGES, type MessageName } from "../../kernel/emv/messages";

// The PIN pad and display of the device as the EMV kernel asks for them (kernel/emv/cardholder.ts),
// on the keypad and display HALs. PIN entry after ISO 9564-1, 5.2 and 5.3: 4 to 12 digits, Clear
// erases every digit entered, Cancel abandons, Enter accepts (Enter with no digit: PIN bypass, EMV
// Book 3, 10.5.1); the display shows one '*' per digit and never a digit. The digits are kept in a
// buffer that is zeroized whatever the outcome; the kernel gets its own copy and zeroizes it.

/** ISO 9564-1, 5.2: a PIN is 4 to 12 digits. */
const MIN_PIN = 4;
const MAX_PIN = 12;

export interface KeypadCardholderOptions {
  keypad: Keypad;
  display: Display;
  clock: Clock;
  /** How long the cardholder has for a PIN or a choice, ms (EMV Book 4, 6.3.4: the terminal times PIN entry out). */
  timeoutMs?: number;
}

type Waiter = (key: Key | null) => void;

export class KeypadCardholder implements CardholderInterface {
  private readonly timeoutMs: number;
  private waiter: Waiter | null = null;

  constructor(private readonly options: KeypadCardholderOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The next key, or null when the time is up. One wait at a time; the keypad is listened to only while waiting. */
  private nextKey(deadlineMs: number): Promise<Key | null> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (key: Key | null) => {
        if (done) return;
        done = true;
        this.waiter = null;
        this.options.keypad.onKey(null);
        resolve(key);
      };
      this.waiter = finish;
      this.options.keypad.onKey((key) => finish(key));
      const left = deadlineMs - this.options.clock.nowMs();
      if (left <= 0) finish(null);
      else this.options.clock.sleep(left).then(() => finish(null));
    });
  }

  async selectApplication(choices: ApplicationChoice[]): Promise<number | null> {
    if (choices.length === 0) return null;
    const shown = choices.slice(0, Math.min(choices.length, 9, Math.max(1, this.options.display.lines - 1)));
    this.options.display.show(["SELECT", ...shown.map((c, i) => `${i + 1} ${c.name}`)]);
    const deadline = this.options.clock.nowMs() + this.timeoutMs;
    for (;;) {
      const key = await this.nextKey(deadline);
      if (key === null || key === "cancel") return null;
      const n = key.charCodeAt(0) - 0x31;
      if (key.length === 1 && n >= 0 && n < shown.length) return n;
    }
  }

  async confirmApplication(choice: ApplicationChoice): Promise<boolean> {
    this.options.display.show([choice.name, "ENTER = OK"]);
    const deadline = this.options.clock.nowMs() + this.timeoutMs;
    for (;;) {
      const key = await this.nextKey(deadline);
      if (key === null || key === "cancel") return false;
      if (key === "enter") return true;
    }
  }

  async enterPin(request: PinRequest): Promise<PinEntryResult> {
    const digits = new Uint8Array(MAX_PIN);
    let count = 0;
    const title = request.lastTry ? "LAST PIN TRY" : MESSAGES.enterPin.text;
    const deadline = this.options.clock.nowMs() + this.timeoutMs;
    try {
      for (;;) {
        this.options.display.show([title, "*".repeat(count)]);
        const key = await this.nextKey(deadline);
        if (key === null) return { kind: "timeout" };
        if (key === "cancel") return { kind: "cancelled" };
        if (key === "clear") {
          digits.fill(0);
          count = 0;
        } else if (key === "enter") {
          if (count === 0) return { kind: "bypassed" };
          if (count >= MIN_PIN) return { kind: "entered", pin: digits.slice(0, count) };
        } else if (count < MAX_PIN) {
          digits[count++] = key.charCodeAt(0);
        }
      }
    } finally {
      digits.fill(0);
    }
  }

  display(message: MessageName): void {
    this.options.display.show([MESSAGES[message].text]);
  }

  /** Ends a wait in progress as a timeout (the transaction was cancelled from the phone). */
  abandon(): void {
    if (this.waiter) this.waiter(null);
  }
}
