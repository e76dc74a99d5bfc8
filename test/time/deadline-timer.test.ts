import { DeadlineTimer } from "../../kernel/time/deadline-timer";
import { ManualClock } from "../support/manual-clock";

// kernel/time/deadline-timer.ts: one pending sleep of the HAL clock (which cannot cancel one)
// serves a deadline that moves, is dropped and is set again.

function timer(clock: ManualClock, wanted?: () => boolean): { timer: DeadlineTimer; fired: number[] } {
  const fired: number[] = [];
  return { timer: new DeadlineTimer(clock, () => fired.push(clock.nowMs()), wanted), fired };
}

describe("a deadline over the HAL clock (kernel/time/deadline-timer.ts)", () => {
  it("calls due once, at the deadline and not before", async () => {
    const clock = new ManualClock();
    const { timer: t, fired } = timer(clock);
    t.set(1000);
    await clock.advanceTo(999);
    expect(fired).toEqual([]);
    await clock.advanceTo(1000);
    expect(fired).toEqual([1000]);
    expect(t.deadline).toBeNull();
    await clock.advanceTo(5000);
    expect(fired).toEqual([1000]);
  });

  it("a deadline moved later keeps the one pending sleep, which sleeps on to the new deadline", async () => {
    const clock = new ManualClock();
    const { timer: t, fired } = timer(clock);
    for (let i = 0; i < 10; i++) {
      clock.now = i * 100;
      t.set(clock.now + 60_000);
      expect(clock.pending).toBe(1);
    }
    await clock.advanceTo(60_000);
    expect(fired).toEqual([]);
    expect(clock.pending).toBe(1);
    await clock.advanceTo(60_900);
    expect(fired).toEqual([60_900]);
    expect(clock.pending).toBe(0);
  });

  it("an earlier deadline than the pending sleep's starts a sleep of its own", async () => {
    const clock = new ManualClock();
    const { timer: t, fired } = timer(clock);
    t.set(60_000);
    t.set(250);
    expect(clock.pending).toBe(2);
    await clock.advanceTo(250);
    expect(fired).toEqual([250]);
    await clock.advanceTo(60_000);
    expect(fired).toEqual([250]);
  });

  it("a dropped deadline (null) ends its sleep without calling due, and a new one is served", async () => {
    const clock = new ManualClock();
    const { timer: t, fired } = timer(clock);
    t.set(1000);
    t.set(null);
    await clock.advanceTo(1000);
    expect(fired).toEqual([]);
    expect(clock.pending).toBe(0);
    t.set(3000);
    await clock.advanceTo(3000);
    expect(fired).toEqual([3000]);
  });

  it("a wake its owner no longer wants drops the deadline", async () => {
    const clock = new ManualClock();
    let wanted = true;
    const { timer: t, fired } = timer(clock, () => wanted);
    t.set(1000);
    wanted = false;
    await clock.advanceTo(1000);
    expect(fired).toEqual([]);
    expect(t.deadline).toBeNull();
  });

  it("a sleep that wakes a little early (its clock ahead of the one compared) sleeps the rest", async () => {
    class EarlyClock extends ManualClock {
      override sleep(ms: number): Promise<void> {
        return super.sleep(Math.max(0, ms - 10));
      }
    }
    const clock = new EarlyClock();
    const { timer: t, fired } = timer(clock);
    t.set(1000);
    await clock.advanceTo(990);
    expect(fired).toEqual([]);
    expect(clock.pending).toBe(1);
    await clock.advanceTo(1000);
    expect(fired).toEqual([1000]);
  });
});
