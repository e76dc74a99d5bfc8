import { readUint } from "../bytes";
import { CardDataError } from "./errors";

// Cardholder Verification Method List '8E': EMV 4.4 Book 3, 10.5 and Annex C3 (Tables 43-45).
// Amount X (4 bytes), Amount Y (4 bytes), then Cardholder Verification Rules of 2 bytes each:
// the CVM Code (b7: apply the next rule if this one fails; b6-b1: the method) and the CVM
// Condition Code.

/** Annex C3, Table 43: CVM codes (b6-b1 of the first byte of a rule). */
export const CVM = {
  failCvmProcessing: 0x00,
  plaintextPinByIcc: 0x01,
  encipheredPinOnline: 0x02,
  plaintextPinByIccAndSignature: 0x03,
  encipheredPinByIcc: 0x04,
  encipheredPinByIccAndSignature: 0x05,
  signature: 0x1e,
  noCvmRequired: 0x1f,
  /** CVM Results byte 1 when no CVM was performed (Annex C3 / Book 4, A4). */
  noCvmPerformed: 0x3f,
} as const;

/** Annex C3, Table 44: CVM condition codes. 0A-7F are RFU, 80-FF belong to the payment systems. */
export const CVM_CONDITION = {
  always: 0x00,
  unattendedCash: 0x01,
  notUnattendedCashNotManualCashNotCashback: 0x02,
  terminalSupportsCvm: 0x03,
  manualCash: 0x04,
  purchaseWithCashback: 0x05,
  appCurrencyUnderX: 0x06,
  appCurrencyOverX: 0x07,
  appCurrencyUnderY: 0x08,
  appCurrencyOverY: 0x09,
} as const;

export interface CvRule {
  /** b6-b1 of the CVM Code. */
  method: number;
  /** b7: apply the succeeding rule if this CVM is unsuccessful (else fail cardholder verification). */
  applyNextIfUnsuccessful: boolean;
  condition: number;
  /** The two bytes as the card gave them (CVM Results repeats byte 1 and 2). */
  code: number;
}

export interface CvmList {
  /** Amount X and Amount Y, in the minor unit of the Application Currency Code '9F42'. */
  amountX: number;
  amountY: number;
  rules: CvRule[];
}

/** Parses '8E'; a length that is not 8 + 2n bytes is card data the terminal cannot accept. */
export function parseCvmList(value: Uint8Array): CvmList {
  if (value.length < 8 || value.length % 2 !== 0) {
    throw new CardDataError(`CVM List '8E': ${value.length} bytes is not 8 + 2n (Book 3, Annex C3)`);
  }
  const rules: CvRule[] = [];
  for (let i = 8; i < value.length; i += 2) {
    const code = value[i];
    rules.push({ method: code & 0x3f, applyNextIfUnsuccessful: (code & 0x40) !== 0, condition: value[i + 1], code });
  }
  return { amountX: readUint(value.subarray(0, 4)), amountY: readUint(value.subarray(4, 8)), rules };
}

/** The PIN-based CVMs (for the TVR bits of Book 3, 10.5.1 and 10.5.2). */
export function isPinCvm(method: number): boolean {
  return method >= CVM.plaintextPinByIcc && method <= CVM.encipheredPinByIccAndSignature;
}

/** The CVMs this kernel knows (Annex C3, Table 43); any other method is "unrecognised". */
export function isRecognisedCvm(method: number): boolean {
  return method <= CVM.encipheredPinByIccAndSignature || method === CVM.signature || method === CVM.noCvmRequired;
}
