import { readFileSync } from "node:fs";
import { Session } from "node:inspector";
import { isAbsolute, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

// Which blocks of the project's code an input reached, for the coverage-guided fuzzer (guided.ts).
// V8's precise block coverage through the inspector protocol of the running process (Chrome DevTools
// Protocol, Profiler domain: startPreciseCoverage with callCount and detailed, takePreciseCoverage,
// which also resets the counters, so each take holds the blocks of the inputs since the last one).
// Node only: the XS engine has no such counters.
//
// What V8 reports and how it is read here: per function, a list of source ranges with counts, the
// first the whole function, the rest nested blocks; the count of a source position is the count of
// the innermost reported range around it. The list is compressed, and the compression depends on the
// counts: a block with its parent's count is left out, a block inside a block never entered too, and
// neighbouring blocks with one count are merged into one range. A range is therefore no stable name
// for a block, but its ends are: every start and end V8 reports is a block boundary in the source.
// A block here is the code from one boundary on (its key: the script's url, the function's start and
// the boundary's offset); it ran when the count at the boundary is above zero. The boundaries of a
// function are learnt as the run goes (a deeper block shows its boundaries once its parent ran), so
// a block first counts when its boundary is first reported: at most once a boundary, an input joins
// the corpus for a block an earlier input reached unseen. Keys are stable within one run, which is
// all a run needs (under ts-jest the offsets are those of the transpiled code).

interface CoverageRange { startOffset: number; endOffset: number; count: number }
interface FunctionCoverage { functionName: string; ranges: CoverageRange[] }
interface ScriptCoverage { url: string; functions: FunctionCoverage[] }

/** A part of a script, [start, end) in the script's UTF-16 offsets. */
export interface ScriptRegion { start: number; end: number }

/** The regions of a script to count (the whole script: one region to Infinity), or null to skip it. */
export type ScriptFilter = (url: string) => ScriptRegion[] | null;

const WHOLE: ScriptRegion[] = [{ start: 0, end: Infinity }];

/** The module markers esbuild writes before each module of a bundle that is not minified. */
const MODULE_MARKER = /^\/\/ ([\w@.+/-]+\.[cm]?[jt]sx?)$/gm;

function urlPath(url: string): string | null {
  if (url.startsWith("file://")) return fileURLToPath(url);
  return isAbsolute(url) ? url : null;
}

/** The regions of a bundle (dist/mpos.cjs) that come from modules whose path starts with one of `folders`. */
export function bundleRegions(source: string, folders: readonly string[]): ScriptRegion[] {
  const regions: ScriptRegion[] = [];
  let open: ScriptRegion | null = null;
  for (const m of source.matchAll(MODULE_MARKER)) {
    if (open) {
      open.end = m.index ?? open.start;
      regions.push(open);
      open = null;
    }
    if (folders.some((f) => m[1].startsWith(f + "/"))) open = { start: m.index ?? 0, end: source.length };
  }
  if (open) regions.push(open);
  return regions;
}

/**
 * The default filter: the scripts of `folders` (kernel/ and hal/) under `root`, one script a file as
 * ts-jest or Node load them, or their modules inside the CLI's bundle under root/dist.
 */
export function projectScripts(root: string, folders: readonly string[] = ["kernel", "hal"]): ScriptFilter {
  const bundles = join(root, "dist") + sep;
  return (url) => {
    const path = urlPath(url);
    if (path === null) return null;
    if (folders.some((f) => path.startsWith(join(root, f) + sep))) return WHOLE;
    if (!path.startsWith(bundles) || !/\.c?js$/.test(path)) return null;
    const regions = bundleRegions(readFileSync(path, "utf8"), folders);
    return regions.length ? regions : null;
  };
}

/** Sends one inspector command; the in-process session answers before `post` returns. */
function postSync<T>(session: Session, method: string, params?: object): T {
  let answer: { error: Error | null; result?: T } | null = null;
  session.post(method, params ?? {}, (error, result) => {
    answer = { error, result: result as T };
  });
  if (answer === null) throw new Error(`inspector: ${method} did not answer synchronously`);
  const { error, result } = answer as { error: Error | null; result?: T };
  if (error) throw new Error(`inspector: ${method}: ${error.message}`);
  return result as T;
}

/** The count at source offset `at`: that of the innermost range of `ranges` around it, 0 outside them all. */
function countAt(ranges: readonly CoverageRange[], at: number): number {
  let best: CoverageRange | null = null;
  for (const r of ranges) {
    if (r.startOffset > at || r.endOffset <= at) continue;
    if (!best || r.startOffset > best.startOffset || (r.startOffset === best.startOffset && r.endOffset < best.endOffset)) best = r;
  }
  return best ? best.count : 0;
}

// V8 keeps block counters only in functions compiled while precise coverage is on, and drops them
// when it is turned off (a function compiled before counts only as a whole): the counters are
// started once a process, before the code to fuzz first runs, and left on until the process ends
// (or a test suite calls stopBlockCoverage in its teardown, after its last guided run).
let counters: Session | null = null;

/** Starts V8's block counters for the rest of the process (again: nothing). */
export function startBlockCoverage(): Session {
  if (!counters) {
    const session = new Session();
    session.connect();
    postSync(session, "Profiler.enable");
    postSync(session, "Profiler.startPreciseCoverage", { callCount: true, detailed: true });
    counters = session;
  }
  return counters;
}

/** Turns V8's counters off (a later run in this process counts only whole functions). */
export function stopBlockCoverage(): void {
  if (!counters) return;
  postSync(counters, "Profiler.stopPreciseCoverage");
  postSync(counters, "Profiler.disable");
  counters.disconnect();
  counters = null;
}

/** Block coverage of the project's scripts, accumulated over one run. */
export class BlockCoverage {
  private readonly filter: ScriptFilter;
  private readonly regions = new Map<string, ScriptRegion[] | null>();
  /** Block boundaries ever reported, per function (url and the function's start offset). */
  private readonly boundaries = new Map<string, Set<number>>();
  private readonly covered = new Set<string>();

  constructor(options: { filter: ScriptFilter }) {
    this.filter = options.filter;
  }

  /** Distinct blocks covered so far. */
  get size(): number {
    return this.covered.size;
  }

  /**
   * The blocks of the filtered scripts that ran since the last take (V8 resets its counters at
   * each take, whoever took them), as keys.
   */
  take(): string[] {
    const { result } = postSync<{ result: ScriptCoverage[] }>(startBlockCoverage(), "Profiler.takePreciseCoverage");
    const ran: string[] = [];
    for (const script of result) {
      const regions = this.regionsOf(script.url);
      if (!regions) continue;
      for (const fn of script.functions) {
        const whole = fn.ranges[0];
        if (!whole || whole.count === 0 || !regions.some((r) => whole.startOffset >= r.start && whole.startOffset < r.end)) continue;
        this.blocksRun(`${script.url}:${whole.startOffset}`, fn.ranges, ran);
      }
    }
    return ran;
  }

  /** Whether any of `blocks` is not covered yet. */
  hasNew(blocks: readonly string[]): boolean {
    return blocks.some((b) => !this.covered.has(b));
  }

  /** Adds `blocks` to the covered ones; returns how many were new. */
  add(blocks: readonly string[]): number {
    const before = this.covered.size;
    for (const b of blocks) this.covered.add(b);
    return this.covered.size - before;
  }

  private regionsOf(url: string): ScriptRegion[] | null {
    let regions = this.regions.get(url);
    if (regions === undefined) {
      regions = this.filter(url);
      this.regions.set(url, regions);
    }
    return regions;
  }

  /** Learns the boundaries of the function's reported ranges, and appends the blocks that ran to `ran`. */
  private blocksRun(fnKey: string, ranges: readonly CoverageRange[], ran: string[]): void {
    let known = this.boundaries.get(fnKey);
    if (!known) this.boundaries.set(fnKey, (known = new Set()));
    for (const r of ranges) known.add(r.startOffset).add(r.endOffset);
    for (const at of known) {
      if (countAt(ranges, at) > 0) ran.push(`${fnKey}@${at}`);
    }
  }
}
