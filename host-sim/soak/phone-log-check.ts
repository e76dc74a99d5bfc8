import type { HeldOutcomeRecord, ReversalRecord } from "../../kernel/protocol";

// "The log stays consistent" (issue 12, item 2) as the phone of the firmware soak sees the reader's
// transaction log over BLE (docs/protocol.md): START-TRANSACTION hands out ids one by one from 1
// (kernel/transaction/journal.ts); every payment reaches the phone exactly once - live, or as a
// held outcome it collects when it connects (GET-OUTCOMES) - and a reversal the reader logs
// (GET-REVERSALS) names a payment the phone knows, once.

/** Violations listed at most. */
const MAX_LISTED = 20;

export class PhoneLogCheck {
  readonly violations: string[] = [];
  private readonly reported = new Set<number>();
  private readonly reversed = new Set<number>();
  private lastStarted = 0;
  heldOutcomesCollected = 0;
  reversalsCollected = 0;

  private violation(text: string): void {
    if (this.violations.length < MAX_LISTED) this.violations.push(text);
  }

  get lastTransactionId(): number {
    return this.lastStarted;
  }

  /** Transaction `n` of the soak started under `transactionId` and its outcome reached the phone live. */
  outcome(n: number, transactionId: number): void {
    if (transactionId !== this.lastStarted + 1) this.violation(`transaction ${n}: id ${transactionId} after ${this.lastStarted}`);
    this.lastStarted = Math.max(this.lastStarted, transactionId);
    this.report(transactionId, "live");
  }

  /** An outcome the reader held and the phone's SDK handed over as missed (it must never have had it). */
  heldOutcome(record: HeldOutcomeRecord): void {
    this.heldOutcomesCollected++;
    this.report(record.transactionId, "held");
  }

  private report(transactionId: number, how: string): void {
    if (this.reported.has(transactionId)) this.violation(`transaction id ${transactionId} reported twice (again ${how})`);
    this.reported.add(transactionId);
  }

  /** A reversal record the phone collected. */
  reversal(record: ReversalRecord): void {
    const id = record.transactionId;
    if (id < 1 || id > this.lastStarted) this.violation(`reversal of transaction id ${id}, never started`);
    if (this.reversed.has(id)) this.violation(`reversal of transaction id ${id} collected twice`);
    this.reversed.add(id);
    this.reversalsCollected++;
  }

  /** At the end: every id handed out reached the phone. */
  finish(): void {
    for (let id = 1; id <= this.lastStarted; id++) if (!this.reported.has(id)) this.violation(`transaction id ${id}: no outcome reached the phone`);
  }
}
