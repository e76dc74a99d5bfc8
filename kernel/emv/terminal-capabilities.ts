import { hasBit, type BitDef } from "./bits";

// What the terminal can do, as the card and the issuer see it: EMV 4.4 Book 4, Annex A.
// - Terminal Type '9F35' (A1, Table 24): environment (attended / unattended), operational control
//   and online capability, one n2 value;
// - Terminal Capabilities '9F33', 3 bytes (A2, Tables 25-27);
// - Additional Terminal Capabilities '9F40', 5 bytes (A3, Tables 28-32).

function bit(byte: number, b: number, name: string): BitDef {
  return { byte, bit: b, name };
}

export const TERMINAL_CAPABILITIES = {
  // Byte 1: card data input capability (Table 25)
  manualKeyEntry: bit(1, 8, "Manual key entry"),
  magneticStripe: bit(1, 7, "Magnetic stripe"),
  icWithContacts: bit(1, 6, "IC with contacts"),
  // Byte 2: CVM capability (Table 26)
  plaintextPinForIccVerification: bit(2, 8, "Plaintext PIN for ICC verification"),
  encipheredPinForOnlineVerification: bit(2, 7, "Enciphered PIN for online verification"),
  signature: bit(2, 6, "Signature (paper)"),
  encipheredPinForOfflineVerification: bit(2, 5, "Enciphered PIN for offline verification"),
  noCvmRequired: bit(2, 4, "No CVM required"),
  // Byte 3: security capability (Table 27)
  sda: bit(3, 8, "SDA"),
  dda: bit(3, 7, "DDA"),
  cardCapture: bit(3, 6, "Card capture"),
  cda: bit(3, 4, "CDA"),
} as const;

export const ADDITIONAL_TERMINAL_CAPABILITIES = {
  // Byte 1: transaction type capability (Table 28)
  cash: bit(1, 8, "Cash"),
  goods: bit(1, 7, "Goods"),
  services: bit(1, 6, "Services"),
  cashback: bit(1, 5, "Cashback"),
  inquiry: bit(1, 4, "Inquiry"),
  transfer: bit(1, 3, "Transfer"),
  payment: bit(1, 2, "Payment"),
  administrative: bit(1, 1, "Administrative"),
  // Byte 2 (Table 29)
  cashDeposit: bit(2, 8, "Cash deposit"),
  // Byte 3: terminal data input capability (Table 30)
  numericKeys: bit(3, 8, "Numeric keys"),
  alphabeticAndSpecialCharacterKeys: bit(3, 7, "Alphabetic and special characters keys"),
  commandKeys: bit(3, 6, "Command keys"),
  functionKeys: bit(3, 5, "Function keys"),
  // Byte 4: terminal data output capability (Table 31)
  printAttendant: bit(4, 8, "Print, attendant"),
  printCardholder: bit(4, 7, "Print, cardholder"),
  displayAttendant: bit(4, 6, "Display, attendant"),
  displayCardholder: bit(4, 5, "Display, cardholder"),
} as const;

/** The values of Terminal Type that Book 4, Annex A1, Table 24 defines. */
export const TERMINAL_TYPES: readonly number[] = [
  0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x34, 0x35, 0x36,
];

/** Book 4, A1: the second digit 3 or 6 is "offline only"; 1, 2, 4, 5 have online capability. */
export function hasOnlineCapability(terminalType: number): boolean {
  const d = terminalType & 0x0f;
  return d === 1 || d === 2 || d === 4 || d === 5;
}

/** Book 4, A1: the second digit 4, 5 or 6 is unattended. */
export function isUnattended(terminalType: number): boolean {
  const d = terminalType & 0x0f;
  return d >= 4 && d <= 6;
}

/**
 * Book 4, A1 (note to Table 24): terminal types 14, 15 and 16 with the "cash" capability of the
 * Additional Terminal Capabilities are ATMs.
 */
export function isAtm(terminalType: number, additionalCapabilities: Uint8Array): boolean {
  return (terminalType === 0x14 || terminalType === 0x15 || terminalType === 0x16) &&
    hasBit(additionalCapabilities, ADDITIONAL_TERMINAL_CAPABILITIES.cash);
}
