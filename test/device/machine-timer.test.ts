import { EventQueue } from "../../kernel/transaction/event-queue";
import { MachineTimer } from "../../firmware/app/machine-timer";
import { ManualClock } from "../support/manual-clock";

function machine(clock: ManualClock): { queue: EventQueue<{ kind: "key" }>; timer: MachineTimer } {
  const queue = new EventQueue<{ kind: "key" }>(clock);
  const timer = new MachineTimer(clock, queue);
  queue.onIdle = ({ deadlineMs }) => timer.waitUntil(deadlineMs);
  return { queue, timer };
}

describe("the payment machine's timer over the HAL clock (firmware/app/machine-timer.ts)", () => {
  it("a wait reported idle times out at its deadline, not before", async () => {
    const clock = new ManualClock();
    const { queue } = machine(clock);
    let got: string | null = null;
    void queue.next(1000, true).then((e) => { got = e.kind; });
    await clock.advanceTo(999);
    expect(got).toBeNull();
    await clock.advanceTo(1000);
    expect(got).toBe("timeout");
  });

  it("a new later deadline at every event (keys in PIN entry) keeps one sleep pending, and the last wait still times out at its own deadline", async () => {
    const clock = new ManualClock();
    const { queue } = machine(clock);
    let got: string | null = null;
    for (let key = 0; key < 5; key++) {
      clock.now = key * 100;
      const wait = queue.next(clock.now + 15_000, true);
      expect(clock.pending).toBe(1);
      if (key < 4) {
        queue.push({ kind: "key" });
        await wait;
      } else void wait.then((e) => { got = e.kind; });
    }
    await clock.advanceTo(15_000);
    expect(got).toBeNull();
    expect(clock.pending).toBe(1);
    await clock.advanceTo(15_399);
    expect(got).toBeNull();
    await clock.advanceTo(15_400);
    expect(got).toBe("timeout");
  });

  it("an earlier deadline than the pending sleep's starts a sleep of its own", async () => {
    const clock = new ManualClock();
    const { queue } = machine(clock);
    const first = queue.next(60_000, true);
    queue.push({ kind: "key" });
    await first;
    let got: string | null = null;
    void queue.next(250, true).then((e) => { got = e.kind; });
    expect(clock.pending).toBe(2);
    await clock.advanceTo(250);
    expect(got).toBe("timeout");
  });

  it("a sleep that wakes while the machine is busy (a wait not reported idle) does not end that wait", async () => {
    const clock = new ManualClock();
    const { queue } = machine(clock);
    const first = queue.next(100, true);
    queue.push({ kind: "key" });
    await first;
    let got: string | null = null;
    void queue.next(50, false).then((e) => { got = e.kind; });
    await clock.advanceTo(100);
    expect(got).toBeNull();
  });
});
