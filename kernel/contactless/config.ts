import { fromHex, isHex } from "../bytes";
import { loadTerminalConfig, type AidConfig, type TerminalConfig } from "../emv/terminal-config";
import { ContactlessConfigError } from "./errors";

// The reader's contactless configuration, checked once at load (EMV Contactless Book B, 5.1 and
// Table 5-2, "Entry Point Configuration Data"): per combination of AID and kernel, the limits and
// flags pre-processing uses, the TTQ of kernel 3 (Book C-3, Annex A) and the CVM capabilities of
// kernel 2 (Book C-2, Annex A: 'DF8118', 'DF8119'). Terminal-wide data (type, capabilities,
// country, currency...) and each AID's action codes are the contact terminal's (kernel/emv), reused.

/** EMVCo kernel identifiers (Book B, 3.3.2.5, Table 3-6) this reader implements. */
export const KERNEL = { c2: 2, c3: 3 } as const;

export interface Combination {
  aid: Uint8Array;
  kernelId: number;
  /** Application Selection Indicator: a card AID may be longer (Book B, 3.3.2.5, step 2B). */
  partialSelection: boolean;
  /** Book B, 3.1.1.2: a single unit of currency asks for an online status check. */
  statusCheckSupported: boolean;
  /** Book B, 3.1.1.3: a zero amount is allowed for this combination. */
  zeroAmountAllowed: boolean;
  /** Book B, 3.1.1.4: at or above this amount, contactless is not allowed (minor units). */
  transactionLimit?: number;
  /** Book B, 3.1.1.5: above this amount, an online authorization is needed (minor units). */
  floorLimit?: number;
  /** Book B, 3.1.1.7: at or above this amount, a CVM is needed (minor units). */
  cvmRequiredLimit?: number;
  /** Terminal Transaction Qualifiers '9F66' (kernel 3), 4 bytes. */
  ttq?: Uint8Array;
  /** Book B, 3.3.3.5: send the card's Extended Selection '9F29' in the final SELECT. */
  extendedSelectionSupported: boolean;
  /** Kernel 2: CVM Capability - CVM Required 'DF8118' and - No CVM Required 'DF8119' (Terminal Capabilities byte 2). */
  cvmCapabilityCvmRequired: number;
  cvmCapabilityNoCvmRequired: number;
  /** Kernel 2: on-device cardholder verification supported (Kernel Configuration 'DF811B' b6). */
  onDeviceCvmSupported: boolean;
  /** The terminal's AID entry: version, action codes, default DDOL (reused from the contact configuration). */
  app: AidConfig;
}

export interface ContactlessConfig {
  terminal: TerminalConfig;
  combinations: Combination[];
  /** The reader has a contact slot (an alternative for "try another interface"). */
  contactChipSupported: boolean;
  /** How long the reader polls for a card before it gives up, ms. */
  pollTimeoutMs: number;
  /** Restarts after "Try Again" before the Entry Point gives up. */
  maxRestarts: number;
}

type Json = Record<string, unknown>;

function fail(field: string, rule: string): never {
  throw new ContactlessConfigError(`contactless config: ${field} ${rule}`);
}

function amount(v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > 999999999999) fail(field, "must be an amount in minor units");
  return v;
}

function flag(v: unknown, field: string, otherwise: boolean): boolean {
  if (v === undefined) return otherwise;
  if (typeof v !== "boolean") fail(field, "must be true or false");
  return v;
}

function byteHex(v: unknown, field: string, otherwise: number): number {
  if (v === undefined) return otherwise;
  if (typeof v !== "string" || !isHex(v) || v.length !== 2) fail(field, "must be one byte of hex");
  return parseInt(v, 16);
}

