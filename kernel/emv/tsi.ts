import { BitSet, bit, bitDefs, type BitDef } from "./bits";

// Transaction Status Information, tag '9B', 2 bytes: EMV 4.4 Book 3, Annex C6, Table 47. Each bit
// says a function of the transaction was performed (not whether it succeeded: that is the TVR's job).

export const TSI = Object.freeze({
  offlineDataAuthenticationPerformed: bit(1, 8, "Offline data authentication was performed"),
  cardholderVerificationPerformed: bit(1, 7, "Cardholder verification was performed"),
  cardRiskManagementPerformed: bit(1, 6, "Card risk management was performed"),
  issuerAuthenticationPerformed: bit(1, 5, "Issuer authentication was performed"),
  terminalRiskManagementPerformed: bit(1, 4, "Terminal risk management was performed"),
  scriptProcessingPerformed: bit(1, 3, "Script processing was performed"),
} as const);

const TSI_DEFS: readonly BitDef[] = bitDefs(TSI);

/** A TSI: its 2 bytes; the names of its bits are the module's table. */
class TransactionStatusInformation extends BitSet {
  protected get defs(): readonly BitDef[] {
    return TSI_DEFS;
  }
}

/** A TSI, all bits zero (Book 3, 10.1). */
export function newTsi(initial?: Uint8Array): BitSet {
  return new TransactionStatusInformation(2, initial);
}
