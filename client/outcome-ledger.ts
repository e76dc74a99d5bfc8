// Each payment's outcome reaches the app once (issue 8: "the reader never reports one payment
// twice"). The reader keeps an outcome the phone may have missed (a power loss or a lost link
// between the outcome and the phone's copy: kernel/transaction/journal.ts, held outcomes) until the
// phone acknowledges it, so the phone can be told one payment twice: live, then held. The ledger
// remembers, per reader, the ids of the payments reported to the app (in the app's persistent
// store when it has one, CredentialStore.reportedOutcomes) and lets an id through once.
//
// collectHeldOutcomes is the phone's side of GET-OUTCOMES / CLEAR-OUTCOMES (docs/protocol.md), run
// at every connection: each held outcome not reported yet goes to the app, then the reader forgets
// what the phone has. The reader forgets an outcome only after the app took it: an app that fails
// on one gets it again at the next connection.

/** Ids remembered per reader: more than the reader ever holds (kernel/transaction, MAX_HELD_OUTCOMES). */
export const REMEMBERED_OUTCOMES = 64;
/** GET-OUTCOMES rounds of one collection: a reader that never forgets cannot keep the phone looping. */
const MAX_ROUNDS = 8;

/** Where the ids of reported payments are kept between runs of the app (optional in CredentialStore). */
export interface ReportedOutcomeStore {
  reportedOutcomes?(readerSerial: string): Promise<number[]>;
  saveReportedOutcomes?(readerSerial: string, transactionIds: number[]): Promise<void>;
}

export class OutcomeLedger {
  private readonly reported = new Map<string, number[]>();

  constructor(private readonly store: ReportedOutcomeStore = {}) {}

  private async ids(readerSerial: string): Promise<number[]> {
    let ids = this.reported.get(readerSerial);
    if (ids === undefined) {
      const stored = this.store.reportedOutcomes ? await this.store.reportedOutcomes(readerSerial) : [];
      ids = stored.filter((id) => Number.isInteger(id) && id >= 0 && id <= 0xffffffff).slice(-REMEMBERED_OUTCOMES);
      this.reported.set(readerSerial, ids);
    }
    return ids;
  }

  /** Whether the payment `transactionId` of this reader was reported to the app already. */
  async wasReported(readerSerial: string, transactionId: number): Promise<boolean> {
    return (await this.ids(readerSerial)).indexOf(transactionId) >= 0;
  }

  /** Remembers that the app has the payment's outcome; resolves false when it had it already. */
  async remember(readerSerial: string, transactionId: number): Promise<boolean> {
    const ids = await this.ids(readerSerial);
    if (ids.indexOf(transactionId) >= 0) return false;
    ids.push(transactionId);
    if (ids.length > REMEMBERED_OUTCOMES) ids.splice(0, ids.length - REMEMBERED_OUTCOMES);
    if (this.store.saveReportedOutcomes) await this.store.saveReportedOutcomes(readerSerial, ids.slice());
    return true;
  }
}

/** The reader's held outcomes as the phone reaches them (the SDK's requests, or a simulator's reader). */
export interface HeldOutcomePort<T extends { transactionId: number }> {
  fetch(): Promise<{ records: T[]; more: boolean }>;
  /** The reader forgets the held outcomes up to and including `transactionId`. */
  clear(transactionId: number): Promise<number>;
}

/**
 * Collects the held outcomes: the app's `report` gets each one it never had, oldest first; then the
 * reader forgets them. Resolves how many the app got and how many were duplicates dropped.
 */
export async function collectHeldOutcomes<T extends { transactionId: number }>(port: HeldOutcomePort<T>, ledger: OutcomeLedger,
    readerSerial: string, report: (record: T) => Promise<void> | void): Promise<{ reported: number; dropped: number }> {
  let reported = 0;
  let dropped = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { records, more } = await port.fetch();
    if (records.length === 0) break;
    for (const r of records) {
      if (await ledger.wasReported(readerSerial, r.transactionId)) {
        dropped++;
        continue;
      }
      await report(r);
      await ledger.remember(readerSerial, r.transactionId);
      reported++;
    }
    await port.clear(records[records.length - 1].transactionId);
    if (!more) break;
  }
  return { reported, dropped };
}
