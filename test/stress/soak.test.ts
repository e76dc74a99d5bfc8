import { runSoak } from "../../host-sim/soak/run-soak";
import { SOAK_MIX, soakSchedule } from "../../host-sim/soak/mix";
import { mpos } from "../support/cli";

// Issue 12, item 2: the soak, bounded for npm test (300 transactions on the XS engine; the full
// 10,000 are `mpos soak --transactions 10000`).

describe("soak: consecutive transactions of mixed kinds on one reader", () => {
  it("306 transactions on XS: every kind runs, the live heap stays flat after warm-up, no KSN repeats, the log stays consistent, nothing leaks", async () => {
    // Readings every three cycles of the mix (51 transactions), so each is taken at the same point of it.
    const r = await runSoak({ transactions: 306, engine: "xs", batch: 3 * soakSchedule().length });
    process.stdout.write(`soak on XS: ${r.transactions} transactions, live slots ${r.heap.samples.join(" ")}, ${r.ksn.envelopes} envelope KSNs, ${r.ksn.pinBlocks} PIN KSNs\n`);
    expect(Object.keys(r.byKind).sort()).toEqual(SOAK_MIX.map((k) => k.name).sort());
    expect(r.heap.growthSlots).not.toBeNull();
    expect(r.heap.growthSlots as number).toBeLessThanOrEqual(64);
    expect(r.ksn.repeats).toEqual([]);
    expect(r.ksn.envelopes).toBeGreaterThan(200);
    expect(r.ksn.pinBlocks).toBeGreaterThan(50);
    expect(r.log.violations).toEqual([]);
    expect(r.log.lastTransactionId).toBe(306);
    expect(r.leaks).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("the mix is repeatable: the same seed gives the same outcomes on Node and on XS", async () => {
    const onNode = await runSoak({ transactions: soakSchedule().length, engine: "node" });
    const onXs = await runSoak({ transactions: soakSchedule().length, engine: "xs" });
    expect(onXs.byKind).toEqual(onNode.byKind);
    expect(onNode.ok).toBe(true);
  });

  it("mpos soak answers one JSON object and refuses bad options", async () => {
    const ok = await mpos("soak", "--transactions", "5", "--engine", "node", "--json");
    expect(ok.status).toBe(0);
    expect(ok.json).toMatchObject({ transactions: 5, ok: true, ksn: { repeats: [] }, leaks: [] });
    expect((await mpos("soak", "--json")).status).toBe(2);
    expect((await mpos("soak", "--transactions", "x", "--json")).status).toBe(2);
    expect((await mpos("soak", "--transactions", "5", "--engine", "v8", "--json")).status).toBe(2);
  });
});
