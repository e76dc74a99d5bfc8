import type { Tlv } from "../../tlv";
import type { ApplicationChoice } from "../cardholder";
import { child, latin1 } from "../card-tlv";
import type { AidConfig, TerminalConfig } from "../terminal-config";

// The candidate list of EMV 4.4 Book 1, 12.3: the applications both the card and the terminal
// support, with what final selection (12.4) needs to order them and offer them.

export interface Candidate {
  /** The ADF Name (from the directory entry '4F' or the FCI's DF Name '84'). */
  adfName: Uint8Array;
  /** The terminal's AID entry that matched. */
  config: AidConfig;
  /** Application Label '50'. */
  label?: string;
  /** Application Preferred Name '9F12' and the Issuer Code Table Index '9F11' it is written in. */
  preferredName?: string;
  codeTableIndex?: number;
  /** Application Priority Indicator '87': b4-b1 the priority (0 = none), b8 confirmation required. */
  priority: number;
  confirmationRequired: boolean;
  /** Language Preference '5F2D' of the application or of the PSE, two-letter codes in order. */
  languages: string[];
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function startsWith(whole: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > whole.length) return false;
  for (let i = 0; i < prefix.length; i++) if (whole[i] !== prefix[i]) return false;
  return true;
}

export type AidMatch = "exact" | "partial" | "none";

/**
 * Book 1, 12.3.1: an ADF Name matches a terminal AID exactly when equal; partially when it begins
 * with the AID and is longer, which counts only where the terminal's Application Selection
 * Indicator allows partial selection for that AID.
 */
export function matchAid(adfName: Uint8Array, config: AidConfig): AidMatch {
  if (equalBytes(adfName, config.aid)) return "exact";
  if (adfName.length > config.aid.length && startsWith(adfName, config.aid)) {
    return config.partialSelection ? "partial" : "none";
  }
  return "none";
}

/** The terminal's AID entry an ADF Name matches (exactly or partially), or undefined. */
export function findSupported(config: TerminalConfig, adfName: Uint8Array): AidConfig | undefined {
  let partial: AidConfig | undefined;
  for (const app of config.applications) {
    const m = matchAid(adfName, app);
    if (m === "exact") return app;
    // The longest partial match is the most specific terminal entry.
    if (m === "partial" && (!partial || app.aid.length > partial.aid.length)) partial = app;
  }
  return partial;
}

/** Language Preference '5F2D': 2 to 8 characters, pairs of ISO 639-1 letters (Book 3, Annex A). */
export function parseLanguagePreference(value: Uint8Array | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (let i = 0; i + 1 < value.length && out.length < 4; i += 2) {
    const code = latin1(value.subarray(i, i + 2)).toLowerCase();
    if (/^[a-z]{2}$/.test(code)) out.push(code);
  }
  return out;
}

/** Reads label, preferred name, priority and language from a directory entry '61' or an FCI 'A5'. */
export function describe(template: Tlv, adfName: Uint8Array, config: AidConfig, inheritedLanguages: string[]): Candidate {
  const label = child(template, "50");
  const preferred = child(template, "9F12");
  const codeTable = child(template, "9F11");
  const api = child(template, "87");
  const lang = child(template, "5F2D");
  const apiByte = api && api.length === 1 ? api.value[0] : 0;
  const c: Candidate = {
    adfName: adfName.slice(),
    config,
    priority: apiByte & 0x0f,
    confirmationRequired: (apiByte & 0x80) !== 0,
    languages: lang ? parseLanguagePreference(lang.value) : inheritedLanguages,
  };
  if (label) c.label = latin1(label.value);
  if (preferred) c.preferredName = latin1(preferred.value);
  if (codeTable && codeTable.length === 1) c.codeTableIndex = codeTable.value[0];
  return c;
}

/**
 * Book 1, 12.4, step 4: the list in priority order, 1 the highest; entries without a priority
 * (0) after those with one; equal priorities keep the order in which they were found.
 */
export function sortByPriority(list: Candidate[]): Candidate[] {
  const rank = (c: Candidate) => (c.priority === 0 ? 16 : c.priority);
  return list
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c);
}

/**
 * Book 1, 12.4, step 3: show the Application Preferred Name when the terminal supports the code
 * table the issuer named (Additional Terminal Capabilities bytes 4-5, Book 4, A3), else the label.
 */
export function choiceFor(c: Candidate, additionalCapabilities: Uint8Array): ApplicationChoice {
  let name = c.label ?? "";
  if (c.preferredName !== undefined && c.codeTableIndex !== undefined && supportsCodeTable(additionalCapabilities, c.codeTableIndex)) {
    name = c.preferredName;
  }
  if (name === "") name = Array.from(c.adfName, (b) => (b < 16 ? "0" : "") + b.toString(16).toUpperCase()).join("");
  return { name, priority: c.priority };
}

/** Book 4, A3, Table 32: byte 5 b1-b8 are code tables 1-8, byte 4 b1-b2 code tables 9-10. */
export function supportsCodeTable(additionalCapabilities: Uint8Array, index: number): boolean {
  if (index >= 1 && index <= 8) return (additionalCapabilities[4] & (1 << (index - 1))) !== 0;
  if (index === 9 || index === 10) return (additionalCapabilities[3] & (1 << (index - 9))) !== 0;
  return false;
}
