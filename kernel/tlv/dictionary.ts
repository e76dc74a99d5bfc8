import { isConstructedByte, knowTagNames } from "./tag";

// The EMV tag dictionary: every data element with a tag in EMV 4.4 Book 3, Annex A1 (and the
// Book 1, Annex B directory elements), the common contactless data elements of EMV Contactless
// Books A and B (Entry Point), C-2 (Mastercard kernel) and C-3 (Visa kernel), and the reader's
// proprietary P2PE track tags. DOL building (EMV Book 3, 5.4) takes each element's format here.
//
// Lengths are in bytes. Where Annex A says "var." without a bound the maximum is 255 (one short
// APDU's data), "var. up to N" has minimum 1 (templates 0), and certificate-sized elements are
// bounded by the largest CA key, 248 bytes (EMV Book 2, 5.1).
//
// Some payment-system tags (9F50-9F7F, EMV Book 3, Annex B1) mean different things in different
// kernels; this table holds the meaning named in the comment, and the other reading beside it.

export type TagFormat = "n" | "cn" | "b" | "a" | "an" | "ans";
export type TagSource = "card" | "terminal" | "issuer";

export interface TagInfo {
  /** Uppercase hex, e.g. "9F02". */
  tag: string;
  /** The name the specification gives the data element. */
  name: string;
  /** EMV Book 3, 4.3: n numeric BCD, cn compressed numeric, b binary, a / an / ans text. */
  format: TagFormat;
  minLength: number;
  maxLength: number;
  /** Who provides the value (Annex A "Source": ICC, Terminal or Issuer). */
  source: TagSource;
  /** b6 of the first tag byte (a template). */
  constructed: boolean;
}

type Row = readonly [tag: string, name: string, format: TagFormat, min: number, max: number, source: "c" | "t" | "i"];

