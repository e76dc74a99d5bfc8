import type { BenchResult } from "./bench-result";
import { withGoals } from "./goals";
import { benchFoundation } from "./cases/foundation";
import { benchContact } from "../icc/bench";
import { benchSecurity } from "./cases/security";
import { benchContactTransaction } from "./cases/contact-transaction";
import { benchFirmwareUpdate } from "./cases/firmware-update";
import { benchMagstripe } from "./cases/magstripe";
import { benchHeap } from "./cases/heap";
import { benchContactless } from "../picc/bench-contactless";
import { benchProtocol } from "../reader/bench";
import { benchFirmware } from "../xs-bridge/bench-firmware";
import { startKernelEngine } from "../xs-engine/kernel-engine";

/** A group of figures; `only` on the command line filters by this name. */
export interface BenchCase {
  name: string;
  run(xs: import("../xs-engine/kernel-engine").KernelEngine): Promise<BenchResult[]>;
}

export const benchCases: BenchCase[] = [
  { name: "foundation", run: benchFoundation },
  { name: "security", run: benchSecurity },
  { name: "contact", run: benchContact },
  { name: "contact-transaction", run: benchContactTransaction },
  { name: "magstripe", run: (xs) => benchMagstripe(xs) },
  { name: "contactless", run: benchContactless },
  { name: "ble", run: benchProtocol },
  { name: "firmware-update", run: benchFirmwareUpdate },
  { name: "heap", run: () => benchHeap() },
  { name: "firmware", run: benchFirmware },
];

export async function runBench(options: { only?: string; progress?(line: string): void }): Promise<BenchResult[]> {
  const xs = await startKernelEngine("xs");
  const results: BenchResult[] = [];
  try {
    for (const c of benchCases) {
      if (options.only && !c.name.startsWith(options.only)) continue;
      options.progress?.(`bench: ${c.name}...`);
      results.push(...(await c.run(xs)));
    }
  } finally {
    await xs.close();
  }
  return withGoals(results);
}
