import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { mpos } from "../support/cli";

// `mpos sim run --scenario` follows the CLI rules: one JSON object with --json; bad input exits 2
// with an error that names the problem.
const scenarios = join(__dirname, "..", "scenarios");

describe("mpos sim run --scenario", () => {
  it("prints the outcome, the prompts and the log for people", async () => {
    const r = await mpos("sim", "run", "--scenario", join(scenarios, "language-en.json"));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("transaction 1  online-approved");
    expect(r.stdout).toContain("prompts     PRESENT CARD / PROCESSING / ENTER PIN");
    expect(r.stdout).toContain("log #1 online");
  });

  it("with --json: the sim run outcome object with prompts and log", async () => {
    const r = await mpos("sim", "run", "--scenario", join(scenarios, "language-en.json"), "--json");
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ outcome: "online-approved", cvm: "online-pin", maskedPan: "476173******0010", arc: "00" });
    expect(r.json.p2pe).toEqual({ ksn: expect.stringMatching(/^[0-9A-F]{24}$/), decryptedByHost: true });
    expect(r.json.log.map((e: { phase?: string }) => e.phase).filter(Boolean)).toEqual(["begun", "online", "answered", "completed", "closed"]);
    // No PIN, no PAN, no track data in the report.
    expect(r.stdout).not.toContain("4761739001010010");
    expect(r.stdout).not.toContain("1234E");
  });

  it("refuses a scenario that breaks the format, naming the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpos-scenario-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ amount: "12.34", steps: [{ at: 0, do: "shake" }] }));
    const r = await mpos("sim", "run", "--scenario", bad, "--json");
    expect(r.status).toBe(2);
    expect(r.json.error).toContain("steps[0].do");
    const missing = await mpos("sim", "run", "--scenario", join(dir, "none.json"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read");
  });
});
