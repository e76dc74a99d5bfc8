import { mpos } from "../support/cli";

// The CLI rules of issue 2, which every command keeps.
describe("mpos CLI rules", () => {
  it("lists its commands with --help and exits 0", async () => {
    const r = await mpos("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: mpos/);
    expect(r.stdout).toMatch(/selftest/);
  });

  it("an unknown command exits 2 with one error line, and {error} on stdout with --json", async () => {
    const r = await mpos("frobnicate", "--json");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown command/m);
    expect(r.json).toEqual({ error: expect.stringMatching(/unknown command/) });
  });

  it("an unknown option is an error, not a silent default", async () => {
    const r = await mpos("selftest", "--engin", "xs", "--json");
    expect(r.status).toBe(2);
    expect(r.json.error).toMatch(/unknown option --engin/);
  });

  it("an option without its value is an error", async () => {
    const r = await mpos("selftest", "--engine", "--json");
    expect(r.status).toBe(2);
    expect(r.json.error).toMatch(/--engine needs a value/);
  });

  it("every command answers --help with its usage", async () => {
    const { commands } = await import("../../host-sim/cli/commands");
    for (const c of commands) {
      const r = await mpos(...c.path, "--help");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`usage: mpos ${c.path.join(" ")}`);
    }
  });
});
