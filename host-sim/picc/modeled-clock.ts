import type { Clock } from "../../hal/clock";

// Modeled time for the simulator: the clock moves only when the virtual hardware says time passed
// (a frame on the air, a card computing, the reader computing, a guard time the kernel sleeps), so
// a tap's duration is deterministic and independent of the laptop it runs on. It holds whole
// nanoseconds to stay exact over long runs.

export class ModeledClock implements Clock {
  private ns = 0;

  nowMs(): number {
    return this.ns / 1e6;
  }

  nowUs(): number {
    return this.ns / 1e3;
  }

  /** Moves time forward by `us` microseconds (negative or non-finite values are ignored). */
  advanceUs(us: number): void {
    if (Number.isFinite(us) && us > 0) this.ns += Math.round(us * 1000);
  }

  /** Resolves at once, `ms` later in modeled time. */
  sleep(ms: number): Promise<void> {
    this.advanceUs(ms * 1000);
    return Promise.resolve();
  }
}
