import { allowOnly, option, UsageError } from "../args";
import type { Command } from "../command";
import { fuzzTargetNames, runFuzz, type FuzzTargetReport } from "../../fuzz/run-fuzz";

function positiveInteger(text: string, what: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${what} must be a whole number`);
  return Number(text);
}

interface FuzzResult {
  seed: number;
  iterations: number;
  targets: FuzzTargetReport[];
  findings: number;
}

export const fuzz: Command = {
  path: ["fuzz"],
  summary: "feed seeded, mutated inputs to every parser and protocol engine; non-zero exit on a finding",
  usage: "mpos fuzz [--iterations N] [--seed S] [--target NAME,...]\n" +
    "  --iterations N   inputs per target (default 10000)\n" +
    "  --seed S         the generator's seed (default 1): the same seed replays the same inputs\n" +
    `  --target NAMES   only these targets (${fuzzTargetNames().join(", ")})`,
  async run(args, io) {
    allowOnly(args, ["iterations", "seed", "target"]);
    const iterations = positiveInteger(option(args, "iterations") ?? "10000", "--iterations");
    const seed = positiveInteger(option(args, "seed") ?? "1", "--seed");
    const only = option(args, "target")?.split(",");
    for (const name of only ?? []) {
      if (!fuzzTargetNames().includes(name)) throw new UsageError(`no fuzz target ${name}`);
    }
    const targets = await runFuzz({ iterations, seed, only, progress: (l) => io.stderr(l + "\n") });
    const result: FuzzResult = { seed, iterations, targets, findings: targets.reduce((n, t) => n + t.findings.length, 0) };
    return result;
  },
  format(result) {
    const r = result as FuzzResult;
    const lines = r.targets.map((t) => `  ${t.target.padEnd(16)} ${t.iterations} inputs, ${t.typedErrors} typed errors, ${t.findings.length} findings` +
      t.findings.map((f) => `\n    #${f.iteration}: ${f.error}\n      input ${f.input}`).join(""));
    return `${lines.join("\n")}\n${r.findings === 0 ? "no findings" : `${r.findings} findings`} (seed ${r.seed})`;
  },
  exitCode: (result) => ((result as FuzzResult).findings === 0 ? 0 : 1),
};
