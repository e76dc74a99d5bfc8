import type { UiRequest } from "./ui";

// The Outcome a kernel hands back to the Entry Point, EMV Contactless Book A (the Outcome
// Parameter Set): what happened, where to restart, which CVM the reader must complete,
// what to show now and on restart, and whether another interface is preferred. The Entry Point's
// own outcomes (pre-processing, protocol activation, combination selection) use the same shape.

export type OutcomeKind =
  | "select-next"
  | "try-again"
  | "approved"
  | "declined"
  | "online-request"
  | "try-another-interface"
  | "end-application";

/** Book A, Outcome Parameter Set "Start": where the Entry Point restarts (Book B, 3.5). */
export type StartPoint = "A" | "B" | "C" | "D" | "n/a";

/** Book A, Outcome Parameter Set "CVM": the CVM the reader completes after the card has left (online PIN, signature). */
export type OutcomeCvm = "online-pin" | "confirmation-code-verified" | "obtain-signature" | "no-cvm" | "n/a";

export interface OutcomeParameterSet {
  outcome: OutcomeKind;
  start: StartPoint;
  cvm: OutcomeCvm;
  /** Shown when the outcome is processed. */
  uiOnOutcome?: UiRequest;
  /** Shown when the Entry Point restarts (e.g. "Present card again", "See phone"). */
  uiOnRestart?: UiRequest;
  alternateInterface?: "contact" | "magstripe";
  receipt: boolean;
  /** Book A, Outcome Parameter Set "Field Off Request": switch the field off for this long before the restart, ms. */
  fieldOffHoldMs?: number;
  /** Why, for logs and the simulator (a rule, never card data). */
  reason?: string;
}

export function outcomeOf(outcome: OutcomeKind, fields: Partial<OutcomeParameterSet> = {}): OutcomeParameterSet {
  return { outcome, start: "n/a", cvm: "n/a", receipt: false, ...fields };
}

// C-2 codes the Outcome Parameter Set as tag 'DF8129' (Book C-2, Annex A): byte 1 the outcome,
// byte 2 the start, byte 4 the CVM, byte 5 the presence flags, byte 6 the alternate interface.
const OPS_OUTCOME: Record<OutcomeKind, number> = {
  approved: 0x10, declined: 0x20, "online-request": 0x30, "end-application": 0x40, "select-next": 0x50,
  "try-another-interface": 0x60, "try-again": 0x70,
};
const OPS_START: Record<StartPoint, number> = { A: 0x00, B: 0x10, C: 0x20, D: 0x30, "n/a": 0xf0 };
const OPS_CVM: Record<OutcomeCvm, number> = {
  "no-cvm": 0x00, "obtain-signature": 0x10, "online-pin": 0x20, "confirmation-code-verified": 0x30, "n/a": 0xf0,
};

/** The 8 bytes of 'DF8129' for an outcome (Book C-2, Annex A, Outcome Parameter Set). */
export function encodeOutcomeParameterSet(o: OutcomeParameterSet): Uint8Array {
  const out = new Uint8Array(8);
  out[0] = OPS_OUTCOME[o.outcome];
  out[1] = OPS_START[o.start];
  out[2] = 0xf0; // Online Response Data: N/A
  out[3] = OPS_CVM[o.cvm];
  out[4] = (o.uiOnOutcome ? 0x80 : 0) | (o.uiOnRestart ? 0x40 : 0) | (o.receipt ? 0x08 : 0);
  out[5] = o.alternateInterface === "contact" ? 0x10 : o.alternateInterface === "magstripe" ? 0x20 : 0xf0;
  out[6] = o.fieldOffHoldMs === undefined ? 0xff : Math.min(0xfe, Math.round(o.fieldOffHoldMs / 100));
  out[7] = 0x00;
  return out;
}
