import type { Clock } from "../../hal/clock";
import { DeadlineTimer } from "../../kernel/time/deadline-timer";

// The payment machine's timer over the HAL clock (kernel/transaction/event-queue.ts has no timers
// of its own: it reports each wait's deadline to `onIdle` and times out on `tick()`). The machine
// sets a new deadline at every event (a key during PIN entry, a presence poll); one sleep at a
// time serves them all (kernel/time/deadline-timer.ts), and a sleep that finds the deadline of the
// wait the machine reported last come, while it still waits in it, ends the wait (`tick`).

/** The machine's side, as the timer sees it (an EventQueue). */
export interface TimedWait {
  /** Number of waits so far: unchanged, the machine did not wake. */
  readonly generation: number;
  readonly waiting: boolean;
  /** Ends the wait in progress with a timeout when its deadline has come. */
  tick(): void;
}

export class MachineTimer {
  /** The wait the machine reported last (only a reported wait is timed: the reader idles in it). */
  private generation = -1;
  private readonly timer: DeadlineTimer;

  constructor(clock: Clock, private readonly wait: TimedWait) {
    this.timer = new DeadlineTimer(clock, () => this.wait.tick(), () => this.wait.generation === this.generation && this.wait.waiting);
  }

  /** The machine waits until `deadlineMs` (null: for an event only). */
  waitUntil(deadlineMs: number | null): void {
    this.generation = this.wait.generation;
    this.timer.set(deadlineMs);
  }
}
