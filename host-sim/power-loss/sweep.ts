import type { PowerCutOutcome } from "../hardware/memory-storage";
import { readerSecrets } from "../leak-check/secrets";
import type { SecretSet } from "../leak-check/scan";
import { SOAK_MIX, type SoakKind } from "../soak/mix";
import { SoakReader, type SoakTransaction } from "../soak/soak-reader";

// Issue 12, item 3: cut the power at every storage write across a mix of transactions. A clean run
// of the mix counts the writes the reader makes (key store: DUKPT counters before each key use;
// transaction log: every phase before the step it allows); then for each write n and each way flash
// can end a write (lost, applied, torn: host-sim/hardware/memory-storage.ts) the same mix runs on a
// fresh reader with the power cut at write n. The reader boots again at once, the phone collects
// the reversals and the held outcomes (through the phone SDK's ledger, client/outcome-ledger.ts:
// scenario/phone-outcomes.ts), and the mix goes on, then one more online-PIN payment proves the
// keys. Checked:
// - no key lost: after every boot the key store is ready, and the last payment is approved online
//   (the issuer's HSM derived the PIN key from the reader's KSN and verified the PIN);
// - no KSN reused: a KSN that left the reader (an envelope, a PIN block) belongs to one transaction;
// - no transaction lost: every authorization the issuer approved is reported to the phone (live,
//   or from the log's held outcomes after the power came back) or reversed;
// - none reported twice: no id reaches the phone's app twice through the SDK's path, no reversal
//   is collected twice, and an approval reported as an outcome is reversed only when the outcome
//   says so (card declined after approval, cancelled after authorization). A payment whose outcome
//   was decided ("completed" in the log) is never reversed at start-up: its outcome is held for the
//   phone, which drops the copy of one it had (kernel/transaction/journal.ts). So
//   `reportedThenReversed` (an outcome reported, then the payment reversed for the power loss) is
//   a failure, and stays empty.

export interface SweepOptions {
  /** Kinds of transaction to cut through (names of soak/mix.ts; default: all of them). */
  kinds?: string[];
  outcomes?: PowerCutOutcome[];
  seed?: number;
  /** Cut only at these writes (default: every write of the mix). */
  writes?: number[];
  progress?(line: string): void;
}

export interface SweepCase {
  atWrite: number;
  outcome: PowerCutOutcome;
  /** The transaction the cut hit (its position in the mix), or null when the cut found no write. */
  hit: { n: number; kind: string } | null;
  violations: string[];
}

export interface SweepReport {
  kinds: string[];
  /**
   * Payments reported to the phone and then reversed for the power loss: one payment reported
   * twice (each one is also a failure). Empty: a decided outcome is held, never reversed.
   */
  reportedThenReversed: { atWrite: number; outcome: PowerCutOutcome; transactionId: number }[];
  /** Cuts after which the phone got the payment's outcome from the log's held outcomes (it had not had it live). */
  deliveredFromHeldOutcome: number;
  /** Held copies of outcomes the phone had reported already, dropped by the SDK's ledger. */
  heldDuplicatesDropped: number;
  writesPerMix: number;
  cases: number;
  powerLosses: number;
  recoveredWithReversal: number;
  failures: SweepCase[];
  ok: boolean;
}

const PROOF = "contact online-pin";

function kindsOf(names: string[] | undefined): SoakKind[] {
  if (!names) return SOAK_MIX.slice();
  return names.map((n) => {
    const k = SOAK_MIX.find((x) => x.name === n);
    if (!k) throw new RangeError(`power-loss: no transaction kind ${n}`);
    return k;
  });
}

