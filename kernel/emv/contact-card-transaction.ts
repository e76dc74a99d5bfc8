import type { Clock } from "../../hal/clock";
import type { ContactSlot } from "../../hal/contact-slot";
import { MposError } from "../errors";
import type { ApduTransport } from "../iso7816/apdu";
import { openContactCard, type ContactCard } from "../iso7816/session";
import type { EmvKernelDeps, TransactionParams } from "./context";
import type { TerminalConfig } from "./terminal-config";
import { performTransaction, type EmvOutcome } from "./transaction";

// One EMV transaction with the card in the contact slot: activation and the protocol engine the
// ATR names (EMV Book 1, chapters 6 to 9), the EMV kernel's transaction over it (Books 3 and 4),
// the slot deactivated again. A chip that cannot be read before an application was selected is
// told apart from a transaction that ended: what follows (fallback to the stripe) is the payment
// system's rule (Book 4 leaves it to them), decided by the caller.

/** Level-1 failures that make a chip unreadable (iso7816/errors.ts): it is mute, or it broke the protocol. */
const CHIP_UNREADABLE = ["card-mute", "protocol"];

/** Whether an error code of the contact interface means the chip cannot be read. */
export function isChipUnreadable(code: string): boolean {
  return CHIP_UNREADABLE.indexOf(code) >= 0;
}

export type ContactCardTransaction =
  /** The chip did not answer or broke the protocol before an application was selected. */
  | { kind: "chip-unreadable"; reason: string; apdus: number }
  /** Activation failed otherwise (the card was removed, the caller's abort point stopped it). */
  | { kind: "activation-failed"; error: MposError }
  /** The EMV kernel ran to an outcome. */
  | { kind: "completed"; outcome: EmvOutcome; apdus: number };

export interface ContactCardTransactionOptions {
  slot: ContactSlot;
  clock: Clock;
  terminal: TerminalConfig;
  params: TransactionParams;
  /** The kernel's dependencies but its transport, which is the card session's. */
  deps: Omit<EmvKernelDeps, "transport">;
  /** Called before every command APDU (a caller's abort point: it may throw to stop the kernel). */
  beforeCommand?: () => void;
}

/**
 * Activates the card, runs the EMV transaction and deactivates the card, also when the kernel throws
 * (what the kernel throws is a bug or the caller's abort, and goes on to the caller).
 */
export async function performContactCardTransaction(options: ContactCardTransactionOptions): Promise<ContactCardTransaction> {
  let session: ContactCard;
  try {
    session = await openContactCard({ slot: options.slot, clock: options.clock });
  } catch (e) {
    if (!(e instanceof MposError)) throw e;
    if (isChipUnreadable(e.code)) return { kind: "chip-unreadable", reason: `${e.code}: ${e.message}`, apdus: 0 };
    return { kind: "activation-failed", error: e };
  }
  const before = options.beforeCommand;
  const transport: ApduTransport = before === undefined ? session.transport : {
    transmit: (command) => {
      before();
      return session.transport.transmit(command);
    },
  };
  let out: EmvOutcome;
  try {
    out = await performTransaction(options.terminal, options.params, { ...options.deps, transport });
  } finally {
    await session.deactivate();
  }
  // A chip that stopped answering before an application was chosen is unreadable too.
  if (out.kind === "end-application" && !out.aid && isChipUnreadable(reasonCode(out.reason))) {
    return { kind: "chip-unreadable", reason: out.reason as string, apdus: session.apduCount };
  }
  return { kind: "completed", outcome: out, apdus: session.apduCount };
}

/** The code of an "end application" reason ("card-removed: card removed" -> "card-removed"). */
export function reasonCode(reason: string | undefined): string {
  if (!reason) return "";
  const i = reason.indexOf(":");
  return i < 0 ? reason : reason.slice(0, i);
}

/** An EMV outcome of a reader that falls back to the stripe on its own (no payment state machine). */
export type StandaloneChipOutcome =
  | "approved" | "declined" | "online-approved" | "online-declined" | "cancelled" | "timeout" | "end-application"
  | "fallback-to-magstripe";

/**
 * The outcome a reader without the payment state machine reports: no application in common
 * (Book 1, 12.4) sends the cardholder to the stripe, a blocked card ends the application.
 */
export function standaloneChipOutcome(o: EmvOutcome): StandaloneChipOutcome {
  switch (o.kind) {
    case "approved":
    case "declined":
    case "online-approved":
    case "online-declined":
    case "cancelled":
    case "timeout":
    case "end-application":
      return o.kind;
    case "not-accepted":
      return "fallback-to-magstripe";
    case "card-blocked":
      return "end-application";
  }
}