/** The table, as written; read once, when the module loads (the rows are garbage after it). */
const rows = (): readonly Row[] => [
  // EMV 4.4 Book 3, Annex A1 (Book 1, Annex B for 42, 5F50, 5F53-5F56, 73, 9D, 9F4D).
  ["42", "Issuer Identification Number (IIN)", "n", 3, 3, "c"],
  ["4F", "Application Dedicated File (ADF) Name", "b", 5, 16, "c"],
  ["50", "Application Label", "ans", 1, 16, "c"],
  ["57", "Track 2 Equivalent Data", "b", 1, 19, "c"],
  ["5A", "Application Primary Account Number (PAN)", "cn", 1, 10, "c"],
  ["61", "Application Template", "b", 0, 252, "c"],
  ["6F", "File Control Information (FCI) Template", "b", 0, 252, "c"],
  ["70", "READ RECORD Response Message Template", "b", 0, 252, "c"],
  ["71", "Issuer Script Template 1", "b", 0, 255, "i"],
  ["72", "Issuer Script Template 2", "b", 0, 255, "i"],
  ["73", "Directory Discretionary Template", "b", 0, 252, "c"],
  ["77", "Response Message Template Format 2", "b", 0, 252, "c"],
  ["80", "Response Message Template Format 1", "b", 0, 252, "c"],
  ["81", "Amount, Authorised (Binary)", "b", 4, 4, "t"],
  ["82", "Application Interchange Profile", "b", 2, 2, "c"],
  ["83", "Command Template", "b", 1, 252, "t"],
  ["84", "Dedicated File (DF) Name", "b", 5, 16, "c"],
  ["86", "Issuer Script Command", "b", 1, 261, "i"],
  ["87", "Application Priority Indicator", "b", 1, 1, "c"],
  ["88", "Short File Identifier (SFI)", "b", 1, 1, "c"],
  ["89", "Authorisation Code", "an", 6, 6, "i"],
  ["8A", "Authorisation Response Code", "an", 2, 2, "i"],
  ["8C", "Card Risk Management Data Object List 1 (CDOL1)", "b", 1, 252, "c"],
  ["8D", "Card Risk Management Data Object List 2 (CDOL2)", "b", 1, 252, "c"],
  ["8E", "Cardholder Verification Method (CVM) List", "b", 10, 252, "c"],
  ["8F", "Certification Authority Public Key Index", "b", 1, 1, "c"],
  ["90", "Issuer Public Key Certificate", "b", 1, 248, "c"],
  ["91", "Issuer Authentication Data", "b", 8, 16, "i"],
  ["92", "Issuer Public Key Remainder", "b", 1, 248, "c"],
  ["93", "Signed Static Application Data", "b", 1, 248, "c"],
  ["94", "Application File Locator (AFL)", "b", 4, 252, "c"],
  ["95", "Terminal Verification Results", "b", 5, 5, "t"],
  ["97", "Transaction Certificate Data Object List (TDOL)", "b", 1, 252, "c"],
  ["98", "Transaction Certificate (TC) Hash Value", "b", 20, 20, "t"],
  ["99", "Transaction Personal Identification Number (PIN) Data", "b", 1, 255, "t"],
  ["9A", "Transaction Date", "n", 3, 3, "t"],
  ["9B", "Transaction Status Information", "b", 2, 2, "t"],
  ["9C", "Transaction Type", "n", 1, 1, "t"],
  ["9D", "Directory Definition File (DDF) Name", "b", 5, 16, "c"],
  ["A5", "File Control Information (FCI) Proprietary Template", "b", 0, 252, "c"],
  ["5F20", "Cardholder Name", "ans", 2, 26, "c"],
  ["5F24", "Application Expiration Date", "n", 3, 3, "c"],
  ["5F25", "Application Effective Date", "n", 3, 3, "c"],
  ["5F28", "Issuer Country Code", "n", 2, 2, "c"],
  ["5F2A", "Transaction Currency Code", "n", 2, 2, "t"],
  ["5F2D", "Language Preference", "an", 2, 8, "c"],
  ["5F30", "Service Code", "n", 2, 2, "c"],
  ["5F34", "Application Primary Account Number (PAN) Sequence Number", "n", 1, 1, "c"],
  ["5F36", "Transaction Currency Exponent", "n", 1, 1, "t"],
  ["5F50", "Issuer URL", "ans", 1, 255, "c"],
  ["5F53", "International Bank Account Number (IBAN)", "an", 1, 34, "c"],
  ["5F54", "Bank Identifier Code (BIC)", "an", 8, 11, "c"],
  ["5F55", "Issuer Country Code (alpha2 format)", "a", 2, 2, "c"],
  ["5F56", "Issuer Country Code (alpha3 format)", "a", 3, 3, "c"],
  ["5F57", "Account Type", "n", 1, 1, "t"],
  ["9F01", "Acquirer Identifier", "n", 6, 6, "t"],
  ["9F02", "Amount, Authorised (Numeric)", "n", 6, 6, "t"],
  ["9F03", "Amount, Other (Numeric)", "n", 6, 6, "t"],
  ["9F04", "Amount, Other (Binary)", "b", 4, 4, "t"],
  ["9F05", "Application Discretionary Data", "b", 1, 32, "c"],
  ["9F06", "Application Identifier (AID) - terminal", "b", 5, 16, "t"],
  ["9F07", "Application Usage Control", "b", 2, 2, "c"],
  ["9F08", "Application Version Number (ICC)", "b", 2, 2, "c"],
  ["9F09", "Application Version Number (terminal)", "b", 2, 2, "t"],
  ["9F0A", "Application Selection Registered Proprietary Data", "b", 1, 252, "c"],
  ["9F0B", "Cardholder Name Extended", "ans", 27, 45, "c"],
  ["9F0C", "Issuer Identification Number Extended (IINE)", "n", 3, 4, "c"],
  ["9F0D", "Issuer Action Code - Default", "b", 5, 5, "c"],
  ["9F0E", "Issuer Action Code - Denial", "b", 5, 5, "c"],
  ["9F0F", "Issuer Action Code - Online", "b", 5, 5, "c"],
  ["9F10", "Issuer Application Data", "b", 1, 32, "c"],
  ["9F11", "Issuer Code Table Index", "n", 1, 1, "c"],
  ["9F12", "Application Preferred Name", "ans", 1, 16, "c"],
  ["9F13", "Last Online Application Transaction Counter (ATC) Register", "b", 2, 2, "c"],
  ["9F14", "Lower Consecutive Offline Limit", "b", 1, 1, "c"],
  ["9F15", "Merchant Category Code", "n", 2, 2, "t"],
  ["9F16", "Merchant Identifier", "ans", 15, 15, "t"],
  ["9F17", "Personal Identification Number (PIN) Try Counter", "b", 1, 1, "c"],
  ["9F18", "Issuer Script Identifier", "b", 4, 4, "i"],
  ["9F1A", "Terminal Country Code", "n", 2, 2, "t"],
  ["9F1B", "Terminal Floor Limit", "b", 4, 4, "t"],
  ["9F1C", "Terminal Identification", "an", 8, 8, "t"],
  ["9F1D", "Terminal Risk Management Data", "b", 1, 8, "t"],
  ["9F1E", "Interface Device (IFD) Serial Number", "an", 8, 8, "t"],
  ["9F1F", "Track 1 Discretionary Data", "ans", 1, 255, "c"],
  ["9F20", "Track 2 Discretionary Data", "cn", 1, 255, "c"],
  ["9F21", "Transaction Time", "n", 3, 3, "t"],
  ["9F22", "Certification Authority Public Key Index (terminal)", "b", 1, 1, "t"],
  ["9F23", "Upper Consecutive Offline Limit", "b", 1, 1, "c"],
  ["9F24", "Payment Account Reference (PAR)", "an", 29, 29, "c"],
  ["9F26", "Application Cryptogram", "b", 8, 8, "c"],
  ["9F27", "Cryptogram Information Data", "b", 1, 1, "c"],
  ["9F2D", "Integrated Circuit Card (ICC) PIN Encipherment Public Key Certificate", "b", 1, 248, "c"],
  ["9F2E", "Integrated Circuit Card (ICC) PIN Encipherment Public Key Exponent", "b", 1, 3, "c"],
  ["9F2F", "Integrated Circuit Card (ICC) PIN Encipherment Public Key Remainder", "b", 1, 248, "c"],
  ["9F32", "Issuer Public Key Exponent", "b", 1, 3, "c"],
  ["9F33", "Terminal Capabilities", "b", 3, 3, "t"],
  ["9F34", "Cardholder Verification Method (CVM) Results", "b", 3, 3, "t"],
  ["9F35", "Terminal Type", "n", 1, 1, "t"],
  ["9F36", "Application Transaction Counter (ATC)", "b", 2, 2, "c"],
  ["9F37", "Unpredictable Number", "b", 4, 4, "t"],
  ["9F38", "Processing Options Data Object List (PDOL)", "b", 1, 252, "c"],
  ["9F39", "Point-of-Service (POS) Entry Mode", "n", 1, 1, "t"],
  ["9F3A", "Amount, Reference Currency", "b", 4, 4, "t"],
  ["9F3B", "Application Reference Currency", "n", 2, 8, "c"],
  ["9F3C", "Transaction Reference Currency Code", "n", 2, 2, "t"],
  ["9F3D", "Transaction Reference Currency Exponent", "n", 1, 1, "t"],
  ["9F40", "Additional Terminal Capabilities", "b", 5, 5, "t"],
  ["9F41", "Transaction Sequence Counter", "n", 2, 4, "t"],
  ["9F42", "Application Currency Code", "n", 2, 2, "c"],
  ["9F43", "Application Reference Currency Exponent", "n", 1, 4, "c"],
  ["9F44", "Application Currency Exponent", "n", 1, 1, "c"],
  ["9F45", "Data Authentication Code", "b", 2, 2, "c"],
  ["9F46", "Integrated Circuit Card (ICC) Public Key Certificate", "b", 1, 248, "c"],
  ["9F47", "Integrated Circuit Card (ICC) Public Key Exponent", "b", 1, 3, "c"],
  ["9F48", "Integrated Circuit Card (ICC) Public Key Remainder", "b", 1, 248, "c"],
  ["9F49", "Dynamic Data Authentication Data Object List (DDOL)", "b", 1, 252, "c"],
  ["9F4A", "Static Data Authentication Tag List", "b", 1, 252, "c"],
  ["9F4B", "Signed Dynamic Application Data", "b", 1, 248, "c"],
  ["9F4C", "ICC Dynamic Number", "b", 2, 8, "c"],
  ["9F4D", "Log Entry", "b", 2, 2, "c"],
  ["9F4E", "Merchant Name and Location", "ans", 1, 255, "t"],
  ["9F4F", "Log Format", "b", 1, 255, "c"],
  ["BF0C", "File Control Information (FCI) Issuer Discretionary Data", "b", 0, 222, "c"],

  // EMV Contactless Books A and B (Entry Point).
  ["9F29", "Extended Selection", "b", 1, 16, "c"],
  ["9F2A", "Kernel Identifier", "b", 1, 8, "c"],
  ["9F66", "Terminal Transaction Qualifiers (TTQ)", "b", 4, 4, "t"], // C-2 reads 9F66 as PUNATC(Track2), b 2

  // EMV Contactless Book C-3 (Visa kernel).
  ["9F19", "Token Requestor ID", "n", 6, 6, "c"],
  ["9F25", "Last 4 Digits of PAN", "n", 2, 2, "c"],
  ["9F5A", "Application Program Identifier (Program ID)", "b", 1, 16, "c"],
  ["9F5D", "Available Offline Spending Amount (AOSA)", "n", 6, 6, "c"], // C-2: Application Capabilities Information, b 3
  ["9F68", "Card Additional Processes", "b", 4, 4, "c"],
  ["9F69", "Card Authentication Related Data", "b", 1, 252, "c"], // C-2: UDOL, b var.
  ["9F6C", "Card Transaction Qualifiers (CTQ)", "b", 2, 2, "c"], // C-2: Mag-stripe Application Version Number (Card), b 2
  ["9F6E", "Form Factor Indicator (FFI)", "b", 4, 32, "c"], // C-2: Third Party Data, b 5-32
  ["9F7C", "Customer Exclusive Data (CED)", "b", 1, 32, "c"], // C-2: Merchant Custom Data, b 20, terminal

  // EMV Contactless Book C-2 (Mastercard kernel), Annex A.
  ["56", "Track 1 Data", "ans", 1, 76, "c"],
  ["9F50", "Offline Accumulator Balance", "n", 6, 6, "c"],
  ["9F51", "DRDOL", "b", 1, 252, "c"],
  ["9F53", "Transaction Category Code", "an", 1, 1, "t"],
  ["9F54", "DS ODS Card", "b", 1, 160, "c"],
  ["9F5B", "DSDOL", "b", 1, 252, "c"],
  ["9F5C", "DS Requested Operator ID", "b", 8, 8, "t"],
  ["9F5E", "DS ID", "b", 8, 11, "c"],
  ["9F5F", "DS Slot Availability", "b", 1, 1, "c"],
  ["9F60", "CVC3 (Track1)", "b", 2, 2, "c"],
  ["9F61", "CVC3 (Track2)", "b", 2, 2, "c"],
  ["9F62", "PCVC3 (Track1)", "b", 6, 6, "c"],
  ["9F63", "PUNATC (Track1)", "b", 6, 6, "c"],
  ["9F64", "NATC (Track1)", "b", 1, 1, "c"],
  ["9F65", "PCVC3 (Track2)", "b", 2, 2, "c"],
  ["9F67", "NATC (Track2)", "b", 1, 1, "c"],
  ["9F6A", "Unpredictable Number (Numeric)", "n", 4, 4, "t"],
  ["9F6B", "Track 2 Data", "b", 1, 19, "c"], // C-3: Card CVM Limit, n 12
  ["9F6D", "Mag-stripe Application Version Number (Reader)", "b", 2, 2, "t"],
  ["9F6F", "DS Slot Management Control", "b", 1, 1, "c"],
  ["9F70", "Protected Data Envelope 1", "b", 1, 192, "c"],
  ["9F71", "Protected Data Envelope 2", "b", 1, 192, "c"],
  ["9F72", "Protected Data Envelope 3", "b", 1, 192, "c"],
  ["9F73", "Protected Data Envelope 4", "b", 1, 192, "c"],
  ["9F74", "Protected Data Envelope 5", "b", 1, 192, "c"],
  ["9F75", "Unprotected Data Envelope 1", "b", 1, 192, "c"],
  ["9F76", "Unprotected Data Envelope 2", "b", 1, 192, "c"],
  ["9F77", "Unprotected Data Envelope 3", "b", 1, 192, "c"],
  ["9F78", "Unprotected Data Envelope 4", "b", 1, 192, "c"],
  ["9F79", "Unprotected Data Envelope 5", "b", 1, 192, "c"],
  ["9F7D", "DS Summary 1", "b", 8, 16, "c"],
  ["9F7E", "Mobile Support Indicator", "b", 1, 1, "t"],
  ["9F7F", "DS Unpredictable Number", "b", 4, 4, "t"],
  ["DF4B", "POS Cardholder Interaction Information", "b", 3, 3, "c"],
  ["DF60", "DS Input (Card)", "b", 8, 8, "t"],
  ["DF61", "DS Digest H", "b", 8, 8, "t"],
  ["DF62", "DS ODS Info", "b", 1, 1, "t"],
  ["DF63", "DS ODS Term", "b", 1, 160, "t"],
  ["DF8101", "DS Summary 2", "b", 8, 16, "c"],
  ["DF8102", "DS Summary 3", "b", 8, 16, "c"],
  ["DF8104", "Balance Read Before Gen AC", "n", 6, 6, "t"],
  ["DF8105", "Balance Read After Gen AC", "n", 6, 6, "t"],
  ["DF8106", "Data Needed", "b", 0, 255, "t"],
  ["DF8107", "CDOL1 Related Data", "b", 1, 252, "t"],
  ["DF8108", "DS AC Type", "b", 1, 1, "t"],
  ["DF8109", "DS Input (Term)", "b", 8, 8, "t"],
  ["DF810A", "DS ODS Info For Reader", "b", 1, 1, "t"],
  ["DF810B", "DS Summary Status", "b", 1, 1, "t"],
  ["DF810C", "Kernel ID", "b", 1, 1, "t"],
  ["DF810D", "DSVN Term", "b", 1, 255, "t"],
  ["DF810E", "Post-Gen AC Put Data Status", "b", 1, 1, "t"],
  ["DF810F", "Pre-Gen AC Put Data Status", "b", 1, 1, "t"],
  ["DF8110", "Proceed To First Write Flag", "b", 1, 1, "t"],
  ["DF8111", "PDOL Related Data", "b", 1, 252, "t"],
  ["DF8112", "Tags To Read", "b", 0, 255, "t"],
  ["DF8113", "DRDOL Related Data", "b", 1, 252, "t"],
  ["DF8114", "Reference Control Parameter", "b", 1, 1, "t"],
  ["DF8115", "Error Indication", "b", 6, 6, "t"],
  ["DF8116", "User Interface Request Data", "b", 22, 22, "t"],
  ["DF8117", "Card Data Input Capability", "b", 1, 1, "t"],
  ["DF8118", "CVM Capability - CVM Required", "b", 1, 1, "t"],
  ["DF8119", "CVM Capability - No CVM Required", "b", 1, 1, "t"],
  ["DF811A", "Default UDOL", "b", 3, 3, "t"],
  ["DF811B", "Kernel Configuration", "b", 1, 1, "t"],
  ["DF811C", "Max Lifetime of Torn Transaction Log Record", "b", 2, 2, "t"],
  ["DF811D", "Max Number of Torn Transaction Log Records", "b", 1, 1, "t"],
  ["DF811E", "Mag-stripe CVM Capability - CVM Required", "b", 1, 1, "t"],
  ["DF811F", "Security Capability", "b", 1, 1, "t"],
  ["DF8120", "Terminal Action Code - Default", "b", 5, 5, "t"],
  ["DF8121", "Terminal Action Code - Denial", "b", 5, 5, "t"],
  ["DF8122", "Terminal Action Code - Online", "b", 5, 5, "t"],
  ["DF8123", "Reader Contactless Floor Limit", "n", 6, 6, "t"],
  ["DF8124", "Reader Contactless Transaction Limit (No On-device CVM)", "n", 6, 6, "t"],
  ["DF8125", "Reader Contactless Transaction Limit (On-device CVM)", "n", 6, 6, "t"],
  ["DF8126", "Reader CVM Required Limit", "n", 6, 6, "t"],
  ["DF8127", "Time Out Value", "b", 2, 2, "t"],
  ["DF8128", "IDS Status", "b", 1, 1, "t"],
  ["DF8129", "Outcome Parameter Set", "b", 8, 8, "t"],
  ["DF812A", "DD Card (Track1)", "ans", 1, 56, "t"],
  ["DF812B", "DD Card (Track2)", "b", 1, 8, "t"],
  ["DF812C", "Mag-stripe CVM Capability - No CVM Required", "b", 1, 1, "t"],
  ["DF812D", "Message Hold Time", "n", 3, 3, "t"],
  ["DF8130", "Hold Time Value", "b", 1, 1, "t"],
  ["DF8131", "Phone Message Table", "b", 1, 255, "t"],
  ["DF8132", "Minimum Relay Resistance Grace Period", "b", 2, 2, "t"],
  ["DF8133", "Maximum Relay Resistance Grace Period", "b", 2, 2, "t"],
  ["DF8134", "Terminal Expected Transmission Time For Relay Resistance C-APDU", "b", 2, 2, "t"],
  ["DF8135", "Terminal Expected Transmission Time For Relay Resistance R-APDU", "b", 2, 2, "t"],
  ["DF8136", "Relay Resistance Accuracy Threshold", "b", 2, 2, "t"],
  ["DF8137", "Relay Resistance Transmission Time Mismatch Threshold", "b", 1, 1, "t"],
  ["DF8301", "Terminal Relay Resistance Entropy", "b", 4, 4, "t"],
  ["DF8302", "Device Relay Resistance Entropy", "b", 4, 4, "c"],
  ["DF8303", "Min Time For Processing Relay Resistance APDU", "b", 2, 2, "c"],
  ["DF8304", "Max Time For Processing Relay Resistance APDU", "b", 2, 2, "c"],
  ["DF8305", "Device Estimated Transmission Time For Relay Resistance R-APDU", "b", 2, 2, "c"],
  ["DF8306", "Measured Relay Resistance Processing Time", "b", 2, 2, "t"],
  ["DF8307", "RRP Counter", "b", 1, 1, "t"],
  ["FF8101", "Torn Record", "b", 0, 255, "t"],
  ["FF8102", "Tags To Write Before Gen AC", "b", 0, 255, "t"],
  ["FF8103", "Tags To Write After Gen AC", "b", 0, 255, "t"],
  ["FF8104", "Data To Send", "b", 0, 255, "t"],
  ["FF8105", "Data Record", "b", 0, 255, "t"],
  ["FF8106", "Discretionary Data", "b", 0, 255, "t"],

  // The reader's own (private class) tags: raw magnetic stripe tracks as read, in ASCII, inside
  // the P2PE envelope (kernel/security/p2pe.ts). ISO/IEC 7813: track 1 up to 79 characters,
  // track 2 up to 40; ISO/IEC 4909: track 3 up to 107.
  ["DF8F01", "Magnetic Stripe Track 1 (reader proprietary)", "ans", 1, 79, "t"],
  ["DF8F02", "Magnetic Stripe Track 2 (reader proprietary)", "ans", 1, 40, "t"],
  ["DF8F03", "Magnetic Stripe Track 3 (reader proprietary)", "ans", 1, 107, "t"],
];

