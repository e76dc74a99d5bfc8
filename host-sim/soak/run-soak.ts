import type { LeakHit } from "../leak-check/scan";
import { readerSecrets } from "../leak-check/secrets";
import { scanText } from "../leak-check/scan";
import { startKernelEngine, type EngineName, type KernelEngine } from "../xs-engine/kernel-engine";
import { heapTrend } from "./heap-trend";
import { KsnLedger } from "./ksn-ledger";
import { soakSchedule } from "./mix";
import type { SoakBatch } from "./soak-session";

// Issue 12, item 2: the soak. One simulated reader runs N consecutive transactions of the mix
// (mix.ts) inside an engine (XS by default, the engine the device runs), in batches; between
// batches the host reads the engine's live heap (after a full collection) and checks:
// - the live heap after the warm-up does not grow: the mean of the last third of the readings is
//   within `toleranceSlots` of the first third's;
// - no KSN repeats: every P2PE envelope and every online PIN block has a KSN of its own;
// - the transaction log stays consistent (soak-reader.ts checks issue 8's rules after every payment,
//   and here: ids one by one from 1, every transaction with an outcome);
// - no secret in clear in anything the reader output (leak-check/), nor in the answers themselves.

export interface SoakOptions {
  transactions: number;
  engine?: EngineName;
  /**
   * Transactions between two heap readings (default: the multiple of the mix's cycle nearest 100, so
   * every reading is taken at the same point of the mix: the same kind of transaction just ended).
   */
  batch?: number;
  seed?: number;
  /** Transactions of warm-up before the heap baseline (default: the first batch). */
  warmup?: number;
  /** Slots the live heap may grow after warm-up (default 64: a leak of one object a payment is thousands over a soak). */
  toleranceSlots?: number;
  progress?(line: string): void;
}

export interface SoakReport {
  engine: EngineName;
  transactions: number;
  byKind: Record<string, Record<string, number>>;
  heap: { baselineSlots: number | null; maxSlots: number | null; lastSlots: number | null; growthSlots: number | null; samples: number[] };
  ksn: { envelopes: number; pinBlocks: number; repeats: string[] };
  log: { violations: string[]; reversalsCollected: number; lastTransactionId: number };
  leaks: LeakHit[];
  modeledHours: number;
  ok: boolean;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const engineName = options.engine ?? "xs";
  const cycle = soakSchedule().length;
  const batch = Math.max(1, Math.min(options.batch ?? Math.max(1, Math.round(100 / cycle)) * cycle, options.transactions));
  const warmup = options.warmup ?? batch;
  const tolerance = options.toleranceSlots ?? 64;
  const secrets = readerSecrets();
  const engine: KernelEngine = await startKernelEngine(engineName);
  const byKind: SoakReport["byKind"] = {};
  const ksns = new KsnLedger();
  const samples: number[] = [];
  const leaks: LeakHit[] = [];
  let firstAfterWarmup: number | null = null;
  let lastId = 0;
  let modeledMs = 0;
  let last: SoakBatch | null = null;
  const violations: string[] = [];
  try {
    await engine.call("soak.start", { seed: options.seed ?? 1 });
    let done = 0;
    while (done < options.transactions) {
      const count = Math.min(batch, options.transactions - done);
      const call = await engine.call("soak.batch", { count });
      const b = call.value as SoakBatch;
      last = b;
      for (const hit of scanText(secrets, "soak service answer", JSON.stringify(b))) leaks.push(hit);
      for (const t of b.transactions) {
        (byKind[t.kind] ??= {})[t.outcome] = (byKind[t.kind]?.[t.outcome] ?? 0) + 1;
        if (t.transactionId !== lastId + 1 && violations.length < 20) violations.push(`transaction ${t.n}: id ${t.transactionId} after ${lastId}`);
        lastId = t.transactionId;
        modeledMs += t.modeledMs + 60000;
        if (t.ksn !== undefined) ksns.envelope(t.ksn, t.n);
        if (t.pinKsn !== undefined) ksns.pinBlock(t.pinKsn, t.n);
      }
      done += count;
      // Readings of whole batches only: a shorter last batch ends at another point of the mix.
      if (call.meter && count === batch) {
        samples.push(call.meter.currentHeapCount);
        if (firstAfterWarmup === null && done >= warmup) firstAfterWarmup = samples.length - 1;
      }
      options.progress?.(`soak: ${done}/${options.transactions} transactions${call.meter ? `, live heap ${call.meter.currentHeapCount} slots` : ""}`);
    }
    await engine.call("soak.stop");
  } finally {
    await engine.close();
  }
  const trend = heapTrend(samples, firstAfterWarmup);
  const growth = trend.growth;
  const logViolations = [...(last?.log.violations ?? []), ...violations];
  const allLeaks = [...(last?.leaks ?? []), ...leaks];
  const report: SoakReport = {
    engine: engineName,
    transactions: options.transactions,
    byKind,
    heap: { baselineSlots: trend.baseline, maxSlots: trend.max, lastSlots: trend.last, growthSlots: growth, samples },
    ksn: { envelopes: ksns.envelopeCount, pinBlocks: ksns.pinBlockCount, repeats: ksns.repeats },
    log: { violations: logViolations, reversalsCollected: last?.log.reversalsCollected ?? 0, lastTransactionId: lastId },
    leaks: allLeaks,
    modeledHours: Math.round((modeledMs / 3_600_000) * 10) / 10,
    ok: false,
  };
  report.ok = ksns.repeats.length === 0 && logViolations.length === 0 && allLeaks.length === 0 && (growth === null || growth <= tolerance) && lastId === options.transactions;
  return report;
}
