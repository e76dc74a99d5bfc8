import { ModeledClock } from "../picc/modeled-clock";

// The scenario's one modeled clock: the reader's HAL clock, the NFC field's clock, and the time
// the contact line spends (added by the slot). What is due at a time (a scenario step, the issuer's
// answer arriving) happens when the clock passes that time, however it moves: while the reader
// waits, the runner moves it; while a kernel talks to a card, the card's exchanges move it.

interface Due {
  atMs: number;
  order: number;
  run: () => void;
}

export class WorldClock extends ModeledClock {
  private readonly due: Due[] = [];
  private order = 0;
  private running = false;

  override advanceUs(us: number): void {
    super.advanceUs(us);
    this.runDue();
  }

  /** Moves the clock to `ms` (never backwards). */
  advanceTo(ms: number): void {
    const now = this.nowMs();
    // Whole nanoseconds, rounded up: the clock then really is at or past `ms`.
    if (ms > now) this.advanceUs(Math.max(1, Math.ceil((ms - now) * 1e6)) / 1000);
    else this.runDue();
  }

  /** Runs `run` once the clock reaches `atMs` (at once, at the next move, when already past). */
  at(atMs: number, run: () => void): void {
    this.due.push({ atMs, order: this.order++, run });
    this.due.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  }

  /** When the next thing is due, or null. */
  nextDueMs(): number | null {
    return this.due.length > 0 ? this.due[0].atMs : null;
  }

  private runDue(): void {
    if (this.running) return;
    this.running = true;
    try {
      while (this.due.length > 0 && this.due[0].atMs <= this.nowMs()) (this.due.shift() as Due).run();
    } finally {
      this.running = false;
    }
  }
}
