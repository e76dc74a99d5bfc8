import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { bundleRegions, projectScripts, startBlockCoverage, stopBlockCoverage } from "../../host-sim/fuzz/coverage";
import type { FuzzTarget } from "../../host-sim/fuzz/fuzz-target";
import { guidedFuzzTarget, MAX_CORPUS_INPUT_BYTES, readCorpus, type GuidedRun } from "../../host-sim/fuzz/guided";
import { fuzzTarget } from "../../host-sim/fuzz/run-fuzz";
import { fuzzTargets } from "../../host-sim/fuzz/targets";
import { projectRoot } from "../../host-sim/xs-engine/bundle";
import { mpos } from "../support/cli";

// Issue 12, item 1: the coverage-guided mode (`mpos fuzz --guided`). V8's block counters count only
// functions compiled after they start, so they start before anything here runs the kernel.
beforeAll(() => { startBlockCoverage(); });
afterAll(() => stopBlockCoverage());

const dol = fuzzTargets.find((t) => t.name === "dol") as FuzzTarget;
const asHex = (run: GuidedRun) => ({ report: run.report, corpus: run.corpus.map((c) => Buffer.from(c).toString("hex")) });

// The planted bug: an untyped exception behind a 4-byte prefix, each byte its own branch. Random
// mutations of the seed hit all four bytes at once about never; a fuzzer that keeps the inputs that
// got one byte further climbs it byte by byte.
function prefixParser(input: Uint8Array): void {
  if (input.length < 4) return;
  if (input[0] !== 0x6c) return;
  if (input[1] !== 0x90) return;
  if (input[2] !== 0x7f) return;
  if (input[3] !== 0x81) return;
  throw new TypeError("planted bug past the prefix");
}

const planted: FuzzTarget = {
  name: "planted-prefix",
  seeds: () => [new Uint8Array(4)],
  run: prefixParser,
  isDefinedError: () => false,
};

