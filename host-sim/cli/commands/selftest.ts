import { allowOnly, choice, option } from "../args";
import type { Command } from "../command";
import { startKernelEngine } from "../../xs-engine/kernel-engine";

interface SelftestResult {
  engine: string;
  passed: number;
  failed: number;
  tests: { name: string; ok: boolean }[];
  meter: { compute: number; allocate: number } | null;
}

export const selftest: Command = {
  path: ["selftest"],
  summary: "run the power-on self-tests (known answers of every primitive) on Node or on XS",
  usage: "mpos selftest [--engine node|xs]\n  --engine E   where to run them (default node; xs is the engine the reader runs)",
  async run(args) {
    allowOnly(args, ["engine"]);
    const name = choice(option(args, "engine") ?? "node", ["node", "xs"] as const, "--engine");
    const engine = await startKernelEngine(name);
    try {
      const call = await engine.call("selftest.run");
      const report = call.value as { passed: number; failed: number; tests: { name: string; ok: boolean }[] };
      const result: SelftestResult = {
        engine: name,
        passed: report.passed,
        failed: report.failed,
        tests: report.tests,
        meter: call.meter ? { compute: call.meter.compute, allocate: call.meter.allocate } : null,
      };
      return result;
    } finally {
      await engine.close();
    }
  },
  format(result) {
    const r = result as SelftestResult;
    const lines = r.tests.map((t) => `  ${t.ok ? "ok  " : "FAIL"}  ${t.name}`);
    const meter = r.meter ? ` (XS compute ${r.meter.compute}, allocate ${r.meter.allocate})` : "";
    return `${lines.join("\n")}\n${r.passed} passed, ${r.failed} failed on ${r.engine}${meter}`;
  },
  exitCode: (result) => ((result as SelftestResult).failed === 0 ? 0 : 1),
};
