import { BitSet, bit, bitDefs, type BitDef } from "./bits";

// Terminal Verification Results, tag '95', 5 bytes: EMV 4.4 Book 3, Annex C5, Table 46. The terminal
// sets these bits as each step of the transaction finds something; terminal action analysis
// (Book 3, 10.7) then compares them with the issuer and terminal action codes.

export const TVR = Object.freeze({
  // Byte 1
  offlineDataAuthenticationNotPerformed: bit(1, 8, "Offline data authentication was not performed"),
  sdaFailed: bit(1, 7, "SDA failed"),
  iccDataMissing: bit(1, 6, "ICC data missing"),
  cardOnExceptionFile: bit(1, 5, "Card appears on terminal exception file"),
  ddaFailed: bit(1, 4, "DDA failed"),
  cdaFailed: bit(1, 3, "CDA failed"),
  sdaSelected: bit(1, 2, "SDA selected"),
  // Byte 2
  differentApplicationVersions: bit(2, 8, "ICC and terminal have different application versions"),
  expiredApplication: bit(2, 7, "Expired application"),
  applicationNotYetEffective: bit(2, 6, "Application not yet effective"),
  serviceNotAllowed: bit(2, 5, "Requested service not allowed for card product"),
  newCard: bit(2, 4, "New card"),
  // Byte 3
  cardholderVerificationNotSuccessful: bit(3, 8, "Cardholder verification was not successful"),
  unrecognisedCvm: bit(3, 7, "Unrecognised CVM"),
  pinTryLimitExceeded: bit(3, 6, "PIN Try Limit exceeded"),
  pinPadNotPresentOrNotWorking: bit(3, 5, "PIN entry required and PIN pad not present or not working"),
  pinNotEntered: bit(3, 4, "PIN entry required, PIN pad present, but PIN was not entered"),
  onlinePinEntered: bit(3, 3, "Online PIN entered"),
  // Byte 4
  floorLimitExceeded: bit(4, 8, "Transaction exceeds floor limit"),
  lowerConsecutiveOfflineLimitExceeded: bit(4, 7, "Lower consecutive offline limit exceeded"),
  upperConsecutiveOfflineLimitExceeded: bit(4, 6, "Upper consecutive offline limit exceeded"),
  randomlySelectedForOnline: bit(4, 5, "Transaction selected randomly for online processing"),
  merchantForcedOnline: bit(4, 4, "Merchant forced transaction online"),
  // Byte 5
  defaultTdolUsed: bit(5, 8, "Default TDOL used"),
  issuerAuthenticationFailed: bit(5, 7, "Issuer authentication failed"),
  scriptFailedBeforeFinalGenerateAc: bit(5, 6, "Script processing failed before final GENERATE AC"),
  scriptFailedAfterFinalGenerateAc: bit(5, 5, "Script processing failed after final GENERATE AC"),
} as const);

const TVR_DEFS: readonly BitDef[] = bitDefs(TVR);

/** A TVR: its 5 bytes; the names of its bits are the module's table. */
class TerminalVerificationResults extends BitSet {
  protected get defs(): readonly BitDef[] {
    return TVR_DEFS;
  }
}

/** A TVR, all bits zero: Book 3, 10.1 has the terminal zero it when application processing starts. */
export function newTvr(initial?: Uint8Array): BitSet {
  return new TerminalVerificationResults(5, initial);
}
