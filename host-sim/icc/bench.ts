import { performance } from "perf_hooks";
import { benchResult as result, type BenchResult } from "../bench/bench-result";
import type { KernelEngine } from "../xs-engine/kernel-engine";
import { exchangeHex } from "../xs-engine/services/iso7816";

// Level-1 figures for `mpos bench`: XS compute per command APDU exchanged through the kernel's T=0
// and T=1 engines with the virtual ICC (card model included, as on the laptop), the wall time per
// APDU on Node, and the modeled line time per APDU at 9600 baud. To be listed in
// host-sim/bench/run-bench.ts as { name: "contact", run: benchContact }.

/** The commands of a contact EMV transaction, as they go to the card (EMV Book 3, 6.5). */
export const CONTACT_BENCH_APDUS: readonly string[] = [
  "00A404000E315041592E5359532E444446303100", // SELECT 1PAY.SYS.DDF01
  "00B2010C00",                               // READ RECORD (256 bytes from the echo applet)
  "00A4040007A000000003101000",               // SELECT the application
  "80A8000002830000",                         // GET PROCESSING OPTIONS
  "00B2011400",                               // READ RECORD
  "00B2021400",                               // READ RECORD
  "80AE80001D" + "00".repeat(29) + "00",      // GENERATE AC
];

const ROUNDS = 4;


export async function benchContact(xs: KernelEngine): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const apdus: string[] = [];
  for (let i = 0; i < ROUNDS; i++) apdus.push(...CONTACT_BENCH_APDUS);
  for (const protocol of [0, 1] as const) {
    const name = `iso7816 T=${protocol} APDU exchange (kernel engine + virtual ICC)`;
    // Node: wall time per APDU over the same exchange (activation subtracted).
    const t0 = performance.now();
    await exchangeHex({ protocol, apdus: [] });
    const t1 = performance.now();
    const report = await exchangeHex({ protocol, apdus });
    const t2 = performance.now();
    const nodeMs = Math.max(0, t2 - t1 - (t1 - t0)) / apdus.length;
    const lineMs = report.exchanges.reduce((sum, e) => sum + e.us, 0) / 1000 / apdus.length;
    results.push(result({ name, engine: "node", ms: nodeMs, value: lineMs, unit: "ms modeled on the line per APDU (9600 baud)" }));
    // XS: compute of N APDUs minus compute of none (activation, ATR, T=1 IFS), per APDU.
    const base = await xs.call("iso7816.exchange", { protocol, apdus: [] });
    const full = await xs.call("iso7816.exchange", { protocol, apdus });
    const compute = (full.meter!.compute - base.meter!.compute) / apdus.length;
    results.push(result({ name, engine: "xs", compute: Math.round(compute), heap: full.meter!.currentHeapCount,
      value: lineMs, unit: "ms modeled on the line per APDU (9600 baud)" }));
  }
  return results;
}
