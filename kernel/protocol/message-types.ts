import type { P2peEnvelope } from "../security/p2pe";
import type { EmvItem } from "./fields";
import type { FirmwareRequestBodies, FirmwareResponseBodies } from "./firmware-messages";

// The typed content of every protocol message (docs/protocol.md, "Messages"). The wire tables are
// in message-schemas.ts; these are what the reader's handlers and the phone SDK work with.

export type CardInterface = "contact" | "contactless" | "magstripe";

/** Transaction Type, tag 9C (EMV Book 3, Annex A: the first two digits of ISO 8583 processing code). */
export type TransactionType = "purchase" | "cashback" | "refund";

/**
 * What the reader asks the cardholder or merchant. The numbers are the Message Identifiers of EMV
 * Book 4, 11.2, Table 8 (standard messages '01' to '13', as kernel/emv/messages.ts) and of EMV
 * Contactless Book A (user interface request, '15' and up); '80' and up are this reader's own.
 */
export const PROMPTS = {
  amount: 0x01,
  amountOk: 0x02,
  approved: 0x03,
  callYourBank: 0x04,
  cancelOrEnter: 0x05,
  cardError: 0x06,
  declined: 0x07,
  enterAmount: 0x08,
  enterPin: 0x09,
  incorrectPin: 0x0a,
  insertCard: 0x0b,
  notAccepted: 0x0c,
  pinOk: 0x0d,
  pleaseWait: 0x0e,
  processingError: 0x0f,
  removeCard: 0x10,
  useChipReader: 0x11,
  useMagStripe: 0x12,
  tryAgain: 0x13,
  welcome: 0x14,
  presentCard: 0x15,
  processing: 0x16,
  cardReadOk: 0x17,
  insertOrSwipeCard: 0x18,
  presentOneCardOnly: 0x19,
  approvedPleaseSign: 0x1a,
  authorising: 0x1b,
  tryAnotherCard: 0x1c,
  pleaseInsertCard: 0x1d,
  seePhone: 0x20,
  presentCardAgain: 0x21,
  lastPinTry: 0x80,
  swipeCard: 0x81,
  cancelled: 0x82,
  timedOut: 0x83,
  pinEntryLimit: 0x84,
} as const;
export type Prompt = keyof typeof PROMPTS;

/** The protocol's name of a message identifier (undefined: the protocol does not carry it). */
export function promptOfId(id: number): Prompt | undefined {
  for (const name of Object.keys(PROMPTS) as Prompt[]) if (PROMPTS[name] === id) return name;
  return undefined;
}

export type OutcomeResult = "approved" | "declined" | "cancelled" | "aborted" | "failed";

/** Why a transaction ended without approval, when the reader knows. */
export const OUTCOME_REASONS = {
  declinedByCard: 1,
  declinedByIssuer: 2,
  declinedOffline: 3,
  cardRemoved: 4,
  timeout: 5,
  cancelled: 6,
  cardError: 7,
  notAccepted: 8,
  pinTriesExceeded: 9,
  unableToGoOnline: 10,
  tryAnotherInterface: 11,
  keysMissing: 12,
  tampered: 13,
  internalError: 14,
  /** The battery is below the level a payment needs and the reader is not charging (firmware/app/power-manager.ts). */
  batteryLow: 15,
} as const;
export type OutcomeReason = keyof typeof OUTCOME_REASONS;

/** An ISO 9564 PIN block encrypted under the DUKPT PIN key of `ksn` (never the PIN itself). */
export interface EncryptedPinBlock {
  block: Uint8Array;
  ksn: Uint8Array;
  format: 0 | 4;
}

/** What the phone forwards to the acquirer for an online authorisation. */
export interface AuthorisationData {
  cardInterface: CardInterface;
  /** First six and last four digits (PCI DSS 3.4). */
  maskedPan?: string;
  /** The card data, encrypted at capture (P2PE). */
  envelope?: P2peEnvelope;
  pinBlock?: EncryptedPinBlock;
  /** Non-sensitive EMV data objects: ARQC, TVR, ATC, CVM results... (never 5A, 57, 56, 9F6B...). */
  emvData: EmvItem[];
}

export interface TransactionOutcome {
  result: OutcomeResult;
  reason?: OutcomeReason;
  cardInterface?: CardInterface;
  maskedPan?: string;
  envelope?: P2peEnvelope;
  emvData: EmvItem[];
}

export type ReaderEvent =
  | { kind: "prompt"; prompt: Prompt }
  | { kind: "card-detected"; cardInterface: CardInterface }
  /** PIN entry progress: how many digits are entered now (never which). */
  | { kind: "pin-entry"; digits: number }
  | { kind: "online-request"; authorisation: AuthorisationData }
  | { kind: "outcome"; outcome: TransactionOutcome };

export interface KeyInfo {
  usage: "pin" | "data";
  scheme: "aes-dukpt" | "tdes-dukpt";
  /** The key set identifier (the BDK's ID in the KSN). */
  keySetId: Uint8Array;
  /** The KSN of the next transaction. */
  ksn: Uint8Array;
}

