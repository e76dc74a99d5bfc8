import { performance } from "perf_hooks";
import type { KernelEngine } from "../xs-engine/kernel-engine";
import { runBenchOperation } from "./operations";

/** Milliseconds per call of `fn` on Node: a warm-up, then enough calls to fill ~`budgetMs`. */
export function timeOnNode(fn: () => void, budgetMs = 200): number {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    n++;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return elapsed / n;
}

export function nodeOperationMs(op: string, hex: string): number {
  return timeOnNode(() => runBenchOperation({ op, hex, iterations: 1 }));
}

/**
 * XS compute per operation: the meter of N iterations minus the meter of 0 (the same preparation),
 * divided by N. Deterministic, so one run is enough. Also the wall time per operation.
 */
export async function xsOperation(xs: KernelEngine, op: string, hex: string, iterations: number):
    Promise<{ compute: number; heap: number; ms: number }> {
  let start = performance.now();
  const base = await xs.call("bench.run", { op, hex, iterations: 0 });
  const baseMs = performance.now() - start;
  start = performance.now();
  const full = await xs.call("bench.run", { op, hex, iterations });
  const ms = Math.max(0, performance.now() - start - baseMs) / iterations;
  const compute = (full.meter!.compute - base.meter!.compute) / iterations;
  return { compute: Math.round(compute), heap: full.meter!.currentHeapCount, ms };
}
