import type { SecureStorage } from "../../hal/secure-storage";
import type { CryptoProvider } from "../crypto";
import { MposError } from "../errors";
import { AtomicRecords } from "../security/atomic-record";
import { TransactionError } from "./errors";
import {
  decodeJournalState, decodeReversals, encodeJournalState, encodeReversals,
  type HeldOutcome, type JournalEntry, type JournalState, type ReversalEntry, type ReversalReason,
} from "./journal-record";

// The transaction log: every transaction's state is stored before each irreversible step, through
// the HAL storage with the key store's atomic records (kernel/security/atomic-record.ts: two
// copies, sequence numbers, check values; a power cut leaves the old value or the new one).
//
// The rules it keeps (issue 8):
// - a transaction id is stored before it is used, so ids are never reused and an online answer
//   for an old id is recognised as a replay;
// - "online" is stored before the authorization request leaves; a reader that finds it (or an
//   approved "answered") at start-up owes the issuer a reversal, which it queues before it forgets
//   the transaction;
// - a reversal is queued once (recovery after a cut during recovery does not queue it twice) and
//   leaves the queue only when the phone has taken it (clearReversals);
// - while the queue is full no new transaction starts: a reversal is never lost;
// - "completed" is stored once the outcome is final (the card completed: EMV Book 3, 10.11; any
//   reversal the outcome needs is queued before it). That payment stands as decided: a reader that
//   finds it at start-up does not reverse it (card and issuer both approved) but keeps its outcome,
//   masked, as a held outcome in the same write that closes it. So does a close whose report the
//   phone may have missed (the link, not the power, went). Held outcomes leave only when the phone
//   acknowledges them (clearOutcomes); the phone collects them at every connection and reports each
//   payment once, by its id (client/outcome-ledger.ts). The state record holds at most
//   MAX_HELD_OUTCOMES: a newer one pushes out the oldest (that payment's outcome stands at the
//   issuer and the acquirer; only the phone's copy of it is lost, never money).

const STATE = "txn-state";
const REVERSALS = "txn-reversals";
/** Reversals the queue holds; a full queue stops new transactions until the phone takes them. */
export const MAX_REVERSALS = 6;
/** Outcomes the state record keeps until the phone acknowledges them. */
export const MAX_HELD_OUTCOMES = 8;
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
  | { record: "reversals-cleared"; upTo: number; cleared: number }
  | { record: "outcome-held"; transactionId: number }
  | { record: "outcomes-cleared"; upTo: number; cleared: number };

export interface RecoveryReport {
  /**
   * The transaction the reader found unfinished, and what became of it: a reversal queued (the
   * request may have left, the outcome was not decided), or its decided outcome held for the phone.
   */
  interrupted?: { transactionId: number; phase: JournalEntry["phase"]; reversal: boolean; outcomeHeld: boolean };
}

export interface JournalOptions {
  storage: SecureStorage;
  crypto: CryptoProvider;
  /** Told of every write that took effect. */
  observer?: (event: JournalEvent) => void;
}

/**
 * Whether an unfinished transaction found at start-up owes the issuer a reversal: the request may
 * have left and no outcome was decided (EMV Book 3, 10.9: no answer; 10.11: an approval the card
 * never completed). A "completed" transaction owes none: its outcome stands, and any reversal it
 * needed was queued before "completed" was stored.
 */
export function owesReversal(entry: JournalEntry): boolean {
  switch (entry.phase) {
    case "begun":
      return false;
    case "online":
      return true;
    case "answered":
      return entry.answer !== undefined && entry.answer.approved;
    case "completed":
      return false;
  }
}

/** The id the phone knows a held outcome by: its START-TRANSACTION's, else the log's own. */
export function heldOutcomeId(h: HeldOutcome): number {
  return h.reference ?? h.id;
}

/** The outcome `entry` ends with, as the log holds it for the phone (masked data only). */
function heldOutcome(entry: JournalEntry, nowEpochSeconds: number | undefined): HeldOutcome | null {
  if (entry.phase !== "completed" || !entry.summary) return null;
  const h: HeldOutcome = { id: entry.id, amount: entry.amount, currency: entry.currency, ...entry.summary };
  if (entry.reference !== undefined) h.reference = entry.reference;
  if (nowEpochSeconds !== undefined && nowEpochSeconds >= 0 && nowEpochSeconds <= 0xffffffff) h.timestamp = Math.floor(nowEpochSeconds);
  return h;
}

