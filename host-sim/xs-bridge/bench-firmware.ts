import { benchResult as result, type BenchResult } from "../bench/bench-result";
import type { KernelEngine } from "../xs-engine/kernel-engine";
import { tapOnFirmware } from "./firmware-contactless-run";
import type { HeapSample } from "./firmware-engine";
import { runOnFirmware } from "./firmware-sim-run";

// Issue 10, item 5: the reader firmware's JavaScript heap on the XS engine, through a contact CDA
// transaction with online PIN and a contactless tap (C-3, fDDA, online PIN), each run by the
// firmware bundle with its hardware served over the bridge. Peak: the largest live heap at any
// wait for hardware, after a full collection, at the ESP32's 16 bytes a slot, above the booted
// firmware; "idle": the reader after start-up, before the payment. Chunks (string and buffer
// contents) are not in xsnap's meter.

const GOAL = "peak under 64 KB of JavaScript heap (slots; chunks not measured)";

function split(samples: { sample: HeapSample; phase: string }[]): { idle: number; peak: number } {
  const start = samples.filter((s) => s.phase === "start");
  const pay = samples.filter((s) => s.phase === "pay");
  return { idle: start[start.length - 1].sample.heapBytes, peak: Math.max(...pay.map((s) => s.sample.heapBytes)) };
}

export async function benchFirmware(_xs: KernelEngine): Promise<BenchResult[]> {
  const contact: { sample: HeapSample; phase: string }[] = [];
  const paid = await runOnFirmware(
    { card: "visa-cda", interface: "contact", amount: "12.34", pins: ["1234"], date: "261125", time: "120000", seed: 1 }, "xs",
    { onSample: (sample, phase) => contact.push({ sample, phase }) },
  );
  const tap: { sample: HeapSample; phase: string }[] = [];
  const tapped = await tapOnFirmware({ cards: ["visa-cda"], amount: "150.00", date: "261125", time: "120000" }, "xs", {
    onSample: (sample, phase) => tap.push({ sample, phase }),
  });
  const c = split(contact), t = split(tap);
  const name = (what: string) => `firmware on XS: ${what}`;
  return [
    result({ name: name("contact visa-cda (CDA, online PIN), peak heap"), engine: "xs", compute: paid.xs!.compute, value: c.peak, unit: "bytes", goal: GOAL }),
    result({ name: name("contact visa-cda, the payment's own heap above the idle reader"), engine: "xs", value: c.peak - c.idle, unit: "bytes" }),
    result({ name: name("contactless visa-cda tap (C-3, fDDA, online PIN), peak heap"), engine: "xs", compute: tapped.xs!.compute, value: t.peak, unit: "bytes", goal: GOAL }),
    result({ name: name("contactless tap, its own heap above the idle reader"), engine: "xs", value: t.peak - t.idle, unit: "bytes" }),
    result({ name: name("the idle reader after start-up (self-tests, keys, configuration, caches)"), engine: "xs", value: c.idle, unit: "bytes" }),
  ];
}
