import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { mpos } from "../support/cli";
import { onBothEngines, startXs } from "../support/xs";

// Issue 2: the power-on self-tests pass on Node and on the real XS engine, with identical results.
describe("power-on self-tests on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  it("every known-answer test passes on both engines, with identical reports", async () => {
    const { node, xs: onXs } = await onBothEngines(xs, "selftest.run");
    expect(onXs).toEqual(node);
    const report = node as { passed: number; failed: number; tests: { name: string; ok: boolean }[] };
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(report.tests.length);
    // Every primitive the issue names has at least one known answer.
    const names = report.tests.map((t) => t.name.toLowerCase()).join("\n");
    for (const primitive of ["aes-128", "aes-192", "aes-256", "des", "tdes", "cmac", "9797", "sha-1", "sha-256", "hmac", "rsa", "tlv", "dol"]) {
      expect(names).toContain(primitive);
    }
  });

  it("mpos selftest --engine xs --json reports the engine, the tests and the XS meter", async () => {
    const r = await mpos("selftest", "--engine", "xs", "--json");
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ engine: "xs", failed: 0 });
    expect(r.json.passed).toBeGreaterThan(10);
    expect(r.json.tests[0]).toEqual({ name: expect.any(String), ok: true });
    expect(r.json.meter.compute).toBeGreaterThan(0);
    expect(r.json.meter.allocate).toBeGreaterThan(0);
  });

  it("mpos selftest on node has no meter", async () => {
    const r = await mpos("selftest", "--json");
    expect(r.json).toMatchObject({ engine: "node", failed: 0, meter: null });
  });
});
