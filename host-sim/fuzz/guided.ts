import { createHash } from "node:crypto";
import { accessSync, constants, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../kernel/errors";
import { Prng } from "../magstripe/prng";
import { projectRoot } from "../xs-engine/bundle";
import { BlockCoverage, projectScripts, startBlockCoverage, type ScriptFilter } from "./coverage";
import type { FuzzTarget } from "./fuzz-target";
import { drawInput } from "./mutate";
import { runInput, type FuzzFinding, type FuzzTally } from "./run-fuzz";
import { fuzzTargets } from "./targets";

// The coverage-guided mode (`mpos fuzz --guided`), the loop of AFL and libFuzzer over the same
// targets and mutators as the plain mode (run-fuzz.ts, drawInput in mutate.ts): the corpus starts as
// the target's seeds; each input is a mutation of a corpus entry, and an input that reaches a block
// of kernel/ or hal/ no earlier input reached (coverage.ts, V8's block counters) joins the corpus, so
// the next inputs start from it and go deeper. Seeded and repeatable: the generator and the
// coverage are deterministic, so the same seed gives the same inputs, corpus and findings.
//
// Node only (the counters are V8's); the XS engine's heap checks stay with the plain mode. The
// kernel keeps no cache that inputs fill (kernel/tlv/tag.ts), so a block reached or not does not
// depend on what ran earlier in the process.

export interface GuidedTargetReport {
  target: string;
  /** Mutated inputs run (the seeds are run first, besides these). */
  iterations: number;
  seeds: number;
  /** Entries of a saved corpus (--corpus-in) that started the run beside the seeds. */
  imported: number;
  /** Seeds plus every input that reached a new block (findings never join). */
  corpusSize: number;
  /** Blocks the seeds alone reached. */
  seedBlocks: number;
  /** Blocks reached by the end of the run. */
  coveredBlocks: number;
  typedErrors: number;
  /** Findings; a seed's own finding has the iteration -1 - its index. */
  findings: FuzzFinding[];
}

export interface GuidedRun {
  report: GuidedTargetReport;
  corpus: Uint8Array[];
}

/**
 * Inputs run between two takes of the counters. A take walks V8's heap (milliseconds), so inputs
 * run in batches; a batch that reached a new block is replayed input by input to find which ones
 * did (the targets are pure functions of their input). The batch size is part of what a seed
 * replays: the same seed and batch size give the same corpus.
 */
export const GUIDED_BATCH = 16;

export interface GuidedOptions {
  /** The scripts whose blocks count (default: the project's kernel/ and hal/). */
  filter?: ScriptFilter;
  batch?: number;
  /** A saved corpus (readCorpus) to start from beside the target's seeds: a campaign goes on where it stopped. */
  corpus?: readonly Uint8Array[];
}

/**
 * The corpus entry to mutate next, later ones likelier (weight index + 1, as libFuzzer's
 * ChooseUnitIdxToMutate): the later an entry joined, the deeper it reached.
 */
function chooseEntry(corpus: readonly Uint8Array[], rng: Prng): Uint8Array {
  const r = rng.int(0, (corpus.length * (corpus.length + 1)) / 2 - 1);
  return corpus[Math.min(corpus.length - 1, Math.floor((Math.sqrt(8 * r + 1) - 1) / 2))];
}

/** Runs `iterations` coverage-guided inputs against one target. */
export async function guidedFuzzTarget(target: FuzzTarget, iterations: number, seed: number, options: GuidedOptions = {}): Promise<GuidedRun> {
  startBlockCoverage();
  const coverage = new BlockCoverage({ filter: options.filter ?? projectScripts(projectRoot()) });
  const batchSize = Math.max(1, options.batch ?? GUIDED_BATCH);
  const tally: FuzzTally = { typedErrors: 0, findings: [] };
  const replay = (input: Uint8Array) => runInput(target, input, -1, { typedErrors: 0, findings: [] }); // counted once already
  const own = target.seeds();
  const seen = new Set(own.map((s) => createHash("sha1").update(s).digest("hex")));
  const imported = (options.corpus ?? []).filter((c) => {
    const name = createHash("sha1").update(c).digest("hex");
    if (seen.has(name)) return false;
    seen.add(name);
    return true;
  });
  const seeds = own.concat(imported);
  // A warm-up pass of the seeds first, uncounted: what the kernel sets up on its first use (a
  // table, a cache) would otherwise count only in the first run of a process.
  for (const s of seeds) await replay(s);
  coverage.take();
  for (let k = 0; k < seeds.length; k++) {
    await runInput(target, seeds[k], -1 - k, tally);
    coverage.add(coverage.take());
  }
  const seedBlocks = coverage.size;
  const corpus = seeds.slice();
  const rng = new Prng(seed);
  for (let i = 0; i < iterations; i += batchSize) {
    const end = Math.min(iterations, i + batchSize);
    const batch: Uint8Array[] = [];
    for (let j = i; j < end; j++) {
      const input = drawInput(target, corpus.length ? [chooseEntry(corpus, rng)] : [], rng);
      if (!(await runInput(target, input, j, tally))) batch.push(input); // a finding never joins the corpus
    }
    const ran = coverage.take();
    if (!coverage.hasNew(ran)) continue;
    if (end - i === 1 && batch.length === 1) { // one input ran: the take is its own
      if (coverage.add(ran) > 0) corpus.push(batch[0]);
      continue;
    }
    for (const input of batch) {
      await replay(input);
      if (coverage.add(coverage.take()) > 0) corpus.push(input);
    }
  }
  return {
    report: { target: target.name, iterations, seeds: own.length, imported: imported.length, corpusSize: corpus.length, seedBlocks, coveredBlocks: coverage.size, ...tally },
    corpus,
  };
}

/** A corpus as files, one input a file named by its SHA-1 (as libFuzzer names them), in dir/<target>/. */
export function writeCorpus(dir: string, target: string, corpus: readonly Uint8Array[]): void {
  const folder = writableFolder(join(dir, target));
  try {
    for (const input of corpus) writeFileSync(join(folder, createHash("sha1").update(input).digest("hex")), input);
  } catch {
    throw new InputError("file", `cannot write the corpus to ${folder}`);
  }
}

/** The most files and bytes a saved corpus may bring (a folder is input from outside, bounded). */
export const MAX_CORPUS_FILES = 10_000;
export const MAX_CORPUS_INPUT_BYTES = 64 * 1024;

/**
 * The corpus saved in dir/<target>/ (writeCorpus), in file-name order: one input a regular file of
 * at most MAX_CORPUS_INPUT_BYTES, at most MAX_CORPUS_FILES of them. A target without a folder
 * starts from its seeds; a folder that cannot be read, a file too large or too many files is a
 * typed error naming it.
 */
export function readCorpus(dir: string, target: string): Uint8Array[] {
  const folder = join(dir, target);
  let names: string[];
  try {
    if (!lstatSync(folder).isDirectory()) throw new InputError("file", `${folder} is not a folder`);
    names = readdirSync(folder).sort();
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new InputError("file", `cannot read the corpus folder ${folder}`);
  }
  if (names.length > MAX_CORPUS_FILES) throw new InputError("file", `${folder}: more than ${MAX_CORPUS_FILES} corpus files`);
  const corpus: Uint8Array[] = [];
  for (const name of names) {
    const path = join(folder, name);
    let bytes: Buffer;
    try {
      const stat = lstatSync(path);
      if (!stat.isFile()) continue; // a link or a folder is not an input
      if (stat.size > MAX_CORPUS_INPUT_BYTES) throw new InputError("file", `${path}: a corpus input is at most ${MAX_CORPUS_INPUT_BYTES} bytes`);
      bytes = readFileSync(path);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError("file", `cannot read the corpus file ${path}`);
    }
    corpus.push(new Uint8Array(bytes));
  }
  return corpus;
}

/** The folder, made where it is missing; a typed error where it cannot be. */
function writableFolder(folder: string): string {
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
    return folder;
  } catch {
    throw new InputError("file", `cannot write to the folder ${folder}`);
  }
}

export async function runGuidedFuzz(options: {
  iterations: number; seed: number; only?: string[]; corpusIn?: string; corpusOut?: string; progress?(line: string): void;
}): Promise<GuidedTargetReport[]> {
  if (options.corpusOut !== undefined) writableFolder(options.corpusOut); // before the run, not after it
  const reports: GuidedTargetReport[] = [];
  for (const target of fuzzTargets) {
    if (options.only && !options.only.includes(target.name)) continue;
    options.progress?.(`fuzz --guided: ${target.name} (${options.iterations} inputs, seed ${options.seed})`);
    const saved = options.corpusIn === undefined ? [] : readCorpus(options.corpusIn, target.name);
    const { report, corpus } = await guidedFuzzTarget(target, options.iterations, options.seed, { corpus: saved });
    if (options.corpusOut !== undefined) writeCorpus(options.corpusOut, target.name, corpus);
    reports.push(report);
  }
  return reports;
}
