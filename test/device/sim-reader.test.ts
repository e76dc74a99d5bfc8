import { startSimReader } from "../../host-sim/xs-bridge/sim-reader";

// Issue 10, item 4: what `npm start` serves, the firmware bundle powered up on the real XS engine
// over the simulator's idle hardware (and the same in-process with --engine node).

describe("the simulator's reader", () => {
  it("on XS: the firmware's own start-up - self-tests passed, keys ready, configured, in service - with the XS meter", async () => {
    const reader = await startSimReader("xs");
    try {
      expect(reader.started.report).toMatchObject({ selfTest: { failed: 0, failedTests: [] }, keys: "ready", configured: true, inService: true });
      expect(reader.started.report.selfTest.passed).toBeGreaterThan(10);
      expect(reader.started.meter!.compute).toBeGreaterThan(0);
      // The reader waits with no card anywhere: a chip payment finds the slot empty.
      await expect(reader.firmware.command({
        op: "pay",
        request: {
          interface: "contact", amount: 100, amountOther: 0, transactionType: 0, date: { year: 2025, month: 6, day: 1 },
          time: { hour: 12, minute: 0, second: 0 }, sequenceCounter: 1, merchantForcedOnline: false,
        },
      })).rejects.toMatchObject({ code: "card-removed" });
    } finally {
      await reader.close();
    }
  });

  it("on Node: the same report, no meter", async () => {
    const reader = await startSimReader("node");
    try {
      expect(reader.started.report.inService).toBe(true);
      expect(reader.started.meter).toBeNull();
    } finally {
      await reader.close();
    }
  });
});
