// The soak's memory check (issue 12, item 2: "heap after warm-up does not grow"), for the kernel's
// soak (run-soak.ts) and the firmware's (firmware-soak.ts): live-heap readings taken at the same
// point of the mix, the first ones before the warm-up ended left out. A leak is a trend, not a
// peak: the mean of the last third of the readings against the first third's (the live heap at a
// reading moves by a few dozen slots with what the last payments left in caches).

export interface HeapTrend {
  /** The first reading after the warm-up. */
  baseline: number | null;
  /** The largest reading after the warm-up. */
  max: number | null;
  /** The last reading. */
  last: number | null;
  /** Last third's mean minus the first third's, after the warm-up (null: fewer than two readings). */
  growth: number | null;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The trend of `samples` from index `firstAfterWarmup` on (null: the warm-up never ended). */
export function heapTrend(samples: readonly number[], firstAfterWarmup: number | null): HeapTrend {
  const after = firstAfterWarmup === null ? [] : samples.slice(firstAfterWarmup);
  const third = Math.max(1, Math.floor(after.length / 3));
  return {
    baseline: after.length > 0 ? after[0] : null,
    max: after.length > 0 ? Math.max(...after) : null,
    last: samples.length > 0 ? samples[samples.length - 1] : null,
    growth: after.length >= 2 ? Math.round(mean(after.slice(after.length - third)) - mean(after.slice(0, third))) : null,
  };
}
