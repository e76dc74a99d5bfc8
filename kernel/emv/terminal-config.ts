import { fromHex, isHex, packBytes } from "../bytes";
import { parseDol } from "../tlv";
import { EmvConfigError } from "./errors";
import { TERMINAL_TYPES } from "./terminal-capabilities";

// The terminal's configuration as data, checked once when it is loaded (issue 6, item 2): a bad value
// is an EmvConfigError naming the field, at load time, never a surprise in the middle of a
// transaction. The JSON form uses hex for binary and numeric (n) data elements, as the EMV tables do.
//
// Terminal-wide data elements (EMV 4.4 Book 4, Annex A; Book 3, Annex A):
//   terminalType '9F35', capabilities '9F33', additionalCapabilities '9F40', countryCode '9F1A',
//   currencyCode '5F2A' + currencyExponent '5F36', merchantCategoryCode '9F15', terminalId '9F1C',
//   merchantId '9F16', ifdSerialNumber '9F1E'.
// Per application (Book 3, 10.6 and 10.7; Book 1, 12.3.3 for partial selection):
//   AID '9F06', Application Version Number '9F09', TAC-Denial/Online/Default, Terminal Floor Limit
//   '9F1B', the random transaction selection parameters, default DDOL and default TDOL.

export interface RandomSelection {
  /** Threshold Value for Biased Random Selection, in minor units (Book 3, 10.6.2). */
  threshold: number;
  /** Target Percentage to be used for Random Selection, 0-99. */
  targetPercent: number;
  /** Maximum Target Percentage to be used for Biased Random Selection, 0-99, >= targetPercent. */
  maxTargetPercent: number;
}

export interface AidConfig {
  aid: Uint8Array;
  /** Application Selection Indicator: the card's ADF name may be longer (Book 1, 12.3.1). */
  partialSelection: boolean;
  /** Application Version Number (terminal), '9F09', 2 bytes; more than one may be accepted. */
  applicationVersions: Uint8Array[];
  tacDenial: Uint8Array;
  tacOnline: Uint8Array;
  tacDefault: Uint8Array;
  /** Terminal Floor Limit in minor units of the terminal currency. */
  floorLimit: number;
  randomSelection: RandomSelection;
  /** Default DDOL (Book 2, 6.5.1): used when the card has no DDOL '9F49'. */
  defaultDdol: Uint8Array;
  /** Default TDOL (Book 3, 5.4): used when the card has no TDOL '97'; may be absent. */
  defaultTdol?: Uint8Array;
  /** Whether velocity checking of Book 3, 10.6.3 is done for this application (it is optional). */
  velocityChecking: boolean;
}

export interface ExceptionFileEntry {
  pan: string;
  /** Application PAN Sequence Number '5F34'; undefined matches any. */
  psn?: number;
}

export interface TerminalConfig {
  terminalType: number;
  capabilities: Uint8Array;
  additionalCapabilities: Uint8Array;
  /** Terminal Country Code, n3 as 2 bytes ("0840"). */
  countryCode: Uint8Array;
  /** Transaction Currency Code, n3 as 2 bytes. */
  currencyCode: Uint8Array;
  currencyExponent: number;
  merchantCategoryCode: Uint8Array;
  /** an8. */
  terminalId: string;
  /** ans15. */
  merchantId: string;
  /** an8. */
  ifdSerialNumber: string;
  /** ISO 639-1 languages the terminal can display, its default first (Book 4, 11.1). */
  languages: string[];
  /** The terminal lets the cardholder choose among applications and confirm one (Book 1, 12.4). */
  cardholderSelection: boolean;
  /** A PIN pad is present and working (Book 3, 10.5.1 and 10.5.2). */
  pinPadWorking: boolean;
  /** Authorisation Response Codes the acquirer uses for an approval ('8A', an2). */
  approvalResponseCodes: string[];
  exceptionFile: ExceptionFileEntry[];
  applications: AidConfig[];
}

