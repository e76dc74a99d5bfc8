import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from "../security/pin-block";
import { TransactionError } from "./errors";

// The payment layer's configuration, checked once at load: which interfaces the reader offers, the
// reader's contactless limit, Quick Chip, the fallback rule, every waiting state's timeout and the
// PIN entry rules. A bad value is a TransactionError naming the field, never a surprise mid-payment.

export type CardInterface = "contact" | "contactless" | "magstripe";
export const CARD_INTERFACES: readonly CardInterface[] = ["contact", "contactless", "magstripe"];

/** What the Clear key does during PIN entry (ISO 9564-1:2017, 5.2 leaves it to the device). */
export type ClearKeyMode = "last-digit" | "all-digits";

export interface PinEntryRules {
  /** ISO 9564-1:2017, 8.1: a PIN has 4 to 12 digits. */
  minDigits: number;
  maxDigits: number;
  clearKey: ClearKeyMode;
  /** No key for this long ends the entry as a timeout, ms. */
  inactivityTimeoutMs: number;
  /** The whole entry may last this long, ms. */
  totalTimeoutMs: number;
  /**
   * Enter with no digit bypasses the PIN (EMV Book 3, 10.5.1 and 10.5.2: "PIN entry required, PIN
   * pad present, but PIN was not entered"); when false, Enter with no digit is refused.
   */
  bypassAllowed: boolean;
  /**
   * PIN entries allowed in any hour (PCI PTS POI, exhaustive PIN determination: on average at least
   * 30 s between PIN encipherments, 120 an hour).
   */
  maxEntriesPerHour: number;
}

export interface TransactionTimeouts {
  /** Waiting for a swipe, an insertion or a tap. */
  cardMs: number;
  /** The cardholder choosing or confirming an application (EMV Book 1, 12.4). */
  applicationSelectionMs: number;
  /** The issuer's answer through the phone (EMV Book 3, 10.9: then "unable to go online"). */
  onlineMs: number;
  /** The card left in the slot after the transaction. */
  removeCardMs: number;
}

export interface TransactionConfig {
  interfaces: Record<CardInterface, boolean>;
  /** The cardholder confirms the amount with Enter before the card is asked for (Book 4, 11.2 '02' "AMOUNT OK?"). */
  confirmAmount: boolean;
  /**
   * The reader's contactless transaction limit, minor units: at or above it the tap is not offered
   * (EMV Contactless Book B, 3.1.1.4 applies the same rule per combination). Absent: no limit.
   */
  contactlessLimit?: number;
  /**
   * Quick Chip (Visa Quick Chip for EMV; Mastercard M/Chip Fast): after the first GENERATE AC
   * gives an ARQC, the reader completes with the card at once (second GENERATE AC for an AAC with
   * "unable to go online", ARC 'Z3'), the card may leave, and the issuer's answer alone decides.
   */
  quickChip: boolean;
  /** Chip reads that must fail before a swipe of a chip card is accepted as fallback. */
  chipFailuresBeforeFallback: number;
  /** How often the contact slot's presence switch is read while a card is expected to stay, ms. */
  presencePollMs: number;
  timeouts: TransactionTimeouts;
  pin: PinEntryRules;
}

export const DEFAULT_TRANSACTION_CONFIG: TransactionConfig = {
  interfaces: { contact: true, contactless: true, magstripe: true },
  confirmAmount: false,
  quickChip: false,
  chipFailuresBeforeFallback: 3,
  presencePollMs: 250,
  timeouts: { cardMs: 60000, applicationSelectionMs: 30000, onlineMs: 30000, removeCardMs: 30000 },
  pin: {
    minDigits: PIN_MIN_DIGITS,
    maxDigits: PIN_MAX_DIGITS,
    clearKey: "all-digits",
    inactivityTimeoutMs: 15000,
    totalTimeoutMs: 60000,
    bypassAllowed: false,
    maxEntriesPerHour: 120,
  },
};

type Json = Record<string, unknown>;

function fail(field: string, rule: string): never {
  throw new TransactionError("transaction-config", `transaction config: ${field} ${rule}`);
}

function object(v: unknown, field: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(field, "must be an object");
  return v as Json;
}

function integer(v: unknown, field: string, min: number, max: number, otherwise: number): number {
  if (v === undefined) return otherwise;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) fail(field, `must be an integer from ${min} to ${max}`);
  return v;
}

function flag(v: unknown, field: string, otherwise: boolean): boolean {
  if (v === undefined) return otherwise;
  if (typeof v !== "boolean") fail(field, "must be true or false");
  return v;
}

