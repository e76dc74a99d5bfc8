import type { Clock } from "../../hal/clock";
import type { ContactSlot } from "../../hal/contact-slot";
import { MposError } from "../../kernel/errors";
import type { EmvKernelDeps } from "../../kernel/emv/context";
import type { MessageName } from "../../kernel/emv/messages";
import { performTransaction, type EmvOutcome } from "../../kernel/emv/transaction";
import { openContactCard, type ContactCard } from "../../kernel/iso7816/session";
import type { ReaderConfig } from "./reader-config";
import type { PaymentOutcome, PaymentRequest, PaymentResult } from "./payment";

// A chip payment: the card in the contact slot activated and its protocol engine chosen (EMV Book
// 1, chapters 6 to 9), the EMV kernel's transaction over it (Books 3 and 4), the slot deactivated.
// A chip that cannot be read before an application is chosen sends the cardholder to the stripe.

/** Errors of the contact interface that mean the chip cannot be read (mute, or the protocol broke). */
const CHIP_UNREADABLE = new Set(["card-mute", "protocol"]);

export interface ContactPaymentDeps extends Omit<EmvKernelDeps, "transport"> {
  slot: ContactSlot;
  clock: Clock;
}

function show(deps: ContactPaymentDeps, config: ReaderConfig, message: MessageName): void {
  deps.cardholder.display(message, config.terminal.languages[0]);
}

/** EMV Book 4 leaves fallback to the payment systems: an unreadable chip sends the cardholder to the stripe. */
function fallback(deps: ContactPaymentDeps, config: ReaderConfig, reason: string): PaymentResult {
  show(deps, config, "useMagStripe");
  return { outcome: "fallback-to-magstripe", cvm: "none", reason };
}

function outcomeOf(o: EmvOutcome): PaymentOutcome {
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

export async function contactPayment(config: ReaderConfig, request: PaymentRequest, deps: ContactPaymentDeps): Promise<PaymentResult> {
  let card: ContactCard;
  try {
    card = await openContactCard({ slot: deps.slot, clock: deps.clock });
  } catch (e) {
    if (e instanceof MposError && CHIP_UNREADABLE.has(e.code)) return fallback(deps, config, `${e.code}: ${e.message}`);
    throw e;
  }
  const { slot: _slot, clock: _clock, ...kernelDeps } = deps;
  const params = {
    amount: request.amount,
    amountOther: request.amountOther,
    transactionType: request.transactionType,
    date: request.date,
    time: request.time,
    sequenceCounter: request.sequenceCounter,
    merchantForcedOnline: request.merchantForcedOnline,
  };
  const out = await performTransaction(config.terminal, params, { ...kernelDeps, transport: card.transport });
  await card.deactivate();

  // A chip that stops answering before an application is chosen is unreadable too.
  const code = out.reason ? out.reason.split(":")[0] : "";
  if (out.kind === "end-application" && !out.aid && CHIP_UNREADABLE.has(code)) return fallback(deps, config, out.reason as string);
  if (out.kind === "not-accepted") show(deps, config, "useMagStripe");

  const result: PaymentResult = { outcome: outcomeOf(out), cvm: out.cvm, tvr: out.tvr, tsi: out.tsi };
  if (out.maskedPan) result.maskedPan = out.maskedPan;
  if (out.cid !== undefined) result.cid = out.cid;
  if (out.arc) result.arc = out.arc;
  if (out.envelope) result.envelope = out.envelope;
  if (out.reason) result.reason = out.reason;
  return result;
}
