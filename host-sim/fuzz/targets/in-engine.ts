import { Prng } from "../../magstripe/prng";
import type { FuzzTarget } from "../fuzz-target";
import { drawInput } from "../mutate";
import { bleTarget } from "./ble";
import { contactlessFramesTarget, contactlessResponsesTarget } from "./contactless";
import { contactlessConfigTarget, signedConfigurationTarget, terminalConfigTarget, transactionConfigTarget } from "./configuration";
import { emvResponsesTarget } from "./emv-responses";
import { t0Target, t1Target } from "./iso7816";
import { isoDepTarget } from "./iso14443";
import { dolTarget, tlvTarget } from "./tlv";

// The fuzz targets that run inside the XS engine too (everything but the CLI, which is Node's), and
// the loop that runs them there ("fuzz.run", host-sim/xs-engine/services/stress.ts). The loop draws
// inputs exactly as host-sim/fuzz/run-fuzz.ts does (drawInput, mutate.ts), so a seed replays the
// same inputs on both engines; the loop is its own because run-fuzz.ts lists every target, the
// CLI's with it, and the XS bundle must not contain the CLI.

export const engineFuzzTargets: FuzzTarget[] = [
  tlvTarget, dolTarget, t0Target, t1Target, isoDepTarget, emvResponsesTarget, contactlessResponsesTarget, contactlessFramesTarget,
  terminalConfigTarget, contactlessConfigTarget, transactionConfigTarget, signedConfigurationTarget, bleTarget,
];

export interface EngineFuzzReport {
  target: string;
  iterations: number;
  typedErrors: number;
  /** Findings as "iteration: error" (the input replays on Node with `mpos fuzz --seed`). */
  findings: string[];
}

/** `iterations` inputs of the seeded sequence, starting after `skip` of them (batches of one long run). */
export async function fuzzInEngine(name: string, iterations: number, seed: number, skip = 0): Promise<EngineFuzzReport> {
  const target = engineFuzzTargets.find((t) => t.name === name);
  if (!target) throw new RangeError(`no fuzz target ${name} in the engine`);
  const rng = new Prng(seed);
  const seeds = target.seeds();
  const findings: string[] = [];
  let typedErrors = 0;
  for (let i = 0; i < skip + iterations; i++) {
    const input = drawInput(target, seeds, rng);
    if (i < skip) continue;
    try {
      await target.run(input);
    } catch (e) {
      if (target.isDefinedError(e)) typedErrors++;
      else if (findings.length < 10) findings.push(`${i}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
  return { target: name, iterations, typedErrors, findings };
}

