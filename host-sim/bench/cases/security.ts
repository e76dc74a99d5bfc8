import { benchResult as result, type BenchResult } from "../bench-result";
import type { KernelEngine } from "../../xs-engine/kernel-engine";
import { nodeOperationMs, timeOnNode, xsOperation } from "../measure";

// Issue 3's figures: the reader's cryptographic work per transaction (next KSN, working keys, the
// online PIN block and the P2PE envelope) on XS, and TDES DUKPT host derivation against the npm
// package `dukpt` on the same BDK and KSN.

const TRACK2_EQUIVALENT = "4761739001010010D29122011143804400000F";
/** The worst case of TDES DUKPT: a counter with the most one-bits allowed (10; X9.24-1 A.2). */
const KSN_TEN_BITS = "FFFF9876543210E003FF";

export async function benchSecurity(xs: KernelEngine): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [op, scheme] of [["dukpt.aes.device", "aes"], ["dukpt.tdes.device", "tdes"]] as const) {
    const name = `dukpt ${scheme} device transaction (keys + PIN block + envelope)`;
    results.push(result({ name, engine: "node", ms: nodeOperationMs(op, TRACK2_EQUIVALENT) }));
    results.push(result({ name, engine: "xs", ...(await xsOperation(xs, op, TRACK2_EQUIVALENT, 20)) }));
  }

  const name = "dukpt tdes host derivation (BDK + KSN -> PIN key, 10 counter bits)";
  const goal = "faster than the npm dukpt package";
  const ours = nodeOperationMs("dukpt.tdes.host", KSN_TEN_BITS);
  const NpmDukpt = require("dukpt");
  const peerMs = timeOnNode(() => { new NpmDukpt("0123456789ABCDEFFEDCBA9876543210", KSN_TEN_BITS, "pinkey"); });
  results.push(result({ name, engine: "node", ms: ours, peer: "dukpt", ratio: ours / peerMs, goal, value: peerMs, unit: "ms per derivation by dukpt" }));
  results.push(result({ name, engine: "xs", ...(await xsOperation(xs, "dukpt.tdes.host", KSN_TEN_BITS, 10)) }));
  return results;
}
