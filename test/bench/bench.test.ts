import { benchResult } from "../../host-sim/bench/bench-result";
import { benchMagstripe } from "../../host-sim/bench/cases/magstripe";
import { figuresWithoutGoal, goalFor, withGoals } from "../../host-sim/bench/goals";
import { benchCases, runBench } from "../../host-sim/bench/run-bench";
import { startKernelEngine } from "../../host-sim/xs-engine/kernel-engine";

// The bench's report shape (issue 2, item 8; issue 12, item 5). Speed goals are judged by
// `npm run bench`, never by a timed test: this checks only that every figure is there and named.
describe("mpos bench report", () => {
  it("names each figure by kind, measures XS with the meter and peers with a ratio", async () => {
    const results = await runBench({ only: "foundation" });
    const names = new Set(results.map((r) => r.name.split(" ")[0]));
    expect([...names].sort()).toEqual(["aes-128", "sha-1", "sha-256", "tdes", "tlv"]);
    for (const r of results) {
      expect(["node", "xs"]).toContain(r.engine);
      if (r.engine === "xs") expect(r.compute).toBeGreaterThan(0);
      else expect(r.compute).toBeNull();
      expect(r.ms).toBeGreaterThanOrEqual(0);
    }
    const peers = results.filter((r) => r.peer !== null).map((r) => r.peer);
    expect(peers.sort()).toEqual(["ber-tlv", "node-tlv"]);
    for (const r of results.filter((x) => x.peer !== null)) expect(r.ratio).toBeGreaterThan(0);
    expect(figuresWithoutGoal(results)).toEqual([]);
  });

  it("measures DUKPT beside the npm dukpt package", async () => {
    const results = await runBench({ only: "security" });
    expect(results.find((r) => r.peer === "dukpt")).toMatchObject({ engine: "node", ratio: expect.any(Number) });
    expect(results.filter((r) => r.name.startsWith("dukpt") && r.engine === "xs").length).toBe(3);
    expect(figuresWithoutGoal(results)).toEqual([]);
  });


});

// Issue 12, item 5: "the bench report shows every figure against its goal". The heap group is
// checked by test/stress/bench-report.test.ts (it runs the soak); the magstripe group here with
// fewer swipes (the figures' names do not depend on the count).
describe("mpos bench goals", () => {
  it("a figure that neither its case nor the goals table gives a goal is reported, and so is a goal that says there is none", () => {
    const unknown = benchResult({ name: "tlv something new", engine: "node", ms: 1 });
    const none = benchResult({ name: "ble something", engine: "node", goal: "resumable, no goal" });
    expect(goalFor(unknown)).toBeUndefined();
    expect(figuresWithoutGoal([unknown, none])).toEqual(["tlv something new (node)", "ble something (node)"]);
  });

  it("every figure of the contact, contactless, BLE, firmware update, firmware and magstripe groups carries a goal", async () => {
    const results = await runBench({ only: "contact" });
    results.push(...(await runBench({ only: "ble" })), ...(await runBench({ only: "firmware" })));
    const xs = await startKernelEngine("xs");
    try {
      results.push(...withGoals(await benchMagstripe(xs, { swipes: 200 })));
    } finally {
      await xs.close();
    }
    const groups = new Set(results.map((r) => r.name.split(" ")[0]));
    expect([...groups].sort()).toEqual(["ble", "contact", "contactless", "firmware", "iso7816", "magstripe"]);
    expect(figuresWithoutGoal(results)).toEqual([]);
    expect(benchCases.map((c) => c.name)).toEqual(expect.arrayContaining(["contact", "contactless", "ble", "firmware-update", "firmware", "magstripe", "heap"]));
  }, 600_000);
});
