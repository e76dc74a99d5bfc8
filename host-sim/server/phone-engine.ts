import type { PaymentRequest, PaymentResult } from "../../firmware/app/payment";
import { SimEngineRecords } from "../reader/engine-records";
import { protocolOutcome } from "../reader/protocol-outcome";
import type { AuthorizationRequest, AuthorizationResult } from "../../kernel/emv/online";
import { TRANSACTION_TYPE } from "../../kernel/emv/context";
import {
  type CardInterface, type DeviceInfo, type DeviceStatus, type OutcomeReason, type PaymentEngine, type ProgressEvent,
  type StartTransaction, type TransactionContext, type TransactionOutcome,
} from "../../kernel/protocol";
import type { P2peEnvelope } from "../../kernel/security/p2pe";
import { authorisationData, authorizationResult } from "../reader/acquirer";

// The payment engine behind the reader's BLE service on the page (kernel/protocol, PaymentEngine):
// the phone's START-TRANSACTION shows the amount and waits for the cardholder to insert, swipe or
// tap a card from the page's wallet; the card's interface picks the firmware's payment (the
// reader firmware on the XS engine or on Node, firmware/app), whose online authorisation goes to
// the phone and from there to the acquirer, as on the device. The outcome is data for the phone:
// masked PAN, non-sensitive EMV data, the P2PE envelope.

/** What the reader does for one payment, as the engine sees it (the SimSession implements it). */
export interface ReaderPort {
  /** Null when the reader can take a payment; else why not (power, battery, tamper, self-test). */
  refusal(): OutcomeReason | null;
  /** The amount on the display, the lights "ready", and a wait for the card (or cancel, or timeout). */
  waitForCard(request: { amount: number; exponent: number; interfaces: CardInterface[]; timeoutMs: number; cancelled(): boolean; onCancel(l: () => void): void }): Promise<CardInterface | "cancelled" | "timeout">;
  /** Runs the firmware's payment; `hooks` see its prompts, PIN progress and online authorisation. */
  pay(request: PaymentRequest, hooks: PaymentHooks): Promise<PaymentResult>;
  /** Shows the outcome on the reader (and lets go of the card in the field). */
  finish(outcome: TransactionOutcome): void;
  /** Ends a wait on the keypad (the phone cancelled). */
  abandonKeypad(): void;
  deviceInfo(): Promise<Omit<DeviceInfo, "protocolVersions">>;
  status(): Promise<Omit<DeviceStatus, "transactionActive">>;
}

export interface PaymentHooks {
  progress(event: ProgressEvent): void;
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
}

/** The terminal's currency (host-sim/sim/terminal-config.json): US dollars, ISO 4217 840, exponent 2. */
export const TERMINAL_CURRENCY = { code: 840, exponent: 2 };

/** The protocol's outcome for the firmware's result. */
export function outcomeOf(r: PaymentResult, cardInterface: CardInterface, envelope: P2peEnvelope | undefined): TransactionOutcome {
  return protocolOutcome({ outcome: r.outcome, reason: r.reason, maskedPan: r.maskedPan, arc: r.arc, tvr: r.tvr, tsi: r.tsi,
    cid: r.cid === undefined ? undefined : Uint8Array.of(r.cid) }, cardInterface, envelope);
}

function today(): { date: PaymentRequest["date"]; time: PaymentRequest["time"] } {
  const d = new Date();
  return {
    date: { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() },
    time: { hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() },
  };
}

export class PhonePaymentEngine extends SimEngineRecords implements PaymentEngine {
  private sequence = 0;

  constructor(private readonly reader: ReaderPort) {
    super();
  }

  deviceInfo(): Promise<Omit<DeviceInfo, "protocolVersions">> {
    return this.reader.deviceInfo().then((i) => ({ ...i, configurationVersion: this.configuration?.version ?? 0 }));
  }

  async status(): Promise<Omit<DeviceStatus, "transactionActive">> {
    return { ...(await this.reader.status()), timeSet: this.epochSeconds !== null };
  }

  async runTransaction(request: StartTransaction, ctx: TransactionContext): Promise<TransactionOutcome> {
    const outcome = await this.transaction(request, ctx);
    this.reader.finish(outcome);
    return outcome;
  }

  private async transaction(request: StartTransaction, ctx: TransactionContext): Promise<TransactionOutcome> {
    const refusal = this.reader.refusal();
    if (refusal !== null) return { result: "aborted", reason: refusal, emvData: [] };
    // The simulated terminal runs purchases in its own currency (its terminal configuration).
    if (request.transactionType !== "purchase" || request.currency !== TERMINAL_CURRENCY.code || (request.currencyExponent ?? 2) !== TERMINAL_CURRENCY.exponent) {
      return { result: "aborted", reason: "notAccepted", emvData: [] };
    }
    ctx.emit({ kind: "prompt", prompt: "presentCard" });
    ctx.onCancel(() => this.reader.abandonKeypad());
    const chosen = await this.reader.waitForCard({
      amount: request.amount,
      exponent: TERMINAL_CURRENCY.exponent,
      interfaces: request.interfaces ?? ["contact", "magstripe", "contactless"],
      timeoutMs: (request.timeoutSeconds ?? 60) * 1000,
      cancelled: () => ctx.cancelled,
      onCancel: (l) => ctx.onCancel(l),
    });
    if (chosen === "cancelled") return { result: "cancelled", reason: "cancelled", emvData: [] };
    if (chosen === "timeout") return { result: "aborted", reason: "timeout", emvData: [] };
    ctx.emit({ kind: "card-detected", cardInterface: chosen });
    let envelope: P2peEnvelope | undefined;
    const { date, time } = today();
    const paid = await this.reader.pay({
      interface: chosen,
      amount: request.amount,
      amountOther: request.otherAmount ?? 0,
      transactionType: TRANSACTION_TYPE.goodsAndServices,
      date, time,
      sequenceCounter: ++this.sequence,
      merchantForcedOnline: false,
    }, {
      progress: (e) => ctx.emit(e),
      authorize: async (r) => {
        envelope = r.envelope;
        return authorizationResult(await ctx.authorise(authorisationData(r, chosen)));
      },
    });
    envelope = paid.envelope ?? envelope;
    if (paid.outcome === "online-declined" && paid.arc === undefined && envelope !== undefined) {
      // No answer from the host after the card approved online: the reader owes a reversal (EMV Book 4, 12.2.3).
      this.reversalLog.push({
        transactionId: ctx.transactionId, reason: "noResponse", amount: request.amount, currency: request.currency,
        maskedPan: paid.maskedPan, envelope, emvData: [], timestamp: this.epochSeconds ?? undefined,
      });
    }
    return outcomeOf(paid, chosen, envelope);
  }


  async reboot(): Promise<void> {
    // The page's reader restarts with its power button; a reboot request changes nothing it shows.
  }
}
