import { fuzzTarget, runFuzz } from "../../host-sim/fuzz/run-fuzz";
import type { FuzzTarget } from "../../host-sim/fuzz/fuzz-target";
import { mpos } from "../support/cli";

// Issue 12, item 1: a bounded run of every fuzz target inside `npm test` (the full 100,000-input
// runs are `npm run fuzz -- --iterations 100000`).
describe("fuzzing, bounded run", () => {
  it("every target ends every input in a defined outcome", async () => {
    const reports = await runFuzz({ iterations: 2000, seed: 20261125 });
    expect(reports.length).toBeGreaterThan(2);
    for (const r of reports) {
      expect({ target: r.target, findings: r.findings }).toEqual({ target: r.target, findings: [] });
    }
  });

  it("is repeatable: the same seed gives the same inputs and the same counts", async () => {
    const a = await runFuzz({ iterations: 500, seed: 42, only: ["tlv"] });
    const b = await runFuzz({ iterations: 500, seed: 42, only: ["tlv"] });
    expect(a).toEqual(b);
  });

  it("reports an untyped exception as a finding, with the input to replay it", async () => {
    const buggy: FuzzTarget = {
      name: "buggy",
      seeds: () => [new Uint8Array([1, 2, 3])],
      run: (input) => { if (input.length > 3) throw new TypeError("index out of range"); },
      isDefinedError: () => false,
    };
    const report = await fuzzTarget(buggy, 200, 1);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings[0]).toMatchObject({ target: "buggy", error: "TypeError: index out of range", input: expect.stringMatching(/^[0-9A-F]*$/) });
  });

  it("mpos fuzz exits 0 with no findings and refuses unknown targets", async () => {
    const ok = await mpos("fuzz", "--iterations", "200", "--seed", "3", "--target", "tlv,dol", "--json");
    expect(ok.status).toBe(0);
    expect(ok.json).toMatchObject({ seed: 3, iterations: 200, findings: 0 });
    const bad = await mpos("fuzz", "--target", "nope", "--json");
    expect(bad.status).toBe(2);
  });
});
