import type { ReaderConfiguration } from "./configuration";
import type {
  AuthorisationData, DeviceInfo, DeviceStatus, HeldOutcomeRecord, OnlineResponse, ReaderEvent, ReversalRecord, StartTransaction, TransactionOutcome,
} from "./message-types";

// What the protocol needs from the reader's payment application (the transaction state machine of
// kernel/transaction, issue 8): the reader service (reader-service.ts) turns phone requests into these
// calls and the engine's progress into events. The simulator binds it to the `mpos sim run` machinery;
// tests bind it to a scripted engine.

/** The host's answer as the phone relays it (the transaction id is the service's business). */
export type OnlineAnswer = Omit<OnlineResponse, "transactionId">;

/** Progress the engine reports during a transaction (online requests and outcomes go another way). */
export type ProgressEvent = Extract<ReaderEvent, { kind: "prompt" | "card-detected" | "pin-entry" }>;

export interface TransactionContext {
  readonly transactionId: number;
  /** Tells the phone (prompts, card detected, PIN digits entered). Never blocks. */
  emit(event: ProgressEvent): void;
  /**
   * Sends the authorisation data to the phone and waits for the host's answer as the phone relays
   * it. Resolves { result: "unable" } when the phone is gone or does not answer in time (EMV Book 3,
   * 10.10: the terminal then completes as "unable to go online"). Never rejects.
   */
  authorise(data: AuthorisationData): Promise<OnlineAnswer>;
  /** True once the phone cancelled; the engine stops at its next step (EMV Book 4, 6.3.4). */
  readonly cancelled: boolean;
  /** Calls `listener` when the phone cancels (at once if it already has). */
  onCancel(listener: () => void): void;
}

export interface PaymentEngine {
  /** What GET-INFO answers (the protocol versions are the service's). */
  deviceInfo(): Promise<Omit<DeviceInfo, "protocolVersions">>;
  /** What GET-STATUS answers (whether a transaction runs is the service's). */
  status(): Promise<Omit<DeviceStatus, "transactionActive">>;
  /**
   * The id of the next transaction, unique for the reader's life: the transaction log's persisted,
   * monotonic counter, stored before it is handed out (kernel/transaction/journal.ts, reserveId),
   * so that no id comes back after a reboot and the phone can key a payment on it (the SDK reports
   * each payment once by it: client/outcome-ledger.ts). The id of a reversal or a held outcome is
   * the same number. Absent (an engine without a log, which holds no outcomes): the reader service
   * counts from a random start, unique within one start of the reader only.
   */
  nextTransactionId?(): Promise<number>;
  /**
   * Runs one transaction to its end. Business outcomes (declined, card removed, cancelled) are the
   * resolved outcome; a rejection means the engine failed and is reported as result "failed".
   */
  runTransaction(request: StartTransaction, context: TransactionContext): Promise<TransactionOutcome>;
  /** The oldest `max` reversal records, and whether more follow. */
  reversals(max: number): Promise<{ records: ReversalRecord[]; more: boolean }>;
  /** Removes the records up to and including `transactionId`; returns how many. */
  clearReversals(transactionId: number): Promise<number>;
  /**
   * The oldest `max` outcomes the reader holds until the phone acknowledges them, and whether more
   * follow (absent: the engine holds none, as a scripted one).
   */
  outcomes?(max: number): Promise<{ records: HeldOutcomeRecord[]; more: boolean }>;
  /** Removes the held outcomes up to and including the phone's `transactionId`; returns how many. */
  clearOutcomes?(transactionId: number): Promise<number>;
  /** Sets the real-time clock (seconds since 1970 UTC). */
  setTime(epochSeconds: number): Promise<void>;
  /** The installed configuration's version (0: none). */
  configurationVersion(): Promise<number>;
  /** Installs a configuration whose signature the service has verified. */
  configure(config: ReaderConfiguration): Promise<void>;
  /** Restarts the reader after the response went out. */
  reboot(): Promise<void>;
}
