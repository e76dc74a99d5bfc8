import type { SecureStorage } from "../../hal/secure-storage";
import type { CryptoProvider } from "../crypto";
import { MposError } from "../errors";
import { AtomicRecords } from "../security/atomic-record";
import { TransactionError } from "./errors";
import {
  decodeJournalState, decodeReversals, encodeJournalState, encodeReversals,
  type JournalEntry, type JournalState, type ReversalEntry, type ReversalReason,
} from "./journal-record";

// The transaction log: every transaction's state is stored before each irreversible step, through
// the HAL storage with the key store's atomic records (kernel/security/atomic-record.ts: two
// copies, sequence numbers, check values; a power cut leaves the old value or the new one).
//
// The rules it keeps (issue 8):
// - a transaction id is stored before it is used, so ids are never reused and an online answer
//   for an old id is recognised as a replay;
// - "online" is stored before the authorization request leaves; a reader that finds it (or an
//   approved "answered", or an online approval "completed" but not reported) at start-up owes the
//   issuer a reversal, which it queues before it forgets the transaction;
// - a reversal is queued once (recovery after a cut during recovery does not queue it twice) and
//   leaves the queue only when the phone has taken it (clearReversals);
// - while the queue is full no new transaction starts: a reversal is never lost.

const STATE = "txn-state";
const REVERSALS = "txn-reversals";
/** Reversals the queue holds; a full queue stops new transactions until the phone takes them. */
export const MAX_REVERSALS = 6;
/**
 * Room kept in the reversal record for one more reversal before a payment may start: an
 * authorization's EMV data (ICC data of field 55, a few hundred bytes) and its envelope.
 */
const REVERSAL_RESERVE_BYTES = 1024;
/** The atomic record's own header and check value (kernel/security/atomic-record.ts). */
const RECORD_OVERHEAD_BYTES = 16;

/** What the log did, for the simulator's report and tests (never card data). */
export type JournalEvent =
  | { record: "state"; transactionId: number; phase: JournalEntry["phase"] | "closed" }
  | { record: "reversal"; transactionId: number; reason: ReversalReason }
  | { record: "reversals-cleared"; upTo: number; cleared: number };

export interface RecoveryReport {
  /** The transaction the reader found unfinished, and what became of it. */
  interrupted?: { transactionId: number; phase: JournalEntry["phase"]; reversal: boolean };
}

export interface JournalOptions {
  storage: SecureStorage;
  crypto: CryptoProvider;
  /** Told of every write that took effect. */
  observer?: (event: JournalEvent) => void;
}

/** Whether an unfinished transaction found at start-up owes the issuer a reversal. */
export function owesReversal(entry: JournalEntry): boolean {
  switch (entry.phase) {
    case "begun":
      return false;
    case "online":
      return true;
    case "answered":
      return entry.answer !== undefined && entry.answer.approved;
    case "completed":
      return entry.outcome === "online-approved";
  }
}

export class TransactionJournal {
  private readonly records: AtomicRecords;
  private state: JournalState = { lastId: 0, current: null };
  private queue: ReversalEntry[] = [];
  private readonly observer?: (event: JournalEvent) => void;
  private readonly maxRecordBytes: number;

  private constructor(options: JournalOptions) {
    this.records = new AtomicRecords(options.storage, options.crypto);
    this.observer = options.observer;
    this.maxRecordBytes = options.storage.maxRecordBytes - RECORD_OVERHEAD_BYTES;
  }

  /** Opens the log, reads both records, and settles a transaction a power loss interrupted. */
  static async open(options: JournalOptions, nowEpochSeconds?: number): Promise<{ journal: TransactionJournal; recovery: RecoveryReport }> {
    const j = new TransactionJournal(options);
    const state = await j.read(STATE);
    if (state) j.state = decodeJournalState(state);
    const reversals = await j.read(REVERSALS);
    if (reversals) j.queue = decodeReversals(reversals);
    const recovery = await j.recover(nowEpochSeconds);
    return { journal: j, recovery };
  }

  private async read(name: string): Promise<Uint8Array | null> {
    try {
      return await this.records.read(name);
    } catch (e) {
      if (e instanceof MposError && e.code === "keystore-corrupt") throw new TransactionError("journal-corrupt", `transaction log: record ${name} is damaged`);
      throw e;
    }
  }

