import { benchResult as result, type BenchResult } from "../bench-result";
import { soakSchedule } from "../../soak/mix";
import { runSoak } from "../../soak/run-soak";
import type { HeapSample } from "../../xs-bridge/firmware-engine";
import { tapOnFirmware } from "../../xs-bridge/firmware-contactless-run";
import { runOnFirmware } from "../../xs-bridge/firmware-sim-run";

// Issue 12, item 5: XS compute and peak heap per transaction kind, measured on the reader firmware
// itself (firmware/main-xs.ts on the XS engine, its hardware served by the simulator): the compute
// of the whole payment, and the largest live heap at any point where the firmware waited for
// hardware, above the booted idle reader (host-sim/xs-bridge/firmware-engine.ts: bytes at the
// ESP32's 16 bytes a slot; `heap` is the same in slots). And the soak's figure: the live heap's growth over consecutive
// transactions after warm-up (host-sim/soak).

const HEAP_GOAL = "peak under 64 KB above the idle reader";
const DAY = { date: "250615", time: "120000" };

type OnSample = (sample: HeapSample, phase: "start" | "pay") => void;

interface Kind {
  name: string;
  run(onSample: OnSample): Promise<{ compute: number; modeledMs: number | null; outcome: string }>;
}

const contact = (card: string, pins?: string[]) => async (onSample: OnSample) => {
  const r = await runOnFirmware({ card, interface: "contact", amount: "12.34", pins, ...DAY }, "xs", { onSample });
  return { compute: r.xs!.compute, modeledMs: r.modeledMs, outcome: r.outcome };
};

const KINDS: Kind[] = [
  { name: "contact visa-cda (CDA, online PIN, ARPC)", run: contact("visa-cda", ["1234"]) },
  { name: "contact mc-cda-offline-pin (CDA, offline enciphered PIN)", run: contact("mc-cda-offline-pin", ["1234"]) },
  { name: "contact visa-sda (SDA, signature, online)", run: contact("visa-sda") },
  {
    name: "magstripe magstripe-only (swipe, online)",
    run: async (onSample) => {
      const r = await runOnFirmware({ card: "magstripe-only", interface: "magstripe", amount: "12.34", ...DAY }, "xs", { onSample });
      return { compute: r.xs!.compute, modeledMs: r.modeledMs, outcome: r.outcome };
    },
  },
  {
    name: "contactless visa-cda (C-3 qVSDC, fDDA, offline)",
    run: async (onSample) => {
      const r = await tapOnFirmware({ cards: ["visa-cda"], amount: "12.00", ...DAY }, "xs", { onSample });
      return { compute: r.xs!.compute, modeledMs: null, outcome: r.outcome };
    },
  },
  {
    name: "contactless visa-wallet (C-3, CDCVM, online)",
    run: async (onSample) => {
      const r = await tapOnFirmware({ cards: ["visa-wallet"], amount: "88.00", ...DAY }, "xs", { onSample });
      return { compute: r.xs!.compute, modeledMs: null, outcome: r.outcome };
    },
  },
];

export async function benchHeap(options: { soakTransactions?: number } = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const k of KINDS) {
    // The live heap at every wait: the idle reader is the last sample of its start-up (self-tests,
    // configuration, key store, the kernel's caches); the payment's peak is the largest after it.
    let idle = 0;
    let peak = 0;
    const r = await k.run((sample, phase) => {
      if (phase === "start") idle = sample.heapBytes;
      else peak = Math.max(peak, sample.heapBytes);
    });
    const bytes = Math.max(0, peak - idle);
    results.push(result({
      name: `heap ${k.name}: what the payment adds to the idle firmware's live heap (${r.outcome})`, engine: "xs", compute: r.compute,
      heap: Math.round(bytes / 16), value: Math.round((bytes / 1024) * 10) / 10, unit: "KB peak above idle", goal: HEAP_GOAL,
    }));
  }
  const cycle = soakSchedule().length;
  const n = options.soakTransactions ?? 12 * cycle;
  // Readings every three cycles of the mix, each at the same point of it.
  const soak = await runSoak({ transactions: n, engine: "xs", batch: 3 * cycle });
  results.push(result({
    name: `heap soak ${n} mixed transactions on one reader: live heap trend after warm-up (last third of the readings against the first)`,
    engine: "xs", heap: soak.heap.lastSlots,
    value: soak.heap.growthSlots ?? 0, unit: "slots", goal: "no growth (at most 64 slots)",
  }));
  return results;
}
