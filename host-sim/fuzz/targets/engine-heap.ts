import type { KernelEngine } from "../../xs-engine/kernel-engine";
import type { EngineFuzzReport } from "./in-engine";

// Memory growth under fuzzing on the XS engine: a target runs inside the engine ("fuzz.run") batch
// after batch of one seeded sequence; after each batch the engine collects garbage and reports its
// live slots (xsnap's currentHeapCount). The first batch is the warm-up (the target's rig, the
// engine's own key table); afterwards the live heap must not grow (a leak of one object an input shows as hundreds of slots).

export interface EngineHeapReport {
  target: string;
  inputs: number;
  /** Live slots after the warm-up batch, then after each measured batch. */
  heaps: number[];
  /** Slots the live heap grew from the end of the warm-up to the end of the run. */
  growthSlots: number;
  findings: string[];
  typedErrors: number;
}

export async function fuzzHeapOnEngine(engine: KernelEngine, target: string, options: { warmup: number; batch: number; batches: number; seed: number }):
    Promise<EngineHeapReport> {
  const heaps: number[] = [];
  const findings: string[] = [];
  let typedErrors = 0;
  let skip = 0;
  for (let b = 0; b <= options.batches; b++) {
    const iterations = b === 0 ? options.warmup : options.batch;
    const call = await engine.call("fuzz.run", { target, iterations, seed: options.seed, skip });
    skip += iterations;
    const report = call.value as EngineFuzzReport;
    findings.push(...report.findings);
    typedErrors += report.typedErrors;
    heaps.push(call.meter ? call.meter.currentHeapCount : 0);
  }
  return { target, inputs: skip, heaps, growthSlots: heaps[heaps.length - 1] - heaps[0], findings, typedErrors };
}
