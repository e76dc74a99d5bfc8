import { benchResult as result, type BenchResult } from "../bench/bench-result";
import type { KernelEngine } from "../xs-engine/kernel-engine";
import { tapOnFirmware } from "./firmware-contactless-run";
import { RigPool, runOnFirmware } from "./firmware-sim-run";
import type { PhoneRig } from "./phone-rig";

// Issue 10, item 5: the device firmware's JavaScript heap on the XS engine (reader-device.ts, the
// ESP32's start-up and phone protocol), through a contact CDA payment with online PIN and a
// contactless tap (C-3, fDDA, online PIN), each paid by a phone paired once over the BLE loopback.
// The device preloads the firmware module, so what its module bodies build is in flash: "flash" is
// the live heap once they ran, and every other figure is RAM above it (xs-meter.ts).
// "Idle": the paired reader at rest, its secure session open (the largest live heap over a
// GET-STATUS exchange); "peak": the largest live RAM at the end of any crank of the payment, after
// a full collection, idle reader included. At the ESP32's 16 bytes a slot; chunks (string and
// buffer contents) are not in xsnap's meter.

export const HEAP_GOAL_BYTES = 64 * 1024;
const GOAL = "peak under 64 KB of RAM, idle reader included (slots; chunks not measured)";

/** The RAM of the reader at rest: the peak over one GET-STATUS exchange with the paired phone. */
export async function idleHeapBytes(rig: PhoneRig): Promise<number> {
  await rig.reader.whenIdle();
  rig.reader.resetMeter();
  await rig.run(rig.client.getStatus());
  await rig.reader.whenIdle();
  return rig.reader.meter()?.peakHeapBytes ?? 0;
}

/** A pool of XS readers that measure the live heap, and the flash and idle figures of its reader. */
export async function measuredPool(): Promise<{ pool: RigPool; flashBytes: number; idleBytes: number }> {
  const pool = new RigPool({ measureHeap: true });
  const rig = await pool.rig("xs", undefined);
  return { pool, flashBytes: rig.reader.flashBytes() ?? 0, idleBytes: await idleHeapBytes(rig) };
}

export async function benchFirmware(_xs: KernelEngine): Promise<BenchResult[]> {
  const { pool, flashBytes, idleBytes } = await measuredPool();
  try {
    const paid = await runOnFirmware({ card: "visa-cda", interface: "contact", amount: "12.34", pins: ["1234"], date: "261125", time: "120000", seed: 1 }, "xs", pool);
    const tapped = await tapOnFirmware({ cards: ["visa-cda"], amount: "150.00", date: "261125", time: "120000" }, "xs", pool);
    const c = paid.xs!.peakHeapBytes, t = tapped.xs!.peakHeapBytes;
    const name = (what: string) => `firmware on XS: ${what}`;
    return [
      result({ name: name("contact visa-cda (CDA, online PIN), peak RAM"), engine: "xs", compute: paid.xs!.compute, value: c, unit: "bytes", goal: GOAL }),
      result({ name: name("contact visa-cda, the payment's own RAM above the idle reader"), engine: "xs", value: c - idleBytes, unit: "bytes" }),
      result({ name: name("contactless visa-cda tap (C-3, fDDA, online PIN), peak RAM"), engine: "xs", compute: tapped.xs!.compute, value: t, unit: "bytes", goal: GOAL }),
      result({ name: name("contactless tap, its own RAM above the idle reader"), engine: "xs", value: t - idleBytes, unit: "bytes" }),
      result({ name: name("the paired reader at rest, RAM (session, bond, keys, configuration, log)"), engine: "xs", value: idleBytes, unit: "bytes" }),
      result({
        name: name("flash: what the preloaded module bodies build (code, classes, TLV dictionary, curve tables)"), engine: "xs",
        value: flashBytes, unit: "bytes",
      }),
    ];
  } finally {
    await pool.close();
  }
}
