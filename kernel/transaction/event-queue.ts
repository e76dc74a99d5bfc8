import type { Clock } from "../../hal/clock";

// The payment state machine's inbox. Drivers push what happens (a key, a swipe, a card in the slot,
// the phone's cancel or online answer, the card kernel asking for a PIN) and the machine takes one
// event at a time, in order, waiting up to a deadline of the HAL clock. The kernel has no timers of
// its own: whoever drives the clock (a Moddable timer on the device, the simulator's scheduler)
// learns from `onIdle` when the machine waits and until when, and calls `tick()` as time passes;
// a wait whose deadline has come ends with a timeout event.

export interface TimeoutEvent {
  kind: "timeout";
}

/** What the machine is doing while it waits: `deadlineMs` null waits for an event only. */
export interface IdleState {
  deadlineMs: number | null;
}

export class EventQueue<E extends { kind: string }> {
  private readonly queue: E[] = [];
  private waiter: { resolve: (e: E | TimeoutEvent) => void; deadlineMs: number | null } | null = null;
  /** Called each time the machine starts to wait with nothing else running (see `next`). */
  onIdle: ((state: IdleState) => void) | null = null;
  private waits = 0;

  constructor(private readonly clock: Clock) {}

  /** Number of waits so far: a waiter that sees it unchanged knows the machine did not wake. */
  get generation(): number {
    return this.waits;
  }

  get waiting(): boolean {
    return this.waiter !== null;
  }

  /** The deadline of the wait in progress (null: none, or no wait). */
  get deadlineMs(): number | null {
    return this.waiter ? this.waiter.deadlineMs : null;
  }

  /** Queues an event (from a driver callback or a task); wakes the waiting machine. */
  push(event: E): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w.resolve(event);
    } else {
      this.queue.push(event);
    }
  }

  /** Queues an event ahead of the others (an event an action raises while handling another). */
  pushFront(event: E): void {
    const w = this.waiter;
    if (w) {
      this.waiter = null;
      w.resolve(event);
    } else {
      this.queue.unshift(event);
    }
  }

  /** Drops every queued event of these kinds (e.g. keys pressed before PIN entry began). */
  discard(kinds: readonly string[]): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (kinds.indexOf(this.queue[i].kind) >= 0) this.queue.splice(i, 1);
  }

  /**
   * The next event, or a timeout once the clock reaches `deadlineMs` (null: no deadline). `idle`
   * says nothing else of the machine's is running (no card kernel at work): only then is the wait
   * reported to `onIdle`, so a scheduler lets time pass only while the whole reader waits.
   */
  next(deadlineMs: number | null, idle: boolean): Promise<E | TimeoutEvent> {
    if (this.waiter) throw new Error("event queue: one wait at a time");
    this.waits++;
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (deadlineMs !== null && this.clock.nowMs() >= deadlineMs) return Promise.resolve({ kind: "timeout" });
    return new Promise((resolve) => {
      this.waiter = { resolve, deadlineMs };
      if (idle && this.onIdle) this.onIdle({ deadlineMs });
    });
  }

  /** Ends the wait in progress with a timeout when its deadline has come (call as the clock moves). */
  tick(): void {
    const w = this.waiter;
    if (w && w.deadlineMs !== null && this.clock.nowMs() >= w.deadlineMs) {
      this.waiter = null;
      w.resolve({ kind: "timeout" });
    }
  }
}