export class TransactionJournal {
  private readonly records: AtomicRecords;
  private state: JournalState = { lastId: 0, current: null, held: [] };
  private queue: ReversalEntry[] = [];
  private readonly observer?: (event: JournalEvent) => void;
  private readonly maxRecordBytes: number;
  /** The id reserveId handed out that no transaction has begun with yet (in memory: a reboot forgets it, the id stays spent). */
  private reserved: number | null = null;

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
    const outcomeHeld = await this.close(c.id, { hold: true, nowEpochSeconds });
    return { interrupted: { transactionId: c.id, phase: c.phase, reversal, outcomeHeld } };
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

  /**
   * Takes the next transaction id and stores it before handing it out, for a caller that names a
   * payment before it begins (the phone protocol's START-TRANSACTION answer: kernel/protocol/
   * reader-service.ts). The id is spent for the reader's life, whether or not a payment begins
   * with it and whatever the power does; begin(amount, currency, id) then uses it as the log's id.
   */
  async reserveId(): Promise<number> {
    const id = this.state.lastId + 1;
    if (id > 0xffffffff) throw new TransactionError("journal-full", "transaction log: transaction ids exhausted");
    const next: JournalState = { lastId: id, current: this.state.current, held: this.state.held };
    await this.records.write(STATE, encodeJournalState(next));
    this.state = next;
    this.reserved = id;
    return id;
  }

  /**
   * Hands out the next transaction id and stores it before anything else happens; `reference` is
   * the id the phone knows the payment by (0 to 2^32 - 1), kept with its outcome. A reference that
   * reserveId handed out is the transaction's id itself.
   */
  async begin(amount: number, currency: number, reference?: number): Promise<number> {
    if (this.state.current) throw new Error("transaction log: a transaction is already in progress");
    if (this.full) throw new TransactionError("journal-full", "transaction log: the reversal queue is full; the phone must collect it first");
    if (reference !== undefined && !(Number.isInteger(reference) && reference >= 0 && reference <= 0xffffffff)) {
      throw new TransactionError("transaction-request", "transaction log: the phone's transaction id must be 0 to 2^32 - 1");
    }
    const id = reference !== undefined && reference === this.reserved ? reference : this.state.lastId + 1;
    this.reserved = null;
    if (id > 0xffffffff) throw new TransactionError("journal-full", "transaction log: transaction ids exhausted");
    const current: JournalEntry = { id, phase: "begun", amount, currency };
    if (reference !== undefined) current.reference = reference;
    await this.writeState({ lastId: id, current, held: this.state.held }, "begun", id);
    return id;
  }

  /** Stores the transaction in progress with `changes` (a new phase, the request, the answer, the outcome). */
  async update(changes: Partial<Omit<JournalEntry, "id" | "amount" | "currency" | "reference">>): Promise<void> {
    const c = this.state.current;
    if (!c) throw new Error("transaction log: no transaction in progress");
    const next: JournalEntry = { ...c, ...changes };
    await this.writeState({ lastId: this.state.lastId, current: next, held: this.state.held }, next.phase, c.id);
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

  /**
   * Forgets the transaction in progress: it is settled (reported, or its reversal queued). With
   * `hold`, a completed transaction's outcome stays, in the same write, as a held outcome until the
   * phone acknowledges it (the phone may not have it). Resolves whether an outcome is now held.
   */
  async close(id: number, options: { hold?: boolean; nowEpochSeconds?: number } = {}): Promise<boolean> {
    const c = this.state.current;
    if (!c || c.id !== id) return false;
    const h = options.hold === true ? heldOutcome(c, options.nowEpochSeconds) : null;
    let held = this.state.held;
    if (h && !held.some((x) => x.id === h.id)) held = held.concat([h]).slice(-MAX_HELD_OUTCOMES);
    await this.writeState({ lastId: this.state.lastId, current: null, held }, "closed", id);
    if (h && this.observer) this.observer({ record: "outcome-held", transactionId: id });
    return h !== null;
  }

  /** The oldest `max` held outcomes (what GET-OUTCOMES answers the phone), and whether more follow. */
  outcomes(max: number = MAX_HELD_OUTCOMES): { records: HeldOutcome[]; more: boolean } {
    return { records: this.state.held.slice(0, Math.max(0, max)), more: this.state.held.length > max };
  }

  /**
   * The phone has the held outcomes up to and including the one it knows as `transactionId`
   * (heldOutcomeId): they leave the log.
   */
  async clearOutcomes(transactionId: number): Promise<number> {
    const index = this.state.held.findIndex((h) => heldOutcomeId(h) === transactionId);
    if (index < 0) return 0;
    const next: JournalState = { lastId: this.state.lastId, current: this.state.current, held: this.state.held.slice(index + 1) };
    await this.records.write(STATE, encodeJournalState(next));
    this.state = next;
    if (this.observer) this.observer({ record: "outcomes-cleared", upTo: transactionId, cleared: index + 1 });
    return index + 1;
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
