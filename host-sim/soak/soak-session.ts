import { readerSecrets } from "../leak-check/secrets";
import type { LeakHit } from "../leak-check/scan";
import { SoakReader, type SoakLogCheck, type SoakTransaction } from "./soak-reader";

// The soak as a session the host drives in batches ("soak.start", "soak.batch": the same on Node and
// inside the XS engine), so that the engine's live heap can be read between batches while the one
// reader lives on. A batch answers the transactions' summaries (KSNs, ids, outcomes: never card
// data), and what the reader's own checks found so far: log rule violations and leak hits.

export interface SoakBatch {
  transactions: SoakTransaction[];
  total: number;
  log: SoakLogCheck;
  leaks: LeakHit[];
}

let session: SoakReader | null = null;

export async function soakStart(seed: number): Promise<{ started: true }> {
  session = await SoakReader.start({ seed, secrets: readerSecrets() });
  return { started: true };
}

export async function soakBatch(count: number): Promise<SoakBatch> {
  const s = session;
  if (!s) throw new Error("soak: no session (soak.start first)");
  const transactions: SoakTransaction[] = [];
  for (let i = 0; i < count; i++) transactions.push(await s.next());
  return { transactions, total: s.transactions, log: { violations: s.log.violations.slice(), reversalsCollected: s.log.reversalsCollected }, leaks: s.leaks.slice() };
}

export function soakStop(): { stopped: boolean } {
  const had = session !== null;
  session = null;
  return { stopped: had };
}
