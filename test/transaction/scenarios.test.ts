import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { mpos } from "../support/cli";

// Issue 8, "Done when": the regression scenarios of test/scenarios, each run through
// `mpos sim run --scenario FILE --json`. A file's "//" says the rule it proves; its "expect" is what
// the report must contain (outcome, prompts in order, reversals the phone collected...).

const DIR = join(__dirname, "..", "scenarios");
const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

describe("payment scenarios (mpos sim run --scenario)", () => {
  it("has the issue's scenarios", () => {
    const names = files.join(" ");
    for (const state of ["amount-set", "waiting-for-card", "reading", "application-selection", "pin-entry", "online", "completion", "remove-card"]) {
      expect(names).toContain(`cancel-${state}`);
    }
    for (const lang of ["en", "fr", "de", "es", "zh"]) expect(names).toContain(`language-${lang}.json`);
  });

  it.each(files)("%s", async (file) => {
    const scenario = JSON.parse(readFileSync(join(DIR, file), "utf8"));
    const r = await mpos("sim", "run", "--scenario", join(DIR, file), "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject(scenario.expect);
    // The reader never reports one payment twice; a reversal is queued once per payment.
    const ids = r.json.transactions.map((t: { transactionId?: number }) => t.transactionId).filter((id: unknown) => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
    const reversed = r.json.reversals.map((v: { transactionId: number }) => v.transactionId);
    expect(new Set(reversed).size).toBe(reversed.length);
  });
});