export interface DeviceInfo {
  model: string;
  serial: string;
  firmwareVersion: string;
  hardwareRevision?: string;
  configurationVersion: number;
  protocolVersions: Uint8Array;
  keys: KeyInfo[];
}

export interface DeviceStatus {
  batteryPercent: number;
  charging: boolean;
  cardPresent: CardInterface[];
  tampered: boolean;
  keysLoaded: boolean;
  timeSet: boolean;
  transactionActive: boolean;
}

export interface StartTransaction {
  /** Amount, Authorised (9F02) in minor units of the currency. */
  amount: number;
  /** Amount, Other (9F03): the cash back part. */
  otherAmount?: number;
  /** ISO 4217 numeric currency code (5F2A), e.g. 978 for EUR. */
  currency: number;
  /** Transaction Currency Exponent (5F36); default 2. */
  currencyExponent?: number;
  transactionType: TransactionType;
  /** Interfaces the reader may read the card with; default all. */
  interfaces?: CardInterface[];
  /** How long the reader waits for a card, in seconds (default 60). */
  timeoutSeconds?: number;
}

export interface OnlineResponse {
  transactionId: number;
  /** "answered": the host answered (ARC etc. follow); "unable": no answer (EMV Book 3, 10.9 / 10.10). */
  result: "answered" | "unable";
  /** Authorisation Response Code (8A), two characters, e.g. "00". */
  arc?: string;
  /** Issuer Authentication Data (91), 8 to 16 bytes. */
  issuerAuthenticationData?: Uint8Array;
  /** Authorisation Code (89). */
  authorisationCode?: string;
  /** Issuer script templates 71 and 72, whole. */
  scripts?: EmvItem[];
}

export type ReversalReason = "noResponse" | "declinedByCardAfterApproval" | "cancelledAfterAuthorisation" | "powerLoss";

export interface ReversalRecord {
  transactionId: number;
  reason: ReversalReason;
  amount: number;
  currency: number;
  maskedPan?: string;
  envelope?: P2peEnvelope;
  emvData: EmvItem[];
  /** When the reversal was logged, seconds since 1970 (absent while the clock was never set). */
  timestamp?: number;
}

/**
 * A payment's outcome the reader kept because the phone may have missed it (the power or the link
 * went between the outcome and the phone's copy of it): GET-OUTCOMES at every connection, then
 * CLEAR-OUTCOMES. Masked data only: no envelope, no card data.
 */
export interface HeldOutcomeRecord extends Omit<TransactionOutcome, "envelope"> {
  /** The id the phone knows the payment by (START-TRANSACTION's). */
  transactionId: number;
  amount: number;
  currency: number;
  /** When the reader held the outcome, seconds since 1970 (absent while the clock was never set). */
  timestamp?: number;
}

export interface SignedConfiguration {
  /** The configuration (BER-TLV, see configuration.ts), exactly as signed. */
  payload: Uint8Array;
  /** ECDSA P-256 / SHA-256 over the payload by the fleet configuration key, r || s. */
  signature: Uint8Array;
  /** The first 8 bytes of SHA-256 of the signer's public key. */
  signerKeyId: Uint8Array;
}

/** Request bodies by message type (the firmware update's are in firmware-messages.ts). */
export interface RequestBodies extends FirmwareRequestBodies {
  "get-info": Record<string, never>;
  "get-status": Record<string, never>;
  "start-transaction": StartTransaction;
  "cancel": Record<string, never>;
  "online-response": OnlineResponse;
  "get-reversals": { maxRecords?: number };
  "clear-reversals": { transactionId: number };
  "get-outcomes": { maxRecords?: number };
  "clear-outcomes": { transactionId: number };
  "set-time": { epochSeconds: number };
  "configure": SignedConfiguration;
  "reboot": Record<string, never>;
  "authenticate": { phoneId: Uint8Array; proof: Uint8Array };
  "pair-begin": { phoneId: Uint8Array; phoneName: string };
  "pair-confirm": { proof: Uint8Array };
  "unpair": Record<string, never>;
}

/** Response bodies by message type, when the status is ok. */
export interface ResponseBodies extends FirmwareResponseBodies {
  "get-info": DeviceInfo;
  "get-status": DeviceStatus;
  "start-transaction": { transactionId: number };
  "cancel": Record<string, never>;
  "online-response": Record<string, never>;
  "get-reversals": { records: ReversalRecord[]; more: boolean };
  "clear-reversals": { cleared: number };
  "get-outcomes": { records: HeldOutcomeRecord[]; more: boolean };
  "clear-outcomes": { cleared: number };
  "set-time": Record<string, never>;
  "configure": { configurationVersion: number };
  "reboot": Record<string, never>;
  "authenticate": Record<string, never>;
  "pair-begin": { attemptsLeft: number };
  "pair-confirm": Record<string, never>;
  "unpair": Record<string, never>;
}

export type RequestType = keyof RequestBodies;
