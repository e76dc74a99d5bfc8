import type { Combination } from "./config";
import { outcomeOf, type OutcomeParameterSet } from "./outcome";
import { ui } from "./ui";

// EMV Contactless Book B, 3.1: Pre-Processing. Before the card is even asked for, the Entry Point
// works out, for every combination of AID and kernel, whether contactless is allowed at this amount
// and what the kernel must know: an online cryptogram is required (floor limit, status check, zero
// amount), a CVM is required (CVM required limit). Kernel 3 gets these in its copy of the TTQ.

export interface EntryPointIndicators {
  statusCheckRequested: boolean;
  contactlessApplicationNotAllowed: boolean;
  zeroAmount: boolean;
  readerCvmRequiredLimitExceeded: boolean;
  readerContactlessFloorLimitExceeded: boolean;
  /** The combination's TTQ with bytes 2 b8 and b7 set for this transaction (kernel 3). */
  ttq?: Uint8Array;
}

export interface AllowedCombination {
  combination: Combination;
  indicators: EntryPointIndicators;
}

export type PreProcessingResult =
  | { kind: "ok"; combinations: AllowedCombination[] }
  | { kind: "outcome"; outcome: OutcomeParameterSet };

/** TTQ byte 1 b4: offline-only reader; byte 2 b8 online cryptogram required, b7 CVM required (Book C-3, Annex A). */
const TTQ_OFFLINE_ONLY = 0x08;
const TTQ_ONLINE_CRYPTOGRAM_REQUIRED = 0x80;
const TTQ_CVM_REQUIRED = 0x40;

/** Book B, 3.1.1.1-3.1.1.12 for one combination. `unit` is one unit of the currency in minor units. */
export function preProcessCombination(c: Combination, amount: number, unit: number, terminalFloorLimit?: number): EntryPointIndicators {
  // 3.1.1.1: indicators reset; the TTQ copied with its per-transaction bits cleared.
  const ind: EntryPointIndicators = {
    statusCheckRequested: false, contactlessApplicationNotAllowed: false, zeroAmount: false,
    readerCvmRequiredLimitExceeded: false, readerContactlessFloorLimitExceeded: false,
  };
  if (c.ttq) {
    ind.ttq = c.ttq.slice();
    ind.ttq[1] &= ~(TTQ_ONLINE_CRYPTOGRAM_REQUIRED | TTQ_CVM_REQUIRED) & 0xff;
  }
  // 3.1.1.2: status check.
  if (c.statusCheckSupported && amount === unit) ind.statusCheckRequested = true;
  // 3.1.1.3: zero amount.
  if (amount === 0) {
    if (!c.zeroAmountAllowed) ind.contactlessApplicationNotAllowed = true;
    else ind.zeroAmount = true;
  }
  // 3.1.1.4: reader contactless transaction limit (amount at or above it).
  if (c.transactionLimit !== undefined && amount >= c.transactionLimit) ind.contactlessApplicationNotAllowed = true;
  // 3.1.1.5 and 3.1.1.6: reader contactless floor limit, else the terminal floor limit (amount above it).
  const floor = c.floorLimit !== undefined ? c.floorLimit : terminalFloorLimit;
  if (floor !== undefined && amount > floor) ind.readerContactlessFloorLimitExceeded = true;
  // 3.1.1.7: reader CVM required limit (amount at or above it).
  if (c.cvmRequiredLimit !== undefined && amount >= c.cvmRequiredLimit) ind.readerCvmRequiredLimitExceeded = true;
  if (ind.ttq) {
    // 3.1.1.8 and 3.1.1.9: an online cryptogram is required above the floor limit and for a status check.
    if (ind.readerContactlessFloorLimitExceeded || ind.statusCheckRequested) ind.ttq[1] |= TTQ_ONLINE_CRYPTOGRAM_REQUIRED;
    // 3.1.1.10: a zero amount goes online, which an offline-only reader cannot do.
    if (ind.zeroAmount) {
      if ((ind.ttq[0] & TTQ_OFFLINE_ONLY) === 0) ind.ttq[1] |= TTQ_ONLINE_CRYPTOGRAM_REQUIRED;
      else ind.contactlessApplicationNotAllowed = true;
    }
    // 3.1.1.11: a CVM is required at or above the CVM required limit.
    if (ind.readerCvmRequiredLimitExceeded) ind.ttq[1] |= TTQ_CVM_REQUIRED;
  }
  return ind;
}

/**
 * Book B, 3.1.1: every combination; 3.1.1.13: when contactless is allowed for none of them, the
 * outcome is Try Another Interface ("Please insert or swipe card").
 */
export function preProcessing(combinations: readonly Combination[], amount: number, currencyExponent: number): PreProcessingResult {
  const unit = Math.pow(10, currencyExponent);
  const allowed: AllowedCombination[] = [];
  for (const combination of combinations) {
    const indicators = preProcessCombination(combination, amount, unit, combination.app.floorLimit);
    if (!indicators.contactlessApplicationNotAllowed) allowed.push({ combination, indicators });
  }
  if (allowed.length === 0) {
    return {
      kind: "outcome",
      outcome: outcomeOf("try-another-interface", {
        uiOnOutcome: ui("insertOrSwipeCard", "processingError"),
        alternateInterface: "contact",
        reason: "contactless not allowed for any combination at this amount (Book B, 3.1.1.13)",
      }),
    };
  }
  return { kind: "ok", combinations: allowed };
}
