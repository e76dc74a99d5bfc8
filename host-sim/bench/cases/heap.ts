import { benchResult as result, type BenchResult } from "../bench-result";
import { soakSchedule } from "../../soak/mix";
import { runSoak } from "../../soak/run-soak";
import { measuredPool } from "../../xs-bridge/bench-firmware";
import { tapOnFirmware } from "../../xs-bridge/firmware-contactless-run";
import { runOnFirmware, type RigPool } from "../../xs-bridge/firmware-sim-run";

// Issue 12, item 5: XS compute and peak heap per transaction kind, measured on the device's firmware
// (host-sim/xs-bridge/reader-device.ts on the XS engine, paid by a phone paired once over the BLE
// loopback): the compute of the whole payment, and the largest live RAM at the end of any crank,
// the paired reader at rest included: the live heap above the flash baseline, what the preloaded
// module bodies built (host-sim/xs-bridge/xs-meter.ts: bytes at the ESP32's 16 bytes a
// slot; `heap` is the same in slots). And the soak's figure: the live heap's growth over
// consecutive transactions after warm-up (host-sim/soak).

const HEAP_GOAL = "peak under 64 KB of RAM, idle reader included";
const DAY = { date: "250615", time: "120000" };

interface Kind {
  name: string;
  run(pool: RigPool): Promise<{ compute: number; peakBytes: number; outcome: string }>;
}

const figures = (r: { outcome: string; xs: { compute: number; peakHeapBytes: number } | null }) =>
  ({ compute: r.xs!.compute, peakBytes: r.xs!.peakHeapBytes, outcome: r.outcome });

const contact = (card: string, pins?: string[]) => async (pool: RigPool) =>
  figures(await runOnFirmware({ card, interface: "contact", amount: "12.34", pins, ...DAY }, "xs", pool));

const KINDS: Kind[] = [
  { name: "contact visa-cda (CDA, online PIN, ARPC)", run: contact("visa-cda", ["1234"]) },
  { name: "contact mc-cda-offline-pin (CDA, offline enciphered PIN)", run: contact("mc-cda-offline-pin", ["1234"]) },
  { name: "contact visa-sda (SDA, signature, online)", run: contact("visa-sda") },
  {
    name: "magstripe magstripe-only (swipe, online)",
    run: async (pool) => figures(await runOnFirmware({ card: "magstripe-only", interface: "magstripe", amount: "12.34", ...DAY }, "xs", pool)),
  },
  {
    name: "contactless visa-cda (C-3 qVSDC, fDDA, offline)",
    run: async (pool) => figures(await tapOnFirmware({ cards: ["visa-cda"], amount: "12.00", ...DAY }, "xs", pool)),
  },
  {
    name: "contactless visa-wallet (C-3, CDCVM, online)",
    run: async (pool) => figures(await tapOnFirmware({ cards: ["visa-wallet"], amount: "88.00", ...DAY }, "xs", pool)),
  },
];

const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

export async function benchHeap(options: { soakTransactions?: number } = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const { pool, idleBytes } = await measuredPool();
  try {
    for (const k of KINDS) {
      const r = await k.run(pool);
      results.push(result({
        name: `heap ${k.name}: peak RAM, the idle reader's ${kb(idleBytes)} KB included (${r.outcome})`, engine: "xs", compute: r.compute,
        heap: Math.round(r.peakBytes / 16), value: kb(r.peakBytes), unit: "KB peak RAM", goal: HEAP_GOAL,
      }));
    }
  } finally {
    await pool.close();
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
