import { WorldClock } from "../scenario/world-clock";

// Modeled time for the reader firmware in a scripted run (`mpos sim run --engine`, the bench, the
// soak): the firmware's HAL clock moves only when the whole simulation has nothing left to do -
// the engine has no crank to run and the host (phone, loopback, issuer, card) no work queued - and
// then jumps to the first timer the firmware set (a presence poll, the PIN pad's inactivity, the
// online wait). So a payment waits for nobody in real time, a timeout costs no wall-clock time, and
// a run is the same on a fast laptop and a slow CI runner, on XS and on Node. The firmware's
// computing takes no modeled time (as host-sim/xs-bridge/engine-clock.ts says for XS).

/** Turns of the host's event loop with nothing happening before the simulation counts as idle. */
const QUIET_TURNS = 4;
/** Idle checks in a row with no timer set before a run counts as stalled. */
const STALL_CHECKS = 50;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Whether the engine is idle now: its idle promise settles within a microtask or two. */
async function idleNow(whenIdle: () => Promise<void>): Promise<boolean> {
  let idle = false;
  void whenIdle().then(() => { idle = true; });
  await Promise.resolve();
  await Promise.resolve();
  return idle;
}

/**
 * Resolves once the engine was idle at the end of QUIET_TURNS whole turns of the host's event loop
 * in a row: what a served request or a phone's message starts runs within a turn, so nothing is
 * left under way but what waits for a timer.
 */
async function quiet(whenIdle: () => Promise<void>): Promise<void> {
  for (let turns = 0; turns < QUIET_TURNS;) {
    await nextTurn();
    if (await idleNow(whenIdle)) {
      turns++;
    } else {
      await whenIdle();
      turns = 0;
    }
  }
}

export class IdleTime extends WorldClock {
  /** Resolves after `ms` of modeled time: when the simulation idles past it. */
  override sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.nowMs() + Math.max(0, ms), resolve));
  }

  /**
   * Runs the simulation until `work` settles: every time the engine (`whenIdle`) and the host are
   * idle, the clock jumps to the next timer. Rejects when everything idles with no timer set
   * (the firmware and the phone wait for each other: a bug).
   */
  async runUntil<T>(work: Promise<T>, whenIdle: () => Promise<void>): Promise<T> {
    let settled = false;
    const done = work.then((v) => { settled = true; return v; }, (e: unknown) => { settled = true; throw e; });
    done.catch(() => undefined);
    let stalled = 0;
    while (!settled) {
      await quiet(whenIdle);
      if (settled) break;
      const due = this.nextDueMs();
      if (due === null) {
        if (++stalled > STALL_CHECKS) throw new Error("the simulation stalled: the firmware and the phone wait with no timer set");
        continue;
      }
      stalled = 0;
      this.advanceTo(due);
    }
    return done;
  }
}