const SOURCES: Record<Row[5], TagSource> = { c: "card", t: "terminal", i: "issuer" };

interface Dictionary {
  /** Every entry, in table order. */
  entries: readonly TagInfo[];
  /** The entries by uppercase tag; no prototype, so only tags are found. */
  byTag: Readonly<Record<string, TagInfo>>;
}

/**
 * Built once, when the module loads, and frozen all through. On the device the kernel is a
 * preloaded module (manifest.json "preload"): its module bodies run at build time and what they
 * build is stored in flash, not in RAM; a frozen object there needs no RAM to record changes
 * (Moddable, "Using XS Preload to Optimize Applications", Freezing Data). Nothing changes it later.
 */
function buildDictionary(): Dictionary {
  const entries: TagInfo[] = [];
  const byTag: Record<string, TagInfo> = Object.create(null) as Record<string, TagInfo>;
  for (const [tag, name, format, minLength, maxLength, source] of rows()) {
    const info: TagInfo = Object.freeze({
      tag, name, format, minLength, maxLength, source: SOURCES[source], constructed: isConstructedByte(parseInt(tag.slice(0, 2), 16)),
    });
    entries.push(info);
    byTag[tag] = info;
  }
  return Object.freeze({ entries: Object.freeze(entries), byTag: Object.freeze(byTag) });
}

const DICTIONARY: Dictionary = buildDictionary();
knowTagNames(DICTIONARY.entries.map((e) => e.tag));

/** What the dictionary knows of a tag ("9f02" and "9F02" alike), or undefined. */
export function tagInfo(tag: string): TagInfo | undefined {
  if (typeof tag !== "string") return undefined;
  return DICTIONARY.byTag[tag.toUpperCase()];
}

/** Every entry of the dictionary, in table order (frozen: the table is shared). */
export function tagDictionary(): readonly TagInfo[] {
  return DICTIONARY.entries;
}

/** The dictionary's own objects, for the check that all of them are frozen (test/device/memory.test.ts). */
export function dictionaryObjects(): readonly object[] {
  return [DICTIONARY, DICTIONARY.entries, DICTIONARY.byTag, ...DICTIONARY.entries];
}
