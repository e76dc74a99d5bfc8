import { runContactTransaction } from "./contact-transaction";
import { runMagstripeTransaction } from "./magstripe-transaction";
import { prepareSimulation, type SimRunOptions, type SimRunResult } from "./sim-transaction";

// The simulator's whole transaction, one interface at a time: what `mpos sim run` and the
// "emv.simRun" XS service call. Plain TypeScript over the HAL and the kernel: it runs on Node and
// inside the XS engine alike.

export type { SimRunOptions, SimRunResult, SimOutcome, SimInterface } from "./sim-transaction";

export async function runSimTransaction(options: SimRunOptions): Promise<SimRunResult> {
  const setting = await prepareSimulation(options);
  return options.interface === "contact" ? runContactTransaction(setting) : runMagstripeTransaction(setting);
}