  private async recover(nowEpochSeconds?: number): Promise<RecoveryReport> {
    const c = this.state.current;
    if (!c) return {};
    const reversal = owesReversal(c);
    if (reversal) await this.addReversal(c, "powerLoss", nowEpochSeconds);
    await this.close(c.id);
    return { interrupted: { transactionId: c.id, phase: c.phase, reversal } };
  }

  /** The transaction in progress, as stored. */
  get current(): JournalEntry | null {
    return this.state.current;
  }

  get lastId(): number {
    return this.state.lastId;
  }

  /** No room for one more reversal: no payment may start. */
  get full(): boolean {
    return this.queue.length >= MAX_REVERSALS || encodeReversals(this.queue).length + REVERSAL_RESERVE_BYTES > this.maxRecordBytes;
  }

  private async writeState(next: JournalState, phase: JournalEntry["phase"] | "closed", id: number): Promise<void> {
    await this.records.write(STATE, encodeJournalState(next));
    this.state = next;
    if (this.observer) this.observer({ record: "state", transactionId: id, phase });
  }

  /** Hands out the next transaction id and stores it before anything else happens. */
  async begin(amount: number, currency: number): Promise<number> {
    if (this.state.current) throw new Error("transaction log: a transaction is already in progress");
    if (this.full) throw new TransactionError("journal-full", "transaction log: the reversal queue is full; the phone must collect it first");
    const id = this.state.lastId + 1;
    if (id > 0xffffffff) throw new TransactionError("journal-full", "transaction log: transaction ids exhausted");
    await this.writeState({ lastId: id, current: { id, phase: "begun", amount, currency } }, "begun", id);
    return id;
  }

  /** Stores the transaction in progress with `changes` (a new phase, the request, the answer, the outcome). */
  async update(changes: Partial<Omit<JournalEntry, "id" | "amount" | "currency">>): Promise<void> {
    const c = this.state.current;
    if (!c) throw new Error("transaction log: no transaction in progress");
    const next: JournalEntry = { ...c, ...changes };
    await this.writeState({ lastId: this.state.lastId, current: next }, next.phase, c.id);
  }

  /** Queues a reversal of `entry`'s authorization, once per transaction id. */
  async addReversal(entry: JournalEntry, reason: ReversalReason, nowEpochSeconds?: number): Promise<void> {
    if (this.queue.some((r) => r.id === entry.id)) return;
    const r: ReversalEntry = {
      id: entry.id, reason, amount: entry.amount, currency: entry.currency,
      emvData: entry.authorisation ? entry.authorisation.emvData : new Uint8Array(0),
    };
    if (entry.authorisation?.maskedPan !== undefined) r.maskedPan = entry.authorisation.maskedPan;
    if (entry.authorisation?.envelope) r.envelope = entry.authorisation.envelope;
    if (nowEpochSeconds !== undefined && nowEpochSeconds >= 0 && nowEpochSeconds <= 0xffffffff) r.timestamp = Math.floor(nowEpochSeconds);
    const next = this.queue.concat([r]);
    const bytes = encodeReversals(next);
    if (bytes.length > this.maxRecordBytes) throw new TransactionError("journal-full", "transaction log: the reversal does not fit the storage record");
    await this.records.write(REVERSALS, bytes);
    this.queue = next;
    if (this.observer) this.observer({ record: "reversal", transactionId: entry.id, reason });
  }

  /** Forgets the transaction in progress: it is settled (reported, or its reversal queued). */
  async close(id: number): Promise<void> {
    const c = this.state.current;
    if (!c || c.id !== id) return;
    await this.writeState({ lastId: this.state.lastId, current: null }, "closed", id);
  }

  /** The oldest `max` reversals (what GET-REVERSALS answers the phone), and whether more follow. */
  reversals(max: number = MAX_REVERSALS): { records: ReversalEntry[]; more: boolean } {
    return { records: this.queue.slice(0, Math.max(0, max)), more: this.queue.length > max };
  }

  /** The phone took the reversals up to and including `transactionId`: they leave the queue. */
  async clearReversals(transactionId: number): Promise<number> {
    const index = this.queue.findIndex((r) => r.id === transactionId);
    if (index < 0) return 0;
    const next = this.queue.slice(index + 1);
    await this.records.write(REVERSALS, encodeReversals(next));
    this.queue = next;
    if (this.observer) this.observer({ record: "reversals-cleared", upTo: transactionId, cleared: index + 1 });
    return index + 1;
  }
}
