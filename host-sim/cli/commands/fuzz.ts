import { resolve } from "path";
import { allowOnly, flag, option, UsageError } from "../args";
import type { Command } from "../command";
import { runGuidedFuzz, type GuidedTargetReport } from "../../fuzz/guided";
import { fuzzTargetNames, runFuzz, type FuzzTargetReport } from "../../fuzz/run-fuzz";

function positiveInteger(text: string, what: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${what} must be a whole number`);
  return Number(text);
}

interface FuzzResult {
  seed: number;
  iterations: number;
  /** Plain: inputs drawn from the seeds; guided: from a corpus grown by block coverage (Node only). */
  mode: "plain" | "guided";
  targets: (FuzzTargetReport | GuidedTargetReport)[];
  findings: number;
}

function targetLine(t: FuzzTargetReport | GuidedTargetReport): string {
  const guided = "corpusSize" in t
    ? `, corpus ${t.seeds}${t.imported > 0 ? ` + ${t.imported} saved` : ""} -> ${t.corpusSize}, blocks ${t.seedBlocks} (seeds) -> ${t.coveredBlocks}` : "";
  return `  ${t.target.padEnd(16)} ${t.iterations} inputs, ${t.typedErrors} typed errors${guided}, ${t.findings.length} findings` +
    t.findings.map((f) => `\n    #${f.iteration}: ${f.error}\n      input ${f.input}`).join("");
}

export const fuzz: Command = {
  path: ["fuzz"],
  summary: "feed seeded, mutated inputs to every parser and protocol engine; non-zero exit on a finding",
  usage: "mpos fuzz [--guided [--corpus-in DIR] [--corpus-out DIR]] [--iterations N] [--seed S] [--target NAME,...]\n" +
    "  --guided         coverage-guided: mutate a corpus that grows with every input reaching a new block\n" +
    "                   of kernel/ or hal/ (V8 block coverage, Node only; the XS heap checks are the plain mode's)\n" +
    "  --corpus-in DIR  with --guided, start each target from the corpus saved in DIR/<target>/ as well as\n" +
    "                   its seeds (a campaign goes on where it stopped; the same DIR may be --corpus-out)\n" +
    "  --corpus-out DIR with --guided, write each target's corpus to DIR/<target>/, one input a file\n" +
    "  --iterations N   inputs per target (default 10000)\n" +
    "  --seed S         the generator's seed (default 1): the same seed replays the same inputs\n" +
    `  --target NAMES   only these targets (${fuzzTargetNames().join(", ")})`,
  booleanFlags: ["guided"],
  async run(args, io) {
    allowOnly(args, ["iterations", "seed", "target", "guided", "corpus-in", "corpus-out"]);
    const guided = flag(args, "guided");
    const corpusIn = option(args, "corpus-in");
    const corpusOut = option(args, "corpus-out");
    if (corpusIn !== undefined && !guided) throw new UsageError("--corpus-in needs --guided");
    if (corpusOut !== undefined && !guided) throw new UsageError("--corpus-out needs --guided");
    const iterations = positiveInteger(option(args, "iterations") ?? "10000", "--iterations");
    const seed = positiveInteger(option(args, "seed") ?? "1", "--seed");
    const only = option(args, "target")?.split(",");
    for (const name of only ?? []) {
      if (!fuzzTargetNames().includes(name)) throw new UsageError(`no fuzz target ${name}`);
    }
    const progress = (l: string) => io.stderr(l + "\n");
    const targets = guided
      ? await runGuidedFuzz({
        iterations, seed, only, progress,
        corpusIn: corpusIn === undefined ? undefined : resolve(io.cwd, corpusIn),
        corpusOut: corpusOut === undefined ? undefined : resolve(io.cwd, corpusOut),
      })
      : await runFuzz({ iterations, seed, only, progress });
    const result: FuzzResult = { seed, iterations, mode: guided ? "guided" : "plain", targets, findings: targets.reduce((n, t) => n + t.findings.length, 0) };
    return result;
  },
  format(result) {
    const r = result as FuzzResult;
    const lines = r.targets.map(targetLine);
    return `${lines.join("\n")}\n${r.findings === 0 ? "no findings" : `${r.findings} findings`} (seed ${r.seed})`;
  },
  exitCode: (result) => ((result as FuzzResult).findings === 0 ? 0 : 1),
};
