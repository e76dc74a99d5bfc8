import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { onBothEngines, startXs } from "../support/xs";

// Issue 8 on the real XS engine: whole payment scenarios (the state machine, the card kernels, the
// PIN entry, the prompts, the transaction log and its recovery after a power loss) give exactly the
// same report on XS as on Node.
const DIR = join(__dirname, "..", "scenarios");
const load = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8"));

describe("transaction.scenario on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  // Every scenario file of test/scenarios (issue 10: every simulator scenario on both engines).
  const names = readdirSync(DIR).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length)).sort();

  it("finds the scenario files", () => {
    expect(names.length).toBeGreaterThanOrEqual(45);
  });

  it.each(names)("%s: identical reports, and the expected one", async (name) => {
    const scenario = load(name);
    const r = await onBothEngines(xs, "transaction.scenario", { scenario });
    expect(r.xs).toEqual(r.node);
    expect(r.xs).toMatchObject(scenario.expect);
  });

  it.each(["lost", "torn"])("a power cut at each write of a chip payment (%s): the same recovery on both engines", async (outcome) => {
    const base = load("power-off-online-recovery");
    const steps = base.steps.filter((s: { do: string }) => s.do !== "power-off");
    // The first payment writes 7 times: begun, the PIN and data DUKPT counters, online, answered, completed, closed.
    for (let n = 1; n <= 7; n++) {
      const scenario = { amount: "12.34", issuer: base.issuer, powerCut: { atWrite: n, outcome }, steps };
      const r = await onBothEngines(xs, "transaction.scenario", { scenario });
      expect(r.xs).toEqual(r.node);
      const report = r.xs as { transactions: { outcome: string }[] };
      expect(report.transactions[report.transactions.length - 1].outcome).toBe("online-approved");
    }
  });

  it("serves the state table and the prompt catalog the same way", async () => {
    const table = await onBothEngines(xs, "transaction.table", {});
    expect(table.xs).toEqual(table.node);
    const prompts = await onBothEngines(xs, "transaction.prompts", {});
    expect(prompts.xs).toEqual(prompts.node);
    expect((prompts.xs as { undrawable: unknown[] }).undrawable).toEqual([]);
  });

  it("reports the XS meter of a whole chip payment", async () => {
    const r = await xs.call("transaction.scenario", { scenario: load("language-en") });
    expect(r.value).toMatchObject({ outcome: "online-approved" });
    expect(r.meter!.compute).toBeGreaterThan(0);
  });
});
