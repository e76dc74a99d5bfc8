// The payment: one state machine over every card interface (state-machine.ts, run by payment.ts),
// the fallback rules, secure PIN entry, prompts in five languages, and a transaction log that
// survives power loss (journal.ts). PaymentReader is the application the firmware runs.
export { PaymentReader, type PaymentReaderOptions } from "./reader";
export {
  PaymentMachine, CONTACTLESS_POLL_SLICE_MS,
  type PaymentDevice, type PaymentOptions, type PaymentRequest, type PaymentResult, type PaymentObserver, type OnlineChannel,
} from "./payment";
export { TRANSITIONS, PAYMENT_STATES, WAITING_STATES, transition, type PaymentState, type MachineEventKind, type Action, type Transition } from "./state-machine";
export { EventQueue, type IdleState, type TimeoutEvent } from "./event-queue";
export { machineEvent, type ReaderEvent } from "./events";
export {
  loadTransactionConfig, DEFAULT_TRANSACTION_CONFIG, CARD_INTERFACES,
  type TransactionConfig, type PinEntryRules, type TransactionTimeouts, type CardInterface, type ClearKeyMode,
} from "./config";
export { TransactionError, TransactionAbortedError, type TransactionErrorCode } from "./errors";
export { TransactionJournal, MAX_REVERSALS, MAX_HELD_OUTCOMES, owesReversal, heldOutcomeId, type JournalEvent, type RecoveryReport, type JournalOptions } from "./journal";
export {
  encodeJournalState, decodeJournalState, encodeReversals, decodeReversals, JOURNAL_PHASES, REVERSAL_REASONS, PAYMENT_OUTCOMES,
  JOURNAL_RECORD_VERSION, type HeldOutcome, type OutcomeSummary, type JournalEntry, type JournalPhase, type JournalState, type ReversalEntry, type ReversalReason, type PaymentOutcomeKind, type AuthorisationSummary,
} from "./journal-record";
export { PinBuffer } from "./pin-buffer";
export { PinEntry, type PinKeyOutcome } from "./pin-entry";
export { PinRateLimit } from "./pin-rate-limit";
export { PROMPT_CATALOG, LANGUAGES, promptText, promptForContactlessMessage, type Prompt, type Language } from "./prompts";
export {
  chooseLanguage, displayableLanguages, parseLanguagePreference, drawable, inCharacterSet, catalogDrawable, LANGUAGE_CHARACTER_SET,
} from "./language";
export { layOut } from "./layout";
export type { CardReadResult, CardOutcome, ReadingEnvironment, ReadingPorts, CvmPerformed } from "./card-reading";
export { readContactCard } from "./contact-reading";
export { readSwipedCard } from "./swipe-reading";
export { readContactlessCard, PrimedPcd } from "./contactless-reading";