function loadCombination(v: unknown, field: string, terminal: TerminalConfig): Combination {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(field, "must be an object");
  const c = v as Json;
  if (typeof c.aid !== "string" || !isHex(c.aid) || c.aid.length < 10 || c.aid.length > 32) fail(`${field}.aid`, "must be 5-16 bytes of hex");
  const aid = fromHex(c.aid);
  const app = terminal.applications.find((a) => a.aid.length === aid.length && a.aid.every((b, i) => b === aid[i]));
  if (!app) fail(`${field}.aid`, "must be one of the terminal's applications (for its action codes)");
  const kernelId = c.kernelId;
  if (kernelId !== KERNEL.c2 && kernelId !== KERNEL.c3) fail(`${field}.kernelId`, "must be 2 (C-2) or 3 (C-3), the kernels this reader has");
  const out: Combination = {
    // The same bytes as the terminal's entry: one array in RAM, not two.
    aid: app.aid,
    kernelId,
    partialSelection: flag(c.partialSelection, `${field}.partialSelection`, app.partialSelection),
    statusCheckSupported: flag(c.statusCheckSupported, `${field}.statusCheckSupported`, false),
    zeroAmountAllowed: flag(c.zeroAmountAllowed, `${field}.zeroAmountAllowed`, true),
    extendedSelectionSupported: flag(c.extendedSelectionSupported, `${field}.extendedSelectionSupported`, false),
    cvmCapabilityCvmRequired: byteHex(c.cvmCapabilityCvmRequired, `${field}.cvmCapabilityCvmRequired`, 0x60),
    cvmCapabilityNoCvmRequired: byteHex(c.cvmCapabilityNoCvmRequired, `${field}.cvmCapabilityNoCvmRequired`, 0x08),
    onDeviceCvmSupported: flag(c.onDeviceCvmSupported, `${field}.onDeviceCvmSupported`, true),
    app,
  };
  const limits: [keyof Combination, string][] = [["transactionLimit", "transactionLimit"], ["floorLimit", "floorLimit"], ["cvmRequiredLimit", "cvmRequiredLimit"]];
  for (const [key, name] of limits) {
    const a = amount(c[name], `${field}.${name}`);
    if (a !== undefined) (out as unknown as Record<string, number>)[key] = a;
  }
  if (c.ttq !== undefined) {
    if (typeof c.ttq !== "string" || !isHex(c.ttq) || c.ttq.length !== 8) fail(`${field}.ttq`, "must be 4 bytes of hex (Book C-3, Annex A)");
    out.ttq = fromHex(c.ttq);
  }
  if (kernelId === KERNEL.c3 && !out.ttq) fail(`${field}.ttq`, "is required for kernel 3");
  return out;
}

/**
 * Checks the contactless configuration in its JSON form: `{ terminal: {...}, combinations: [...] }`.
 * `loaded`: the reader's terminal configuration, already loaded, in place of `terminal` (one parsed
 * copy shared by the contact and contactless paths: the reader's RAM, issue 10).
 */
export function loadContactlessConfig(json: unknown, loaded?: TerminalConfig): ContactlessConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("(root)", "must be an object");
  const j = json as Json;
  const terminal = loaded ?? loadTerminalConfig(j.terminal);
  if (!Array.isArray(j.combinations) || j.combinations.length === 0) fail("combinations", "must be a non-empty array");
  const combinations = j.combinations.map((c, i) => loadCombination(c, `combinations[${i}]`, terminal));
  const poll = j.pollTimeoutMs === undefined ? 15000 : j.pollTimeoutMs;
  if (typeof poll !== "number" || !Number.isFinite(poll) || poll <= 0 || poll > 600000) fail("pollTimeoutMs", "must be 1-600000");
  const restarts = j.maxRestarts === undefined ? 2 : j.maxRestarts;
  if (typeof restarts !== "number" || !Number.isInteger(restarts) || restarts < 0 || restarts > 10) fail("maxRestarts", "must be 0-10");
  return {
    terminal,
    combinations,
    contactChipSupported: flag(j.contactChipSupported, "contactChipSupported", true),
    pollTimeoutMs: poll,
    maxRestarts: restarts,
  };
}
