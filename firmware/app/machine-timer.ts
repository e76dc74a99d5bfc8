import type { Clock } from "../../hal/clock";

// The payment machine's timer over the HAL clock (kernel/transaction/event-queue.ts has no timers
// of its own: it reports each wait's deadline to `onIdle` and times out on `tick()`). The HAL clock
// has no way to cancel a sleep, and the machine sets a new deadline at every event (a key during
// PIN entry, a presence poll), so a sleep started per wait would stay pending, each holding its
// promise chain in RAM, until its own deadline passed. One sleep at a time serves every wait
// instead: a new deadline starts a sleep only when none pending wakes by then; a sleep that wakes
// early sleeps on to the deadline of the wait the machine reported last, if it still waits in it,
// and one that finds that deadline come ends the wait (`tick`). A timer may fire a little early by the clock it is compared with: it then sleeps
// the rest.

/** The machine's side, as the timer sees it (an EventQueue). */
export interface TimedWait {
  /** Number of waits so far: unchanged, the machine did not wake. */
  readonly generation: number;
  readonly waiting: boolean;
  /** Ends the wait in progress with a timeout when its deadline has come. */
  tick(): void;
}

export class MachineTimer {
  /** When each pending sleep wakes (clock ms); at most a few, usually one. */
  private readonly wakes: number[] = [];
  /** The wait the machine reported last (only a reported wait is timed: the reader idles in it). */
  private generation = -1;
  private deadlineMs: number | null = null;

  constructor(private readonly clock: Clock, private readonly wait: TimedWait) {}

  /** The machine waits until `deadlineMs` (null: for an event only). */
  waitUntil(deadlineMs: number | null): void {
    this.generation = this.wait.generation;
    this.deadlineMs = deadlineMs;
    this.arm();
  }

  private arm(): void {
    const deadlineMs = this.deadlineMs;
    if (deadlineMs === null) return;
    for (const at of this.wakes) if (at <= deadlineMs) return;
    this.sleepUntil(deadlineMs);
  }

  private sleepUntil(at: number): void {
    this.wakes.push(at);
    this.clock.sleep(Math.max(1, at - this.clock.nowMs())).then(() => {
      this.wakes.splice(this.wakes.indexOf(at), 1);
      if (this.wait.generation !== this.generation || !this.wait.waiting || this.deadlineMs === null) return;
      if (this.clock.nowMs() >= this.deadlineMs) this.wait.tick();
      else this.arm();
    });
  }
}
