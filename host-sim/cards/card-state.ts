// What a virtual EMV card remembers. Persistent state survives resets and transactions (ATC, PIN
// Try Counter, blocks, offline counters), as the card's EEPROM does; transaction state lives from
// SELECT to the end of the transaction and is forgotten at reset (Book 3, 6.5.11: SELECT ends any
// previous selection).

import { CardVerificationResults, type AcType } from "./card-verification-results";

export interface PersistentState {
  /** Application Transaction Counter (tag 9F36), incremented by GET PROCESSING OPTIONS. */
  atc: number;
  /** Last Online ATC Register (tag 9F13), set when issuer authentication succeeds. */
  lastOnlineAtc: number;
  /** PIN Try Counter (tag 9F17). */
  pinTryCounter: number;
  /** The reference PIN as ASCII digits. */
  pin: Uint8Array;
  applicationBlocked: boolean;
  cardBlocked: boolean;
  /** Amount approved offline since the last online transaction, minor units. */
  offlineAmountMinor: number;
  goOnlineNext: boolean;
  /** Issuer script commands with secure messaging processed since the last reset of the count. */
  scriptCommands: number;
  scriptFailed: boolean;
}

export interface FirstCryptogram {
  type: AcType;
  cryptogram: Uint8Array;
  cdol1: Map<string, Uint8Array>;
  cdol1Data: Uint8Array;
  amountMinor: number;
}

export interface TransactionState {
  selected: "none" | "pse" | "adf";
  gpoDone: boolean;
  pdolData: Uint8Array;
  /** The last GET CHALLENGE answer, for one VERIFY with an enciphered PIN (Book 2, 7.2). */
  challenge?: Uint8Array;
  cvr: CardVerificationResults;
  generateAcCount: number;
  first?: FirstCryptogram;
  issuerAuthentication?: "passed" | "failed";
  /** ARC received in EXTERNAL AUTHENTICATE (method 1). */
  arc?: Uint8Array;
  /** "approve online" from a CSU (method 2). */
  csuApproved?: boolean;
  externalAuthenticateDone: boolean;
}

export function newTransaction(): TransactionState {
  return {
    selected: "none", gpoDone: false, pdolData: new Uint8Array(0), cvr: new CardVerificationResults(),
    generateAcCount: 0, externalAuthenticateDone: false,
  };
}
