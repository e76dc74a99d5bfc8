// The card's own record of a transaction: the Card Verification Results and the Issuer Application
// Data that carries them to the issuer, in the Common Core Definitions format of EMV Book 3
// (Annex C CCD: IAD Format A, Table CCD 7; CVR, Table CCD 8). Cryptogram Version 5 is the one
// these cards implement: TDES, A1.3 common session key, ISO 9797-1 MAC algorithm 3 with padding 2
// over the Table CCD 3 data (kernel/emv/crypto, CCD_AC_DATA).
//
// CVR (5 bytes):
//   byte 1 b8-b7 AC returned in 2nd GENERATE AC (00 AAC, 01 TC, 10 not requested)
//          b6-b5 AC returned in 1st GENERATE AC (00 AAC, 01 TC, 10 ARQC)
//          b4 CDA performed, b3 offline DDA performed, b2 issuer authentication not performed,
//          b1 issuer authentication failed
//   byte 2 b8-b5 low nibble of the PIN Try Counter, b4 offline PIN verification performed,
//          b3 offline PIN verification performed and PIN not successfully verified,
//          b2 PIN Try Limit exceeded, b1 last online transaction not completed
//   byte 3 b8 lower offline transaction count limit exceeded, b7 upper ..., b6 lower cumulative
//          offline amount limit exceeded, b5 upper ..., b4-b1 issuer-discretionary
//   byte 4 b8-b5 number of issuer script commands containing secure messaging processed,
//          b4 issuer script processing failed, b3 offline data authentication failed on a previous
//          transaction, b2 go online on next transaction was set, b1 unable to go online
//   byte 5 RFU

export const CRYPTOGRAM_VERSION = 0x05;
/** Common Core Identifier: format code 'A', cryptogram version 5. */
export const COMMON_CORE_IDENTIFIER = 0xa0 | CRYPTOGRAM_VERSION;
export const DERIVATION_KEY_INDEX = 0x01;

export type AcType = "AAC" | "TC" | "ARQC";

export class CardVerificationResults {
  readonly bytes = new Uint8Array(5);

  constructor() {
    this.bytes[0] = 0xa0; // 2nd GENERATE AC not requested, 1st: ARQC until one is returned
  }

  firstAc(type: AcType): void {
    this.bytes[0] = (this.bytes[0] & 0xcf) | (type === "AAC" ? 0x00 : type === "TC" ? 0x10 : 0x20);
  }

  secondAc(type: "AAC" | "TC"): void {
    this.bytes[0] = (this.bytes[0] & 0x3f) | (type === "AAC" ? 0x00 : 0x40);
  }

  set(byte: number, mask: number, on = true): void {
    if (on) this.bytes[byte] |= mask;
    else this.bytes[byte] &= ~mask & 0xff;
  }

  has(byte: number, mask: number): boolean {
    return (this.bytes[byte] & mask) !== 0;
  }

  pinTryCounter(value: number): void {
    this.bytes[1] = (this.bytes[1] & 0x0f) | ((value & 0x0f) << 4);
  }

  scriptCommands(count: number): void {
    this.bytes[3] = (this.bytes[3] & 0x0f) | (Math.min(count, 15) << 4);
  }
}

export const CVR = {
  cdaPerformed: [0, 0x08],
  offlineDdaPerformed: [0, 0x04],
  issuerAuthenticationNotPerformed: [0, 0x02],
  issuerAuthenticationFailed: [0, 0x01],
  offlinePinPerformed: [1, 0x08],
  offlinePinFailed: [1, 0x04],
  pinTryLimitExceeded: [1, 0x02],
  lastOnlineNotCompleted: [1, 0x01],
  lowerCumulativeOfflineAmountExceeded: [2, 0x20],
  issuerScriptFailed: [3, 0x08],
  goOnlineNextTransaction: [3, 0x02],
  unableToGoOnline: [3, 0x01],
} as const;

/**
 * Issuer Application Data (tag 9F10), CCD Format A, 32 bytes: length '0F', CCI, DKI, CVR (5),
 * counters (8: here the ATC of the last online transaction and the cumulative offline amount),
 * length '0F' and 15 bytes of issuer-discretionary data (zero).
 */
export function issuerApplicationData(cvr: CardVerificationResults, lastOnlineAtc: number, offlineAmountMinor: number): Uint8Array {
  const iad = new Uint8Array(32);
  iad[0] = 0x0f;
  iad[1] = COMMON_CORE_IDENTIFIER;
  iad[2] = DERIVATION_KEY_INDEX;
  iad.set(cvr.bytes, 3);
  iad[8] = (lastOnlineAtc >> 8) & 0xff;
  iad[9] = lastOnlineAtc & 0xff;
  let amount = offlineAmountMinor;
  for (let i = 15; i >= 10; i--) {
    iad[i] = amount % 256;
    amount = Math.floor(amount / 256);
  }
  iad[16] = 0x0f;
  return iad;
}
