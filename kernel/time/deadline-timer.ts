import type { Clock } from "../../hal/clock";

// A deadline over the HAL clock, which can sleep but cannot cancel a sleep. A sleep started for
// each deadline would stay pending, holding its promise chain in RAM, until its own time passed,
// however often the deadline moved or was dropped. One sleep at a time serves every deadline
// instead: a new deadline starts a sleep only when none pending wakes by then; a sleep that wakes
// before the deadline sleeps on to it, and one that finds it come calls `due` (once). A timer may
// fire a little early by the clock it is compared with: it then sleeps the rest.
//
// What a pending sleep holds is this object and its `due` callback only: XS keeps alive the whole
// scope a closure was made in, so the owner makes `due` where nothing of a single transaction is in
// scope (issue 10, item 5: the reader's RAM).

export class DeadlineTimer {
  /** When each pending sleep wakes (clock ms); at most a few, usually one. */
  private readonly wakes: number[] = [];
  private deadlineMs: number | null = null;

  /**
   * `due`: the deadline came. `wanted`: asked at each wake, false drops the deadline (its owner
   * moved on without telling the timer); default always.
   */
  constructor(private readonly clock: Clock, private readonly due: () => void, private readonly wanted: () => boolean = () => true) {}

  /** The deadline, clock ms; null: none (a pending sleep then ends without calling `due`). */
  set(deadlineMs: number | null): void {
    this.deadlineMs = deadlineMs;
    this.arm();
  }

  get deadline(): number | null {
    return this.deadlineMs;
  }

  private arm(): void {
    const deadlineMs = this.deadlineMs;
    if (deadlineMs === null) return;
    for (const at of this.wakes) if (at <= deadlineMs) return;
    this.sleepUntil(deadlineMs);
  }

  private sleepUntil(at: number): void {
    this.wakes.push(at);
    this.clock.sleep(Math.max(1, at - this.clock.nowMs())).then(() => this.woke(at));
  }

  private woke(at: number): void {
    this.wakes.splice(this.wakes.indexOf(at), 1);
    if (this.deadlineMs === null) return;
    if (!this.wanted()) {
      this.deadlineMs = null;
      return;
    }
    if (this.clock.nowMs() < this.deadlineMs) {
      this.arm();
      return;
    }
    this.deadlineMs = null;
    this.due();
  }
}
