import type { Clock } from "../../hal/clock";
import type { ContactSlot } from "../../hal/contact-slot";
import { performContactCardTransaction, standaloneChipOutcome } from "../../kernel/emv/contact-card-transaction";
import type { EmvKernelDeps } from "../../kernel/emv/context";
import type { MessageName } from "../../kernel/emv/messages";
import type { ReaderConfig } from "../../firmware/app/reader-config";
import { transactionParamsOf, type PaymentRequest, type PaymentResult } from "./payment";

// A chip payment: the card in the contact slot activated and its protocol engine chosen (EMV Book
// 1, chapters 6 to 9), the EMV kernel's transaction over it (Books 3 and 4), the slot deactivated
// (kernel/emv/contact-card-transaction.ts). A chip that cannot be read before an application is
// chosen sends the cardholder to the stripe.

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

export async function contactPayment(config: ReaderConfig, request: PaymentRequest, deps: ContactPaymentDeps): Promise<PaymentResult> {
  const { slot, clock, ...kernelDeps } = deps;
  const read = await performContactCardTransaction({
    slot, clock, terminal: config.terminal, params: transactionParamsOf(request), deps: kernelDeps,
  });
  if (read.kind === "activation-failed") throw read.error;
  if (read.kind === "chip-unreadable") return fallback(deps, config, read.reason);
  const out = read.outcome;
  if (out.kind === "not-accepted") show(deps, config, "useMagStripe");

  const result: PaymentResult = { outcome: standaloneChipOutcome(out), cvm: out.cvm, tvr: out.tvr, tsi: out.tsi };
  if (out.maskedPan) result.maskedPan = out.maskedPan;
  if (out.cid !== undefined) result.cid = out.cid;
  if (out.arc) result.arc = out.arc;
  if (out.envelope) result.envelope = out.envelope;
  if (out.reason) result.reason = out.reason;
  return result;
}
