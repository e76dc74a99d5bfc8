import { performance } from "perf_hooks";
import { benchResult as result, type BenchResult } from "../bench/bench-result";
import type { KernelEngine } from "../xs-engine/kernel-engine";
import { contactlessSimRun } from "../xs-engine/services/contactless";
import type { ContactlessRunResult } from "./run-contactless";

// Issue 7's figures: the modeled tap time (how long the card stays in the field until "card read",
// goal 250 ms or less for qVSDC with fDDA) and the XS compute of a whole simulated tap, for each
// kernel and form factor. The XS figure covers the whole simulated tap in the engine (the reader,
// the virtual card and the issuer host), measured on a second run so that the cards' one-time
// personalization (certificate signing) is not counted; the modeled time is the reader's side
// (host-sim/picc/run-contactless.ts).

const TAPS: [string, Record<string, unknown>, number | undefined][] = [
  ["contactless visa-cda qVSDC with fDDA, offline approval (5.00)", { cards: ["visa-cda"], amount: "5.00" }, 250],
  ["contactless visa-cda qVSDC, online PIN (150.00)", { cards: ["visa-cda"], amount: "150.00" }, undefined],
  ["contactless visa-wallet qVSDC, CDCVM (150.00)", { cards: ["visa-wallet"], amount: "150.00" }, undefined],
  ["contactless mc-cda-offline-pin C-2 with CDA, offline approval (5.00)", { cards: ["mc-cda-offline-pin"], amount: "5.00" }, undefined],
  ["contactless mc-wallet C-2 with CDA, CDCVM (150.00)", { cards: ["mc-wallet"], amount: "150.00" }, undefined],
];

export async function benchContactless(xs: KernelEngine): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [name, args, goalMs] of TAPS) {
    const request = { ...args, date: "261125", time: "120000", seed: 1 };
    const start = performance.now();
    const onNode = await contactlessSimRun(request);
    const nodeMs = performance.now() - start;
    await xs.call("contactless.simRun", request);
    const onXs = await xs.call("contactless.simRun", request);
    const tap = (onXs.value as ContactlessRunResult).tap;
    const goal = goalMs !== undefined ? `card in the field ${goalMs} ms or less (modeled)` : undefined;
    out.push(result({ name, engine: "node", ms: nodeMs, value: onNode.tap ? onNode.tap.cardInFieldMs : undefined, unit: "modeled ms in the field", goal }));
    out.push(result({
      name, engine: "xs", compute: onXs.meter!.compute, heap: onXs.meter!.currentHeapCount,
      value: tap ? tap.cardInFieldMs : undefined, unit: "modeled ms in the field (XS compute: reader, card and issuer of one tap)", goal,
    }));
  }
  return out;
}