type Json = Record<string, unknown>;

function fail(field: string, rule: string): never {
  throw new EmvConfigError(`terminal config: ${field} ${rule}`);
}

function obj(v: unknown, field: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(field, "must be an object");
  return v as Json;
}

function hex(v: unknown, field: string, minBytes: number, maxBytes = minBytes): Uint8Array {
  if (typeof v !== "string" || !isHex(v)) fail(field, "must be a hex string");
  const b = fromHex(v);
  if (b.length < minBytes || b.length > maxBytes) {
    fail(field, minBytes === maxBytes ? `must be ${minBytes} bytes` : `must be ${minBytes}-${maxBytes} bytes`);
  }
  return b;
}

/** n-format BCD of a fixed number of digits given as a decimal string ("0840"). */
function digits(v: unknown, field: string, count: number): Uint8Array {
  if (typeof v !== "string" || v.length !== count || !/^[0-9]+$/.test(v)) fail(field, `must be ${count} decimal digits`);
  return fromHex(count % 2 === 0 ? v : "0" + v);
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) fail(field, `must be an integer ${min}-${max}`);
  return v;
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== "boolean") fail(field, "must be true or false");
  return v;
}

function text(v: unknown, field: string, max: number, pattern: RegExp): string {
  if (typeof v !== "string" || v.length < 1 || v.length > max || !pattern.test(v)) {
    fail(field, `must be 1-${max} characters matching ${pattern.source}`);
  }
  return v;
}

function dol(v: unknown, field: string): Uint8Array {
  const b = hex(v, field, 1, 252);
  try {
    parseDol(b);
  } catch {
    fail(field, "is not a valid DOL (Book 3, 5.4)");
  }
  return b;
}

function loadAid(v: unknown, field: string): AidConfig {
  const a = obj(v, field);
  const versions = Array.isArray(a.applicationVersions) ? a.applicationVersions : [a.applicationVersion];
  if (versions.length === 0) fail(`${field}.applicationVersions`, "must not be empty");
  const rs = obj(a.randomSelection ?? { threshold: 0, targetPercent: 0, maxTargetPercent: 0 }, `${field}.randomSelection`);
  const floorLimit = int(a.floorLimit, `${field}.floorLimit`, 0, 0xffffffff);
  const randomSelection: RandomSelection = {
    threshold: int(rs.threshold, `${field}.randomSelection.threshold`, 0, 0xffffffff),
    targetPercent: int(rs.targetPercent, `${field}.randomSelection.targetPercent`, 0, 99),
    maxTargetPercent: int(rs.maxTargetPercent, `${field}.randomSelection.maxTargetPercent`, 0, 99),
  };
  // Book 3, 10.6.2: the biased selection interpolates between the threshold and the floor limit,
  // from the target to the maximum target percentage.
  if (randomSelection.maxTargetPercent < randomSelection.targetPercent) {
    fail(`${field}.randomSelection.maxTargetPercent`, "must not be below targetPercent");
  }
  if (randomSelection.targetPercent > 0 && floorLimit > 0 && randomSelection.threshold >= floorLimit) {
    fail(`${field}.randomSelection.threshold`, "must be below the floor limit");
  }
  const out: AidConfig = {
    // Book 1, 12.2.1 / ISO/IEC 7816-4: an AID is 5 to 16 bytes (RID of 5, PIX up to 11).
    aid: hex(a.aid, `${field}.aid`, 5, 16),
    partialSelection: bool(a.partialSelection, `${field}.partialSelection`),
    applicationVersions: versions.map((x, i) => hex(x, `${field}.applicationVersions[${i}]`, 2)),
    tacDenial: hex(a.tacDenial, `${field}.tacDenial`, 5),
    tacOnline: hex(a.tacOnline, `${field}.tacOnline`, 5),
    tacDefault: hex(a.tacDefault, `${field}.tacDefault`, 5),
    floorLimit,
    randomSelection,
    defaultDdol: dol(a.defaultDdol, `${field}.defaultDdol`),
    velocityChecking: a.velocityChecking === undefined ? true : bool(a.velocityChecking, `${field}.velocityChecking`),
  };
  if (a.defaultTdol !== undefined) out.defaultTdol = dol(a.defaultTdol, `${field}.defaultTdol`);
  return out;
}

