import type { AuthorizationResult } from "../emv/online";
import type { ReadingEnvironment } from "./card-reading";
import type { TransactionConfig } from "./config";
import type { ReaderEvent } from "./events";
import { EventQueue } from "./event-queue";
import { TransactionJournal, type JournalEvent, type RecoveryReport } from "./journal";
import type { HeldOutcome, ReversalEntry } from "./journal-record";
import { PaymentMachine, type OnlineChannel, type PaymentDevice, type PaymentObserver, type PaymentRequest, type PaymentResult } from "./payment";
import { PinRateLimit } from "./pin-rate-limit";
import type { PinLimitError } from "./pin-rate-limit-record";
import type { SecureStorage } from "../../hal/secure-storage";

// The reader's payment application as the rest of the firmware sees it: it opens the transaction
// log at start-up (settling what a power loss interrupted), owns the event queue the drivers feed
// (keypad, phone cancel, online answers, tamper), runs one payment at a time on the state machine,
// and hands the reversal queue to the phone. The phone protocol (kernel/protocol, PaymentEngine)
// and the simulator bind to this.

export interface PaymentReaderOptions {
  config: TransactionConfig;
  env: ReadingEnvironment;
  device: PaymentDevice;
  /**
   * The transaction log's storage (an NVS namespace of its own: a tamper erase of the key store
   * leaves it); the PIN entry window is stored there too (pin-rate-limit.ts).
   */
  storage: SecureStorage;
  online: OnlineChannel;
  observer?: PaymentObserver;
  journalObserver?: (event: JournalEvent) => void;
  /**
   * Told each final outcome; the transaction is closed in the log once it resolves. Resolving
   * false, or no report, holds the outcome in the log until the phone acknowledges it.
   */
  report?(result: PaymentResult): Promise<boolean | void>;
}

export class PaymentReader {
  readonly events: EventQueue<ReaderEvent>;
  private busy = false;

  private constructor(
    private readonly options: PaymentReaderOptions,
    readonly journal: TransactionJournal,
    readonly recovery: RecoveryReport,
    private readonly pinLimit: PinRateLimit,
    /** The stored PIN entry window was unreadable at start-up: the limit started full (pin-rate-limit.ts). */
    readonly pinLimitProblem: PinLimitError | null,
  ) {
    this.events = new EventQueue<ReaderEvent>(options.device.clock);
    // Every key goes to the state machine; the Cancel key is a cancel wherever it is pressed.
    options.device.keypad.onKey((key) => this.events.push(key === "cancel" ? { kind: "cancel", source: "keypad" } : { kind: "key", key }));
  }

  /**
   * Starts the application: opens the log and settles an interrupted transaction (journal.ts), then
   * opens the PIN entry window where the last power-on left it.
   */
  static async start(options: PaymentReaderOptions): Promise<PaymentReader> {
    const rtc = options.device.rtc?.epochSeconds() ?? undefined;
    const { journal, recovery } = await TransactionJournal.open({ storage: options.storage, crypto: options.env.crypto, observer: options.journalObserver }, rtc);
    const { limit, problem } = await PinRateLimit.open({
      storage: options.storage, crypto: options.env.crypto, maxPerHour: options.config.pin.maxEntriesPerHour, nowMs: options.device.clock.nowMs(),
    });
    return new PaymentReader(options, journal, recovery, limit, problem);
  }

  get transactionActive(): boolean {
    return this.busy;
  }

  /** Runs one payment to its outcome. Rejects only for a bug, a power loss, or a malformed request. */
  async pay(request: PaymentRequest): Promise<PaymentResult> {
    if (this.busy) throw new Error("payment reader: one payment at a time");
    this.busy = true;
    // What came in between payments (keys, a late cancel, a stray answer) belongs to no payment.
    this.events.discard(["key", "cancel", "online-response", "card-inserted", "card-removed", "swiped"]);
    try {
      const machine = new PaymentMachine({
        config: this.options.config, env: this.options.env, device: this.options.device, journal: this.journal,
        events: this.events, online: this.options.online, pinLimit: this.pinLimit, observer: this.options.observer,
        report: this.options.report,
      }, request);
      return await machine.run();
    } finally {
      this.busy = false;
    }
  }

  /** The phone cancelled (EMV Book 4, 6.3.4). */
  cancel(): void {
    this.events.push({ kind: "cancel", source: "phone" });
  }

  /** The issuer's answer, relayed by the phone. */
  onlineResponse(transactionId: number, answer: AuthorizationResult): void {
    this.events.push({ kind: "online-response", transactionId, answer });
  }

  /** The tamper response erased the keys (kernel/security/tamper.ts `onErased`). */
  tampered(): void {
    this.events.push({ kind: "tamper" });
  }

  reversals(max?: number): { records: ReversalEntry[]; more: boolean } {
    return this.journal.reversals(max);
  }

  clearReversals(transactionId: number): Promise<number> {
    return this.journal.clearReversals(transactionId);
  }

  /** The outcomes the log holds until the phone acknowledges them (journal.ts), oldest first. */
  outcomes(max?: number): { records: HeldOutcome[]; more: boolean } {
    return this.journal.outcomes(max);
  }

  clearOutcomes(transactionId: number): Promise<number> {
    return this.journal.clearOutcomes(transactionId);
  }
}