describe("coverage-guided fuzzing", () => {
  it("a guided run covers more blocks of kernel/ than the seed corpus alone, and keeps the inputs that did", async () => {
    const { report, corpus } = await guidedFuzzTarget(dol, 400, 7);
    expect(report.seedBlocks).toBeGreaterThan(0);
    expect(report.coveredBlocks).toBeGreaterThan(report.seedBlocks);
    expect(report.corpusSize).toBeGreaterThan(report.seeds);
    expect(corpus).toHaveLength(report.corpusSize);
    expect(report).toMatchObject({ target: "dol", iterations: 400, seeds: 3, findings: [] });
  });

  it("is repeatable: the same seed gives the same corpus, block counts and findings", async () => {
    const a = asHex(await guidedFuzzTarget(dol, 300, 11));
    const b = asHex(await guidedFuzzTarget(dol, 300, 11));
    expect(b).toEqual(a);
    const c = asHex(await guidedFuzzTarget(dol, 300, 12));
    expect(c.corpus).not.toEqual(a.corpus);
  });

  it("finds a bug reachable only through a 4-byte prefix that the plain mode with the same budget misses", async () => {
    const budget = 6000;
    const thisFile = projectScripts(projectRoot(), ["test/fuzz"]);
    const plain = await fuzzTarget(planted, budget, 1);
    const guided = await guidedFuzzTarget(planted, budget, 1, { filter: thisFile });
    expect(plain.findings).toEqual([]);
    expect(guided.report.findings.length).toBeGreaterThan(0);
    expect(guided.report.findings[0]).toMatchObject({ target: "planted-prefix", error: "TypeError: planted bug past the prefix",
      input: expect.stringMatching(/^6C907F81/) });
    // The corpus climbed the prefix: an entry stops at each byte on the way.
    const entries = guided.corpus.map((c) => Buffer.from(c).toString("hex"));
    for (const prefix of ["6c", "6c90", "6c907f"]) expect(entries.some((e) => e.startsWith(prefix))).toBe(true);
  });

  it("counts only the kernel/ and hal/ modules of the CLI's bundle, found by esbuild's module markers", () => {
    const bundle = ["\"use strict\";", "// host-sim/cli/main.ts", "var a = 1;", "// kernel/tlv/decode.ts", "function decodeTlv() {}",
      "// hal/clock.ts", "var c;", "// node_modules/@noble/hashes/sha256.js", "var d;", "// kernel/bytes/hex.ts", "function fromHex() {}"].join("\n");
    const regions = bundleRegions(bundle, ["kernel", "hal"]).map((r) => bundle.slice(r.start, r.end).split("\n")[0]);
    expect(regions).toEqual(["// kernel/tlv/decode.ts", "// hal/clock.ts", "// kernel/bytes/hex.ts"]);
  });

  it("mpos fuzz --guided reports corpus and blocks per target and writes the corpus with --corpus-out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpos-corpus-"));
    try {
      const run = await mpos("fuzz", "--guided", "--target", "dol", "--iterations", "200", "--seed", "5", "--corpus-out", dir, "--json");
      expect(run.status).toBe(0);
      expect(run.json).toMatchObject({ mode: "guided", seed: 5, iterations: 200, findings: 0 });
      const [report] = run.json.targets;
      expect(report.coveredBlocks).toBeGreaterThan(report.seedBlocks);
      const files = readdirSync(join(dir, "dol"));
      expect(files).toHaveLength(report.corpusSize);
      expect(files.every((f) => /^[0-9a-f]{40}$/.test(f))).toBe(true);
      expect(files.map((f) => readFileSync(join(dir, "dol", f)).length).some((n) => n > 0)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const text = await mpos("fuzz", "--guided", "--target", "dol", "--iterations", "50");
    expect(text.stdout).toMatch(/dol\s+50 inputs, \d+ typed errors, corpus 3 -> \d+, blocks \d+ \(seeds\) -> \d+, 0 findings/);
    expect((await mpos("fuzz", "--corpus-out", "x", "--json")).status).toBe(2);
    const underAFile = join(__filename, "corpus");
    const unwritable = await mpos("fuzz", "--guided", "--target", "dol", "--iterations", "1", "--corpus-out", underAFile, "--json");
    expect(unwritable.status).toBe(2);
    expect(unwritable.json).toEqual({ error: expect.stringContaining("cannot write to the folder") });
  });

  it("--corpus-in starts from a saved corpus: a campaign goes on where it stopped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mpos-corpus-"));
    try {
      const first = await mpos("fuzz", "--guided", "--target", "dol", "--iterations", "300", "--seed", "7", "--corpus-out", dir, "--json");
      expect(first.status).toBe(0);
      const saved = first.json.targets[0];
      const again = await mpos("fuzz", "--guided", "--target", "dol", "--iterations", "1", "--seed", "8", "--corpus-in", dir, "--json");
      expect(again.status).toBe(0);
      const resumed = again.json.targets[0];
      // The seeds are in the saved corpus too: they are not run twice.
      expect(resumed.imported).toBe(saved.corpusSize - saved.seeds);
      expect(resumed.seedBlocks).toBeGreaterThanOrEqual(saved.coveredBlocks);
      const text = await mpos("fuzz", "--guided", "--target", "dol", "--iterations", "1", "--corpus-in", dir);
      expect(text.stdout).toMatch(new RegExp(`corpus 3 \\+ ${resumed.imported} saved -> \\d+`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a saved corpus is input from outside: no folder is no corpus, a file too large is refused, a folder in it is no input", () => {
    const dir = mkdtempSync(join(tmpdir(), "mpos-corpus-"));
    try {
      expect(readCorpus(dir, "dol")).toEqual([]);
      mkdirSync(join(dir, "dol"));
      writeFileSync(join(dir, "dol", "b"), Uint8Array.of(2));
      writeFileSync(join(dir, "dol", "a"), Uint8Array.of(1));
      expect(readCorpus(dir, "dol")).toEqual([Uint8Array.of(1), Uint8Array.of(2)]);
      mkdirSync(join(dir, "dol", "c"));
      expect(readCorpus(dir, "dol")).toHaveLength(2);
      writeFileSync(join(dir, "dol", "d"), new Uint8Array(MAX_CORPUS_INPUT_BYTES + 1));
      expect(() => readCorpus(dir, "dol")).toThrow(expect.objectContaining({ code: "file", message: expect.stringContaining("at most") }));
      writeFileSync(join(dir, "tlv"), "not a folder");
      expect(() => readCorpus(dir, "tlv")).toThrow(expect.objectContaining({ code: "file" }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--corpus-in needs --guided; an unreadable corpus ends with exit status 2", async () => {
    expect((await mpos("fuzz", "--corpus-in", "x", "--json")).status).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), "mpos-corpus-"));
    try {
      mkdirSync(join(dir, "dol"));
      writeFileSync(join(dir, "dol", "big"), new Uint8Array(MAX_CORPUS_INPUT_BYTES + 1));
      const r = await mpos("fuzz", "--guided", "--target", "dol", "--iterations", "1", "--corpus-in", dir, "--json");
      expect(r.status).toBe(2);
      expect(r.json).toEqual({ error: expect.stringContaining("a corpus input is at most") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
