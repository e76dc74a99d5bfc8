import { performance } from "perf_hooks";
import { benchResult as result, type BenchResult } from "../bench-result";
import type { KernelEngine } from "../../xs-engine/kernel-engine";
import { simRun } from "../../xs-engine/services/emv";

// Issue 6's figures: one whole contact transaction (visa-cda: CDA, online PIN, online approval
// with ARPC) as `mpos sim run` runs it: XS compute and heap, wall time on Node, and the modeled
// time on the line (bytes x etu, guard times, the card's processing).

const VISA_CDA = { card: "visa-cda", interface: "contact", amount: "12.34", pins: ["1234"], date: "261125", time: "120000", seed: 1 };

export async function benchContactTransaction(xs: KernelEngine): Promise<BenchResult[]> {
  const name = "contact visa-cda transaction (CDA, online PIN, ARPC), whole simulation";
  const start = performance.now();
  const onNode = await simRun(VISA_CDA);
  const nodeMs = performance.now() - start;
  const onXs = await xs.call("emv.simRun", VISA_CDA);
  const modeledMs = (onXs.value as { modeledMs: number }).modeledMs;
  return [
    result({ name, engine: "node", ms: nodeMs, value: onNode.modeledMs, unit: "modeled ms on the line" }),
    result({ name, engine: "xs", compute: onXs.meter!.compute, heap: onXs.meter!.currentHeapCount, value: modeledMs,
      unit: "modeled ms on the line (XS compute: the card, the issuer and the reader, all in this engine)" }),
  ];
}
