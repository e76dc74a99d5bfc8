import type { Key } from "../../hal/keypad";
import type { PinEntryRules } from "./config";
import { PinBuffer } from "./pin-buffer";

// One PIN entry on the reader's keypad, key by key (ISO 9564-1:2017, 5.2, and EMV Book 4, 6.3.4 /
// 11.2 for what the cardholder sees): a digit goes into the PIN buffer and the display shows one
// more asterisk; Clear removes the last digit or all of them, by configuration; Enter submits 4 to
// 12 digits, or with no digit bypasses the PIN where the configuration allows it; Cancel ends the
// entry. No key for `inactivityTimeoutMs`, or an entry longer than `totalTimeoutMs`, is a timeout.
// The digits leave the buffer only once, in `entered`, for the PIN block or the card.

export type PinKeyOutcome =
  /** The entry goes on; `digits` is what to show as asterisks. */
  | { kind: "continue"; digits: number }
  /** The key was refused (too few digits, buffer full, bypass not allowed): beep, entry goes on. */
  | { kind: "refused"; digits: number; why: "too-short" | "full" | "bypass-not-allowed" }
  /** The PIN, ASCII digits, in a fresh buffer the receiver zeroizes once it has made the PIN block. */
  | { kind: "entered"; pin: Uint8Array }
  | { kind: "bypassed" }
  | { kind: "cancelled" };

export class PinEntry {
  private readonly buffer = new PinBuffer();
  private lastKeyMs: number;
  private done = false;

  constructor(private readonly rules: PinEntryRules, private readonly startMs: number) {
    this.lastKeyMs = startMs;
  }

  get digits(): number {
    return this.buffer.length;
  }

  /** When the entry times out if no key comes: the inactivity or the total limit, whichever is first. */
  deadlineMs(): number {
    return Math.min(this.lastKeyMs + this.rules.inactivityTimeoutMs, this.startMs + this.rules.totalTimeoutMs);
  }

  /** True once `nowMs` is at or past the deadline (the buffer is then zeroized). */
  expired(nowMs: number): boolean {
    if (this.done) return true;
    if (nowMs < this.deadlineMs()) return false;
    this.end();
    return true;
  }

  /** One key press at `nowMs`. */
  press(key: Key, nowMs: number): PinKeyOutcome {
    if (this.done) return { kind: "cancelled" };
    this.lastKeyMs = nowMs;
    switch (key) {
      case "cancel":
        this.end();
        return { kind: "cancelled" };
      case "clear":
        if (this.rules.clearKey === "last-digit") this.buffer.removeLast();
        else this.buffer.zeroize();
        return { kind: "continue", digits: this.buffer.length };
      case "enter":
        return this.submit();
      default:
        if (!this.buffer.add(key, this.rules.maxDigits)) return { kind: "refused", digits: this.buffer.length, why: "full" };
        return { kind: "continue", digits: this.buffer.length };
    }
  }

  private submit(): PinKeyOutcome {
    const n = this.buffer.length;
    if (n === 0) {
      if (!this.rules.bypassAllowed) return { kind: "refused", digits: 0, why: "bypass-not-allowed" };
      this.end();
      return { kind: "bypassed" };
    }
    if (n < this.rules.minDigits) return { kind: "refused", digits: n, why: "too-short" };
    this.done = true;
    return { kind: "entered", pin: this.buffer.take() };
  }

  /** Ends the entry and zeroizes the buffer (cancel, timeout, card removed, tamper). */
  end(): void {
    this.done = true;
    this.buffer.zeroize();
  }

  toJSON(): string {
    return "[redacted]";
  }

  toString(): string {
    return "[redacted]";
  }
}
