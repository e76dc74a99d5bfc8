import type { BitDef } from "../../emv/bits";

// The qualifiers of kernel 3 (EMV Contactless Book C-3, Annex A): the reader's Terminal Transaction
// Qualifiers '9F66' (4 bytes, sent to the card in the PDOL) and the card's Card Transaction
// Qualifiers '9F6C' (2 bytes, returned with the cryptogram).

function bit(byte: number, b: number, name: string): BitDef {
  return { byte, bit: b, name };
}

export const TTQ = {
  magStripeModeSupported: bit(1, 8, "Mag-stripe mode supported"),
  emvModeSupported: bit(1, 6, "EMV mode supported"),
  emvContactChipSupported: bit(1, 5, "EMV contact chip supported"),
  offlineOnlyReader: bit(1, 4, "Offline-only reader"),
  onlinePinSupported: bit(1, 3, "Online PIN supported"),
  signatureSupported: bit(1, 2, "Signature supported"),
  odaForOnlineAuthorizationsSupported: bit(1, 1, "Offline Data Authentication for Online Authorizations supported"),
  onlineCryptogramRequired: bit(2, 8, "Online cryptogram required"),
  cvmRequired: bit(2, 7, "CVM required"),
  contactChipOfflinePinSupported: bit(2, 6, "(Contact Chip) Offline PIN supported"),
  issuerUpdateProcessingSupported: bit(3, 8, "Issuer Update Processing supported"),
  consumerDeviceCvmSupported: bit(3, 7, "Consumer Device CVM supported"),
} as const;

export const CTQ = {
  onlinePinRequired: bit(1, 8, "Online PIN Required"),
  signatureRequired: bit(1, 7, "Signature Required"),
  goOnlineIfOdaFails: bit(1, 6, "Go Online if Offline Data Authentication Fails and Reader is online capable"),
  switchInterfaceIfOdaFails: bit(1, 5, "Switch Interface if Offline Data Authentication fails and Reader supports contact chip"),
  goOnlineIfApplicationExpired: bit(1, 4, "Go Online if Application Expired"),
  switchInterfaceForCash: bit(1, 3, "Switch Interface for Cash Transactions"),
  switchInterfaceForCashback: bit(1, 2, "Switch Interface for Cashback Transactions"),
  consumerDeviceCvmPerformed: bit(2, 8, "Consumer Device CVM Performed"),
  issuerUpdateProcessingSupported: bit(2, 7, "Card supports Issuer Update Processing at the POS"),
} as const;