/** Checks a terminal configuration in its JSON form and returns it typed; throws EmvConfigError. */
export function loadTerminalConfig(json: unknown): TerminalConfig {
  const c = obj(json, "(root)");
  const terminalType = parseInt(text(c.terminalType, "terminalType", 2, /^[0-9]{2}$/), 16);
  // Book 4, Annex A1, Table 24.
  if (TERMINAL_TYPES.indexOf(terminalType) < 0) fail("terminalType", "is not a Terminal Type of Book 4, Annex A1");
  const apps = c.applications;
  if (!Array.isArray(apps) || apps.length === 0) fail("applications", "must be a non-empty array");
  const applications = apps.map((a, i) => loadAid(a, `applications[${i}]`));
  const seen = new Set<string>();
  for (let i = 0; i < applications.length; i++) {
    const key = Array.from(applications[i].aid).join(",");
    if (seen.has(key)) fail(`applications[${i}].aid`, "appears twice");
    seen.add(key);
  }
  const languages = c.languages === undefined ? ["en"] : c.languages;
  if (!Array.isArray(languages) || languages.length === 0) fail("languages", "must be a non-empty array");
  const codes = c.approvalResponseCodes === undefined ? ["00", "08", "10", "11"] : c.approvalResponseCodes;
  if (!Array.isArray(codes) || codes.length === 0) fail("approvalResponseCodes", "must be a non-empty array");
  const exceptions = c.exceptionFile === undefined ? [] : c.exceptionFile;
  if (!Array.isArray(exceptions)) fail("exceptionFile", "must be an array");
  const capabilities = hex(c.capabilities, "capabilities", 3);
  // One buffer for all the byte fields: the configuration rests in the reader's RAM (kernel/bytes/pack.ts).
  return packBytes<TerminalConfig>({
    terminalType,
    capabilities,
    additionalCapabilities: hex(c.additionalCapabilities, "additionalCapabilities", 5),
    countryCode: digits(c.countryCode, "countryCode", 4),
    currencyCode: digits(c.currencyCode, "currencyCode", 4),
    currencyExponent: int(c.currencyExponent, "currencyExponent", 0, 3),
    merchantCategoryCode: digits(c.merchantCategoryCode ?? "5999", "merchantCategoryCode", 4),
    terminalId: text(c.terminalId, "terminalId", 8, /^[0-9A-Za-z]+$/),
    merchantId: text(c.merchantId, "merchantId", 15, /^[\x20-\x7e]+$/),
    ifdSerialNumber: text(c.ifdSerialNumber, "ifdSerialNumber", 8, /^[0-9A-Za-z]+$/),
    languages: languages.map((l, i) => text(l, `languages[${i}]`, 2, /^[a-z]{2}$/)),
    cardholderSelection: bool(c.cardholderSelection ?? true, "cardholderSelection"),
    pinPadWorking: bool(c.pinPadWorking ?? true, "pinPadWorking"),
    approvalResponseCodes: codes.map((x, i) => text(x, `approvalResponseCodes[${i}]`, 2, /^[\x20-\x7e]{2}$/)),
    exceptionFile: exceptions.map((e, i) => {
      const o = obj(e, `exceptionFile[${i}]`);
      const entry: ExceptionFileEntry = { pan: text(o.pan, `exceptionFile[${i}].pan`, 19, /^[0-9]{7,19}$/) };
      if (o.psn !== undefined) entry.psn = int(o.psn, `exceptionFile[${i}].psn`, 0, 99);
      return entry;
    }),
    applications,
  });
}
