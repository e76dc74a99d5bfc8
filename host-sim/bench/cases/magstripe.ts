import { performance } from "perf_hooks";
import { benchResult as result, type BenchResult } from "../bench-result";
import type { KernelEngine } from "../../xs-engine/kernel-engine";
import { exampleSwipeFlux, measureReadRate } from "../../magstripe/read-rate";

// Issue 4's figures: the read rate over 10,000 generated swipes (3-60 ips, acceleration up to
// +/-30 % within a swipe, 5 % jitter, both directions) by speed band and direction, the wrong-data
// count (goal: zero, ever), and the XS compute to decode one three-track swipe.

export async function benchMagstripe(xs: KernelEngine, options: { swipes?: number } = {}): Promise<BenchResult[]> {
  const swipes = options.swipes ?? 10000;
  const rr = measureReadRate({ swipes, seed: 20261125 });
  const results: BenchResult[] = rr.rows.map((row) => result({
    name: `magstripe read rate ${row.band} ${row.direction} (${row.swipes} swipes, worst track)`,
    engine: "node",
    value: Math.round(row.worstTrackRate * 100000) / 1000,
    unit: "%",
    goal: "99.9 % or better",
  }));
  results.push(result({ name: `magstripe wrong-data reads in ${swipes} swipes`, engine: "node", value: rr.wrongData, unit: "reads", goal: "0, ever" }));

  const flux = exampleSwipeFlux(1);
  const start = performance.now();
  await xs.call("magstripe.decodeFlux", flux);
  const ms = performance.now() - start;
  const call = await xs.call("magstripe.decodeFlux", flux);
  results.push(result({ name: "magstripe decode one three-track swipe", engine: "xs", compute: call.meter!.compute, heap: call.meter!.currentHeapCount, ms }));
  return results;
}
