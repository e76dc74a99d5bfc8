import type { MagstripeHead } from "../../hal/magstripe-head";
import type { CardholderInterface } from "../../kernel/emv/cardholder";
import type { MessageName } from "../../kernel/emv/messages";
import type { OnlineAuthorizer } from "../../kernel/emv/online";
import { readSwipe } from "../../kernel/magstripe";
import type { KeyStore } from "../../kernel/security/key-store";
import { authorizeSwipe } from "../../kernel/transaction/swipe-authorization";
import type { ReaderConfig } from "../../firmware/app/reader-config";
import type { PaymentRequest, PaymentResult } from "./payment";

// A swipe payment: the head's flux intervals decoded by the kernel (ISO/IEC 7811 F2F, ISO/IEC 7813
// tracks), then the chip-first rule of the service code, the tracks straight into the P2PE envelope,
// the online PIN when the service code asks for one, and an online authorization of the track data
// (kernel/transaction/swipe-authorization.ts).

/** Swipes the cardholder may make before the reader gives up on a stripe that does not read. */
export const MAX_SWIPES = 3;

export interface MagstripePaymentDeps {
  head: MagstripeHead;
  cardholder: CardholderInterface;
  authorizer: OnlineAuthorizer;
  keys: KeyStore;
}

export async function magstripePayment(config: Pick<ReaderConfig, "terminal">, request: PaymentRequest, deps: MagstripePaymentDeps): Promise<PaymentResult> {
  const authorization = {
    terminal: config.terminal, keys: deps.keys, cardholder: deps.cardholder, authorizer: deps.authorizer,
    show: (m: MessageName) => deps.cardholder.display(m, config.terminal.languages[0]),
  };
  for (let attempt = 1; attempt <= MAX_SWIPES; attempt++) {
    const swipe = await deps.head.nextSwipe();
    if (swipe === null) return { outcome: "cancelled", cvm: "none" };
    const done = await authorizeSwipe(readSwipe(swipe), request, authorization);
    if (done.kind === "bad-read") continue;
    if (done.kind === "use-chip") return { outcome: "insert-card", cvm: "none" };
    if (done.kind === "pin-not-entered") return { outcome: done.outcome, cvm: "none", maskedPan: done.maskedPan };
    const result: PaymentResult = {
      outcome: done.approved ? "online-approved" : "online-declined",
      cvm: done.cvm,
      maskedPan: done.maskedPan,
      envelope: done.envelope,
    };
    if (done.arc !== undefined) result.arc = done.arc;
    return result;
  }
  return { outcome: "end-application", cvm: "none", reason: "magstripe: no track read good in three swipes" };
}
