import { toHex } from "../../kernel/bytes";
import { ChannelScanner } from "../leak-check/channel-scanner";
import type { LeakHit } from "../leak-check/scan";
import { readerSecrets } from "../leak-check/secrets";
import { idleHeapBytes } from "../xs-bridge/bench-firmware";
import { phoneOutcome } from "../xs-bridge/phone-report";
import { PhoneRig, type PhonePayment } from "../xs-bridge/phone-rig";
import type { EngineName } from "../xs-engine/kernel-engine";
import { FIRMWARE_SOAK_MIX, type FirmwareSoakKind } from "./firmware-mix";
import { SECONDS_BETWEEN_PAYMENTS, SoakCardholders } from "./firmware-soak-payment";
import { heapTrend } from "./heap-trend";
import { KsnLedger } from "./ksn-ledger";
import { soakKind, soakSchedule } from "./mix";
import { PhoneLogCheck } from "./phone-log-check";

// Issue 12, item 2, on the device's firmware (`mpos soak --firmware`): N consecutive payments of the
// mix (firmware-mix.ts) through phone -> BLE -> the firmware, on the XS engine (or in-process on
// Node), one phone paired once for the whole run (host-sim/xs-bridge/phone-rig.ts), on modeled time
// (idle-time.ts: a timeout costs no wall time). Every `reconnectEvery` payments the phone walks away
// and back: its SDK collects the outcomes the reader held, and it collects the reversals. Checked:
// - the firmware's RAM after warm-up does not grow: every `sampleEvery` payments (at the same point
//   of the mix) the paired reader at rest, after a collection at every crank (XS meter), the trend
//   of the readings as the kernel's soak fits it (heap-trend.ts);
// - no KSN repeats, from the envelopes and the PIN blocks the phone sees (ksn-ledger.ts);
// - the log stays consistent as the phone sees it: ids one by one, each once (phone-log-check.ts);
// - no secret in clear (leak-check/channel-scanner.ts) in the BLE frames both ways, what the
//   phone's session decrypts, the firmware's console and the reader's screens.

export interface FirmwareSoakOptions {
  transactions: number;
  engine?: EngineName;
  seed?: number;
  /** Payments between two connections of the phone (default 25). */
  reconnectEvery?: number;
  /** Payments between two heap readings (default: the multiple of the mix's cycle nearest 100). */
  sampleEvery?: number;
  /** Payments of warm-up before the heap baseline (default: the first reading's). */
  warmup?: number;
  /** Bytes the RAM may grow after warm-up (default 1024: 64 slots of 16 bytes; a leak of an object a payment is far more). */
  toleranceBytes?: number;
  progress?(line: string): void;
}

/** What the XS meter said of one kind's payments. */
export interface KindFigures {
  count: number;
  /** Mean XS compute units a payment. */
  meanCompute: number;
  /** The largest peak RAM of a payment, bytes (idle reader included). */
  peakRamBytes: number;
}

export interface FirmwareSoakReport {
  firmware: true;
  engine: EngineName;
  transactions: number;
  byKind: Record<string, Record<string, number>>;
  /** XS only (empty on Node). */
  figures: Record<string, KindFigures>;
  heap: { baselineBytes: number | null; maxBytes: number | null; lastBytes: number | null; growthBytes: number | null; samples: number[] };
  ksn: { envelopes: number; pinBlocks: number; repeats: string[] };
  log: { violations: string[]; lastTransactionId: number; reconnects: number; heldOutcomesCollected: number; reversalsCollected: number };
  scanned: Record<string, number>;
  ble: { frames: number; bytes: number };
  leaks: LeakHit[];
  modeledHours: number;
  wallSeconds: number;
  ok: boolean;
}

const DEFAULT_RECONNECT_EVERY = 25;

/** The envelope and PIN-block KSNs the phone saw of one payment (the online request's envelope is the outcome's). */
function noteKsns(ksns: KsnLedger, paid: PhonePayment, n: number): void {
  const envelopes = new Set<string>();
  if (paid.outcome.envelope !== undefined) envelopes.add(toHex(paid.outcome.envelope.ksn));
  if (paid.authorisation?.envelope !== undefined) envelopes.add(toHex(paid.authorisation.envelope.ksn));
  for (const ksn of envelopes) ksns.envelope(ksn, n);
  if (paid.authorisation?.pinBlock !== undefined) ksns.pinBlock(toHex(paid.authorisation.pinBlock.ksn), n);
}

/** The phone collects the reversals the reader logged and tells it the acquirer has them. */
async function collectReversals(rig: PhoneRig, log: PhoneLogCheck, scanner: ChannelScanner): Promise<void> {
  for (;;) {
    const { records, more } = await rig.run(rig.client.fetchReversals());
    for (const r of records) {
      scanner.value("reversal records to the phone", r);
      log.reversal(r);
    }
    if (records.length > 0) await rig.run(rig.client.clearReversals(records[records.length - 1].transactionId));
    if (!more || records.length === 0) return;
  }
}