function only(j: Json, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(j)) if (keys.indexOf(k) < 0) fail(`${field}.${k}`, "is not a known setting");
}

const MINUTE = 60000;

/** Checks a configuration in its JSON form; every setting is optional and defaults as above. */
export function loadTransactionConfig(json: unknown): TransactionConfig {
  const d = DEFAULT_TRANSACTION_CONFIG;
  const j = object(json ?? {}, "(root)");
  only(j, "(root)", ["interfaces", "confirmAmount", "contactlessLimit", "quickChip", "chipFailuresBeforeFallback", "presencePollMs", "timeouts", "pin"]);

  const interfaces = { ...d.interfaces };
  if (j.interfaces !== undefined) {
    if (!Array.isArray(j.interfaces) || j.interfaces.length === 0) fail("interfaces", "must be a non-empty list of contact, contactless, magstripe");
    for (const i of CARD_INTERFACES) interfaces[i] = false;
    for (const i of j.interfaces) {
      if (CARD_INTERFACES.indexOf(i as CardInterface) < 0) fail("interfaces", "must list only contact, contactless, magstripe");
      interfaces[i as CardInterface] = true;
    }
  }
  const t = object(j.timeouts ?? {}, "timeouts");
  only(t, "timeouts", ["cardMs", "applicationSelectionMs", "onlineMs", "removeCardMs"]);
  const p = object(j.pin ?? {}, "pin");
  only(p, "pin", ["minDigits", "maxDigits", "clearKey", "inactivityTimeoutMs", "totalTimeoutMs", "bypassAllowed", "maxEntriesPerHour"]);
  const minDigits = integer(p.minDigits, "pin.minDigits", PIN_MIN_DIGITS, PIN_MAX_DIGITS, d.pin.minDigits);
  const maxDigits = integer(p.maxDigits, "pin.maxDigits", minDigits, PIN_MAX_DIGITS, d.pin.maxDigits);
  const clearKey = p.clearKey === undefined ? d.pin.clearKey : p.clearKey;
  if (clearKey !== "last-digit" && clearKey !== "all-digits") fail("pin.clearKey", "must be last-digit or all-digits");
  const inactivityTimeoutMs = integer(p.inactivityTimeoutMs, "pin.inactivityTimeoutMs", 1000, 10 * MINUTE, d.pin.inactivityTimeoutMs);
  const totalTimeoutMs = integer(p.totalTimeoutMs, "pin.totalTimeoutMs", inactivityTimeoutMs, 10 * MINUTE, Math.max(inactivityTimeoutMs, d.pin.totalTimeoutMs));

  const config: TransactionConfig = {
    interfaces,
    confirmAmount: flag(j.confirmAmount, "confirmAmount", d.confirmAmount),
    quickChip: flag(j.quickChip, "quickChip", d.quickChip),
    chipFailuresBeforeFallback: integer(j.chipFailuresBeforeFallback, "chipFailuresBeforeFallback", 1, 9, d.chipFailuresBeforeFallback),
    presencePollMs: integer(j.presencePollMs, "presencePollMs", 10, 5000, d.presencePollMs),
    timeouts: {
      cardMs: integer(t.cardMs, "timeouts.cardMs", 1000, 10 * MINUTE, d.timeouts.cardMs),
      applicationSelectionMs: integer(t.applicationSelectionMs, "timeouts.applicationSelectionMs", 1000, 10 * MINUTE, d.timeouts.applicationSelectionMs),
      onlineMs: integer(t.onlineMs, "timeouts.onlineMs", 1000, 10 * MINUTE, d.timeouts.onlineMs),
      removeCardMs: integer(t.removeCardMs, "timeouts.removeCardMs", 1000, 10 * MINUTE, d.timeouts.removeCardMs),
    },
    pin: {
      minDigits,
      maxDigits,
      clearKey,
      inactivityTimeoutMs,
      totalTimeoutMs,
      bypassAllowed: flag(p.bypassAllowed, "pin.bypassAllowed", d.pin.bypassAllowed),
      maxEntriesPerHour: integer(p.maxEntriesPerHour, "pin.maxEntriesPerHour", 1, 120, d.pin.maxEntriesPerHour),
    },
  };
  if (j.contactlessLimit !== undefined) {
    config.contactlessLimit = integer(j.contactlessLimit, "contactlessLimit", 0, 999999999999, 0);
  }
  return config;
}
