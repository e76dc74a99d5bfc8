import { ModeledClock } from "../../host-sim/picc/modeled-clock";
import { EventQueue } from "../../kernel/transaction";

// The state machine's inbox: one event at a time, in order; a wait ends with a timeout once the
// clock reaches its deadline; the clock's driver hears of a wait only while nothing else runs.
type E = { kind: "a" } | { kind: "b" };

describe("the event queue", () => {
  it("hands events over in order, queued ones first", async () => {
    const q = new EventQueue<E>(new ModeledClock());
    q.push({ kind: "a" });
    q.push({ kind: "b" });
    expect(await q.next(null, true)).toEqual({ kind: "a" });
    expect(await q.next(null, true)).toEqual({ kind: "b" });
  });

  it("ends a wait with a timeout when ticked at or after its deadline", async () => {
    const clock = new ModeledClock();
    const q = new EventQueue<E>(clock);
    const waiting = q.next(1000, true);
    clock.advanceUs(999000);
    q.tick();
    expect(q.waiting).toBe(true);
    clock.advanceUs(1000);
    q.tick();
    expect(await waiting).toEqual({ kind: "timeout" });
  });

  it("reports a wait to the clock's driver only when the machine is idle", async () => {
    const q = new EventQueue<E>(new ModeledClock());
    const seen: (number | null)[] = [];
    q.onIdle = (s) => seen.push(s.deadlineMs);
    const busy = q.next(500, false);
    q.push({ kind: "a" });
    await busy;
    const idle = q.next(700, true);
    q.push({ kind: "b" });
    await idle;
    expect(seen).toEqual([700]);
  });

  it("drops keys typed before they were asked for", async () => {
    const q = new EventQueue<E>(new ModeledClock());
    q.push({ kind: "a" });
    q.push({ kind: "b" });
    q.discard(["a"]);
    expect(await q.next(null, true)).toEqual({ kind: "b" });
  });
});
