/** One figure of `npm run bench` (`mpos bench --json` -> {"results":[...]}). */
export interface BenchResult {
  /** What was measured, prefixed by its kind: "tlv ...", "dukpt ...", "aes ...". */
  name: string;
  engine: "node" | "xs";
  /** XS compute units per operation (deterministic); null on Node. */
  compute: number | null;
  /** XS live heap slots after the run (currentHeapCount); null on Node. */
  heap: number | null;
  /** Wall-clock milliseconds per operation on this machine (noisy; for orientation). */
  ms: number | null;
  /** The peer measured on the same input in the same run, if any. */
  peer: string | null;
  /** ours / peer (ms on Node, compute on XS): below 1 means we are faster. */
  ratio: number | null;
  /** Throughput or another figure that the name explains, with its unit. */
  value?: number;
  unit?: string;
  /** The goal this figure is held to, in words ("faster than both peers"). */
  goal?: string;
}

/** A result with the figures not measured set to null. */
export function benchResult(partial: Partial<BenchResult> & Pick<BenchResult, "name" | "engine">): BenchResult {
  return { compute: null, heap: null, ms: null, peer: null, ratio: null, ...partial };
}
