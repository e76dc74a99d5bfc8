import { Prng } from "../magstripe/prng";
import type { FuzzTarget } from "./fuzz-target";
import { drawInput } from "./mutate";
import { fuzzTargets } from "./targets";

export interface FuzzFinding {
  target: string;
  iteration: number;
  /** The input, hex, so the finding can be replayed (fuzz inputs are synthetic, never card data). */
  input: string;
  error: string;
}

export interface FuzzTargetReport {
  target: string;
  iterations: number;
  /** Inputs that ended in a typed error (the rest returned normally). */
  typedErrors: number;
  findings: FuzzFinding[];
}

export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
  return s;
}

/** What one input's run counts so far: typed errors, and the first 10 findings. */
export interface FuzzTally {
  typedErrors: number;
  findings: FuzzFinding[];
}

/** Runs one input and counts its outcome; true when it was a finding. */
export async function runInput(target: FuzzTarget, input: Uint8Array, iteration: number, tally: FuzzTally): Promise<boolean> {
  try {
    await target.run(input);
    return false;
  } catch (e) {
    if (target.isDefinedError(e)) {
      tally.typedErrors++;
      return false;
    }
    if (tally.findings.length < 10) {
      tally.findings.push({ target: target.name, iteration, input: hex(input), error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
    return true;
  }
}

/**
 * Runs `iterations` inputs against one target, drawn by `drawInput` (mostly mutations of its seeds).
 * Seeded: the same seed replays the same inputs. Stops collecting after 10 findings.
 */
export async function fuzzTarget(target: FuzzTarget, iterations: number, seed: number): Promise<FuzzTargetReport> {
  const rng = new Prng(seed);
  const seeds = target.seeds();
  const tally: FuzzTally = { typedErrors: 0, findings: [] };
  for (let i = 0; i < iterations; i++) await runInput(target, drawInput(target, seeds, rng), i, tally);
  return { target: target.name, iterations, ...tally };
}

export async function runFuzz(options: { iterations: number; seed: number; only?: string[]; progress?(line: string): void }):
    Promise<FuzzTargetReport[]> {
  const reports: FuzzTargetReport[] = [];
  for (const target of fuzzTargets) {
    if (options.only && !options.only.includes(target.name)) continue;
    options.progress?.(`fuzz: ${target.name} (${options.iterations} inputs, seed ${options.seed})`);
    reports.push(await fuzzTarget(target, options.iterations, options.seed));
  }
  return reports;
}

export function fuzzTargetNames(): string[] {
  return fuzzTargets.map((t) => t.name);
}