/** The rules of the header comment over one run's transactions. */
export function checkRun(rows: SoakTransaction[]): { violations: string[]; reportedThenReversed: number[] } {
  const v: string[] = [];
  const reportedThenReversed: number[] = [];
  const reported = new Map<number, SoakTransaction>();
  const reversed = new Set<number>();
  const ksnOwner = new Map<string, number>();
  const own = (ksn: string | undefined, id: number, what: string) => {
    if (ksn === undefined) return;
    const owner = ksnOwner.get(ksn);
    if (owner !== undefined && owner !== id) v.push(`${what} KSN ${ksn} of transaction ${owner} used again by ${id}`);
    ksnOwner.set(ksn, id);
  };
  let lastId = 0;
  for (const r of rows) {
    if (r.outcome !== "power-loss") {
      if (reported.has(r.transactionId)) v.push(`transaction ${r.transactionId} reported twice`);
      if (r.transactionId <= lastId) v.push(`transaction id ${r.transactionId} after ${lastId}: ids are never reused`);
      reported.set(r.transactionId, r);
      lastId = r.transactionId;
      own(r.ksn, r.transactionId, "envelope");
      own(r.pinKsn, r.transactionId, "PIN");
    } else {
      lastId = Math.max(lastId, r.transactionId);
    }
    if (r.powerLoss && r.recovery?.keys !== "ready") v.push(`after the power loss at transaction ${r.n} the key store is ${r.recovery?.keys}`);
    if (r.authorized) {
      own(r.authorized.ksn, r.authorized.transactionId, "envelope");
      own(r.authorized.pinKsn, r.authorized.transactionId, "PIN");
    }
    for (const id of r.reversalsCollected ?? []) {
      if (reversed.has(id)) v.push(`the reversal of transaction ${id} collected twice`);
      reversed.add(id);
    }
  }
  for (const r of rows) {
    const a = r.authorized;
    if (!a || !a.approved) continue;
    const result = reported.get(a.transactionId);
    if (!result && !reversed.has(a.transactionId)) v.push(`transaction ${a.transactionId}: approved by the issuer, neither reported nor reversed (lost)`);
    if (result && reversed.has(a.transactionId) && result.reversal === undefined) {
      if (result.powerLoss) reportedThenReversed.push(a.transactionId);
      v.push(`transaction ${a.transactionId}: reported as ${result.outcome} and reversed too (reported twice)`);
    }
  }
  const last = rows[rows.length - 1];
  if (!last || last.kind !== PROOF || last.outcome !== "online-approved") {
    v.push(`the payment after the cut ended ${last ? last.outcome : "nowhere"}: the keys did not survive`);
  }
  return { violations: v, reportedThenReversed };
}

async function runMix(kinds: SoakKind[], seed: number, secrets: SecretSet, cut: { atWrite: number; outcome: PowerCutOutcome } | null):
    Promise<{ rows: SoakTransaction[]; writes: number; leaks: number }> {
  const proof = SOAK_MIX.find((k) => k.name === PROOF) as SoakKind;
  const schedule = [...kinds, proof];
  const reader = await SoakReader.start({ seed, secrets, schedule });
  const before = reader.storageWrites;
  if (cut) reader.cutPowerAtWrite(cut.atWrite, cut.outcome);
  const rows: SoakTransaction[] = [];
  for (let i = 0; i < schedule.length; i++) rows.push(await reader.next());
  return { rows, writes: reader.storageWrites - before, leaks: reader.leaks.length };
}

export async function runPowerLossSweep(options: SweepOptions = {}): Promise<SweepReport> {
  const kinds = kindsOf(options.kinds);
  const outcomes = options.outcomes ?? ["lost", "applied", "torn"];
  const seed = options.seed ?? 1;
  const secrets = readerSecrets();
  const clean = await runMix(kinds, seed, secrets, null);
  const cleanViolations = checkRun(clean.rows).violations;
  // The writes of the mix itself (the proof payment's are not cut: it is the check).
  const proofWrites = (await runMix([], seed, secrets, null)).writes;
  const writesPerMix = clean.writes - proofWrites;
  const writes = options.writes ?? Array.from({ length: writesPerMix }, (_, i) => i + 1);
  const failures: SweepCase[] = [];
  if (cleanViolations.length > 0) failures.push({ atWrite: 0, outcome: "lost", hit: null, violations: cleanViolations });
  let cases = 0;
  let powerLosses = 0;
  let recoveredWithReversal = 0;
  let deliveredFromHeldOutcome = 0;
  let heldDuplicatesDropped = 0;
  const reportedThenReversed: SweepReport["reportedThenReversed"] = [];
  for (const atWrite of writes) {
    for (const outcome of outcomes) {
      cases++;
      const run = await runMix(kinds, seed, secrets, { atWrite, outcome });
      const lost = run.rows.find((r) => r.powerLoss === true);
      if (lost) powerLosses++;
      if (lost?.recovery?.reversalQueued) recoveredWithReversal++;
      if (lost?.fromHeldOutcome) deliveredFromHeldOutcome++;
      heldDuplicatesDropped += lost?.heldDuplicatesDropped ?? 0;
      const checked = checkRun(run.rows);
      const violations = checked.violations;
      for (const transactionId of checked.reportedThenReversed) reportedThenReversed.push({ atWrite, outcome, transactionId });
      if (run.leaks > 0) violations.push(`${run.leaks} secrets in clear in the reader's output`);
      if (violations.length > 0 && failures.length < 20) {
        failures.push({ atWrite, outcome, hit: lost ? { n: lost.n, kind: lost.kind } : null, violations });
      }
    }
    options.progress?.(`power-loss: write ${atWrite}/${writes.length}`);
  }
  return {
    kinds: kinds.map((k) => k.name), reportedThenReversed, deliveredFromHeldOutcome, heldDuplicatesDropped, writesPerMix, cases, powerLosses,
    recoveredWithReversal, failures,
    ok: failures.length === 0 && powerLosses === cases,
  };
}
