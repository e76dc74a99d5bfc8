import { benchResult as result, type BenchResult } from "../bench/bench-result";
import type { KernelEngine } from "../xs-engine/kernel-engine";
import { tapOnFirmware } from "./firmware-contactless-run";
import type { HeapSample } from "./firmware-engine";
import { runOnFirmware } from "./firmware-sim-run";

// Issue 10, item 5: the reader firmware's JavaScript heap on the XS engine, through a contact CDA
// transaction with online PIN and a contactless tap (C-3, fDDA, online PIN), each run by the
// firmware bundle with its hardware served over the bridge. The device preloads the firmware
// module, so what its module bodies build is in flash: "flash" is the live heap once they ran,
// and every other figure is RAM above it (host-sim/xs-bridge/firmware-engine.ts). "Idle": the
// reader after start-up; "peak": the largest live RAM at any wait for hardware in the payment,
// after a full collection, idle reader included. At the ESP32's 16 bytes a slot; chunks (string
// and buffer contents) are not in xsnap's meter.

export const HEAP_GOAL_BYTES = 64 * 1024;
const GOAL = "peak under 64 KB of RAM, idle reader included (slots; chunks not measured)";

/** A heap sample of a firmware run, with the command it was taken in. */
export interface PhasedSample {
  sample: HeapSample;
  phase: "start" | "pay";
}

export interface HeapFigures {
  /** The flash baseline: the live heap the module bodies built. */
  flashBytes: number;
  /** RAM of the reader after start-up: the last sample of the start command. */
  idleBytes: number;
  /** The largest RAM of the payment, idle reader included. */
  peakBytes: number;
}

/** The flash, idle and peak figures of one run's samples (start-up, then payment). */
export function heapFigures(samples: readonly PhasedSample[]): HeapFigures {
  const start = samples.filter((s) => s.phase === "start");
  const pay = samples.filter((s) => s.phase === "pay");
  if (start.length === 0 || pay.length === 0) throw new Error("heap figures need samples of the start-up and of the payment");
  return {
    flashBytes: start[0].sample.flashBytes,
    idleBytes: start[start.length - 1].sample.heapBytes,
    peakBytes: Math.max(...pay.map((s) => s.sample.heapBytes)),
  };
}

/** Collects a run's samples: pass `collect` as the run's onSample. */
export function sampleCollector(): { samples: PhasedSample[]; collect: (sample: HeapSample, phase: "start" | "pay") => void } {
  const samples: PhasedSample[] = [];
  return { samples, collect: (sample, phase) => samples.push({ sample, phase }) };
}

export async function benchFirmware(_xs: KernelEngine): Promise<BenchResult[]> {
  const contact = sampleCollector();
  const paid = await runOnFirmware(
    { card: "visa-cda", interface: "contact", amount: "12.34", pins: ["1234"], date: "261125", time: "120000", seed: 1 }, "xs",
    { onSample: contact.collect },
  );
  const tap = sampleCollector();
  const tapped = await tapOnFirmware({ cards: ["visa-cda"], amount: "150.00", date: "261125", time: "120000" }, "xs", {
    onSample: tap.collect,
  });
  const c = heapFigures(contact.samples), t = heapFigures(tap.samples);
  const name = (what: string) => `firmware on XS: ${what}`;
  return [
    result({ name: name("contact visa-cda (CDA, online PIN), peak RAM"), engine: "xs", compute: paid.xs!.compute, value: c.peakBytes, unit: "bytes", goal: GOAL }),
    result({ name: name("contact visa-cda, the payment's own RAM above the idle reader"), engine: "xs", value: c.peakBytes - c.idleBytes, unit: "bytes" }),
    result({ name: name("contactless visa-cda tap (C-3, fDDA, online PIN), peak RAM"), engine: "xs", compute: tapped.xs!.compute, value: t.peakBytes, unit: "bytes", goal: GOAL }),
    result({ name: name("contactless tap, its own RAM above the idle reader"), engine: "xs", value: t.peakBytes - t.idleBytes, unit: "bytes" }),
    result({ name: name("the idle reader after start-up, RAM (self-test results, keys, configuration)"), engine: "xs", value: c.idleBytes, unit: "bytes" }),
    result({
      name: name("flash: what the preloaded module bodies build (code, classes, TLV dictionary, curve tables)"), engine: "xs",
      value: c.flashBytes, unit: "bytes",
    }),
  ];
}
