import type { BitDef } from "./bits";

// Application Interchange Profile, tag '82', 2 bytes: EMV 4.4 Book 3, Annex C1, Table 41. The card
// says which functions it supports and asks of the terminal.

function bit(byte: number, b: number, name: string): BitDef {
  return { byte, bit: b, name };
}

export const AIP = {
  sdaSupported: bit(1, 7, "SDA supported"),
  ddaSupported: bit(1, 6, "DDA supported"),
  cardholderVerificationSupported: bit(1, 5, "Cardholder verification is supported"),
  terminalRiskManagementRequired: bit(1, 4, "Terminal risk management is to be performed"),
  /** Book 3, 10.9: issuer authentication with EXTERNAL AUTHENTICATE. */
  issuerAuthenticationSupported: bit(1, 3, "Issuer authentication is supported"),
  cdaSupported: bit(1, 1, "CDA supported"),
} as const;