class KindMeter {
  readonly figures: Record<string, KindFigures> = {};

  add(kind: string, compute: number, peakRamBytes: number): void {
    const f = (this.figures[kind] ??= { count: 0, meanCompute: 0, peakRamBytes: 0 });
    f.meanCompute = Math.round((f.meanCompute * f.count + compute) / (f.count + 1));
    f.count++;
    f.peakRamBytes = Math.max(f.peakRamBytes, peakRamBytes);
  }
}

export async function runFirmwareSoak(options: FirmwareSoakOptions): Promise<FirmwareSoakReport> {
  const engine = options.engine ?? "xs";
  const schedule = soakSchedule<FirmwareSoakKind>(FIRMWARE_SOAK_MIX);
  const cycle = schedule.length;
  const sampleEvery = Math.max(1, options.sampleEvery ?? Math.max(1, Math.round(100 / cycle)) * cycle);
  const reconnectEvery = Math.max(1, options.reconnectEvery ?? DEFAULT_RECONNECT_EVERY);
  const warmup = options.warmup ?? sampleEvery;
  const tolerance = options.toleranceBytes ?? 1024;
  const started = Date.now();
  const scanner = new ChannelScanner(readerSecrets());
  const log = new PhoneLogCheck();
  const ksns = new KsnLedger();
  const meter = new KindMeter();
  const byKind: FirmwareSoakReport["byKind"] = {};
  const samples: number[] = [];
  let firstAfterWarmup: number | null = null;
  let reconnects = 0;
  const rig = await PhoneRig.start({
    engine, seed: options.seed, measureHeap: engine === "xs", tap: scanner.tap,
    onLog: (line) => scanner.text("firmware console", line),
    onMissedOutcome: (record) => {
      scanner.value("held outcomes to the phone", record);
      log.heldOutcome(record);
    },
  });
  const cardholders = new SoakCardholders(rig, options.seed ?? 1);
  const startMs = rig.clock.nowMs();
  try {
    for (let n = 0; n < options.transactions; n++) {
      const kind = soakKind(n, schedule);
      const { paid, xs } = await cardholders.pay(kind, n);
      const outcome = phoneOutcome(paid, kind.cardInterface);
      (byKind[kind.name] ??= {})[outcome] = (byKind[kind.name][outcome] ?? 0) + 1;
      log.outcome(n, paid.transactionId);
      noteKsns(ksns, paid, n);
      scanner.value("messages the phone's session decrypted", paid);
      for (const screen of rig.display.history.splice(0)) scanner.text("reader display", screen.join("\n"));
      if (xs !== null) meter.add(kind.name, xs.compute, xs.peakHeapBytes);
      // Between two customers, a minute: the reader idles on modeled time (its own timers run).
      await rig.run(rig.clock.sleep(SECONDS_BETWEEN_PAYMENTS * 1000));
      const done = n + 1;
      if (done % reconnectEvery === 0) {
        await rig.reconnect();
        await collectReversals(rig, log, scanner);
        reconnects++;
      }
      if (engine === "xs" && done % sampleEvery === 0) {
        samples.push(await idleHeapBytes(rig));
        if (firstAfterWarmup === null && done >= warmup) firstAfterWarmup = samples.length - 1;
        options.progress?.(`soak --firmware: ${done}/${options.transactions} transactions, RAM at rest ${samples[samples.length - 1]} bytes`);
      } else if (done % sampleEvery === 0) {
        options.progress?.(`soak --firmware: ${done}/${options.transactions} transactions`);
      }
    }
    await rig.reconnect();
    await collectReversals(rig, log, scanner);
    reconnects++;
  } finally {
    await rig.close();
  }
  log.finish();
  const trend = heapTrend(samples, firstAfterWarmup);
  const report: FirmwareSoakReport = {
    firmware: true,
    engine,
    transactions: options.transactions,
    byKind,
    figures: meter.figures,
    heap: { baselineBytes: trend.baseline, maxBytes: trend.max, lastBytes: trend.last, growthBytes: trend.growth, samples },
    ksn: { envelopes: ksns.envelopeCount, pinBlocks: ksns.pinBlockCount, repeats: ksns.repeats },
    log: {
      violations: log.violations, lastTransactionId: log.lastTransactionId, reconnects,
      heldOutcomesCollected: log.heldOutcomesCollected, reversalsCollected: log.reversalsCollected,
    },
    scanned: { ...scanner.counts },
    ble: { frames: (scanner.counts["BLE frame to-reader"] ?? 0) + (scanner.counts["BLE frame to-phone"] ?? 0), bytes: scanner.frameBytes },
    leaks: scanner.leaks,
    modeledHours: Math.round(((rig.clock.nowMs() - startMs) / 3_600_000) * 10) / 10,
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    ok: false,
  };
  report.ok = ksns.repeats.length === 0 && log.violations.length === 0 && scanner.leaks.length === 0 &&
    (trend.growth === null || trend.growth <= tolerance) && log.lastTransactionId === options.transactions;
  return report;
}
