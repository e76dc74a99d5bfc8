import type { Clock } from "../../hal/clock";

/** A clock whose sleeps the test ends by moving time; it counts the sleeps still pending. */
export class ManualClock implements Clock {
  now = 0;
  private sleeps: { at: number; wake(): void }[] = [];

  nowMs(): number {
    return this.now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleeps.push({ at: this.now + ms, wake }));
  }

  get pending(): number {
    return this.sleeps.length;
  }

  /** Moves time on by `ms`, waking the sleeps due (their callbacks run once the caller yields). */
  advance(ms: number): void {
    this.now += ms;
    for (const s of this.sleeps.filter((x) => x.at <= this.now)) {
      this.sleeps.splice(this.sleeps.indexOf(s), 1);
      s.wake();
    }
  }

  /** Moves time to `ms`, wakes the sleeps due and lets their callbacks run. */
  async advanceTo(ms: number): Promise<void> {
    this.now = ms;
    for (const s of this.sleeps.filter((x) => x.at <= ms)) {
      this.sleeps.splice(this.sleeps.indexOf(s), 1);
      s.wake();
    }
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}
