import { toHex } from "../../kernel/bytes";
import type { HeldOutcome, PaymentResult, ReversalEntry } from "../../kernel/transaction";

// What a scenario reports: each payment in the shape of `mpos sim run` (hex uppercase, absent keys
// left out), the reversals the phone collected, the log. Never a PAN, a PIN or track data: masked
// PANs, KSNs and the non-sensitive EMV results only.

/** What one payment came to, in the shape of `mpos sim run` (hex uppercase, absent keys left out). */
export interface ScenarioPayment {
  transactionId?: number;
  outcome: PaymentResult["outcome"] | "power-loss";
  cvm: PaymentResult["cvm"];
  maskedPan?: string;
  tvr?: string;
  tsi?: string;
  cid?: string;
  arc?: string;
  p2pe?: { ksn: string; decryptedByHost: boolean };
  pinKsn?: string;
  apdus: number;
  modeledMs: number;
  reason?: string;
  interface?: string;
  fallback?: boolean;
  chipFailures?: number;
  language?: string;
  reversal?: string;
  /** The phone got this outcome from the reader's held outcomes (after a power loss): cvm and apdus are not kept there. */
  held?: true;
}

export interface ScenarioReversal {
  transactionId: number;
  reason: string;
  amount: number;
  currency: number;
  maskedPan?: string;
  ksn?: string;
  collectedAtMs: number;
}

export interface ScenarioLogEntry {
  atMs: number;
  event: string;
  transactionId?: number;
  phase?: string;
  reason?: string;
  detail?: string;
}

export type ScenarioReport = ScenarioPayment & {
  prompts: string[];
  log: ScenarioLogEntry[];
  transactions: ScenarioPayment[];
  /** What the phone collected (GET-REVERSALS) at each connection and at the end. */
  reversals: ScenarioReversal[];
  /** Every authorization the issuer decided, by transaction. */
  authorizations: { transactionId: number; arc: string; approved: boolean; atMs: number; ksn: string; pinKsn?: string }[];
  /** The beeper's tone sequences, in order (EMV Contactless Book A, 9.3: "success" 1500 Hz, "alert" 750 Hz). */
  tones: string[];
  /** Writes to the reader's storage (key store and transaction log). */
  storageWrites: number;
};

/** One payment's result as the report shows it. */
export function paymentReport(r: PaymentResult, modeledMs: number, p2pe: ScenarioPayment["p2pe"]): ScenarioPayment {
  const p: ScenarioPayment = {
    transactionId: r.transactionId, outcome: r.outcome, cvm: r.cvm, maskedPan: r.maskedPan,
    tvr: r.tvr ? toHex(r.tvr) : undefined, tsi: r.tsi ? toHex(r.tsi) : undefined,
    cid: r.cid !== undefined ? toHex(Uint8Array.of(r.cid)) : undefined, arc: r.arc, p2pe,
    pinKsn: r.pinKsn ? toHex(r.pinKsn) : undefined,
    apdus: r.apdus, modeledMs, reason: r.reason,
    interface: r.cardInterface, fallback: r.fallback, chipFailures: r.chipFailures, language: r.language, reversal: r.reversal,
  };
  return JSON.parse(JSON.stringify(p)) as ScenarioPayment;
}

/** A held outcome as the phone collects it (GET-OUTCOMES): the payment the phone never had live. */
export function heldOutcomeReport(h: HeldOutcome): ScenarioPayment {
  const p: ScenarioPayment = {
    transactionId: h.id, outcome: h.outcome, cvm: "none", apdus: 0, modeledMs: 0, held: true,
    maskedPan: h.maskedPan, arc: h.arc, reason: h.reason, interface: h.cardInterface, reversal: h.reversal,
  };
  return JSON.parse(JSON.stringify(p)) as ScenarioPayment;
}

/** A reversal as the phone collects it (GET-REVERSALS). */
export function reversalReport(r: ReversalEntry, collectedAtMs: number): ScenarioReversal {
  const out: ScenarioReversal = { transactionId: r.id, reason: r.reason, amount: r.amount, currency: r.currency, collectedAtMs };
  if (r.maskedPan) out.maskedPan = r.maskedPan;
  if (r.envelope) out.ksn = toHex(r.envelope.ksn);
  return out;
}
