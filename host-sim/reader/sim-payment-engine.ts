import { fromHex } from "../../kernel/bytes";
import { SimEngineRecords } from "./engine-records";
import { protocolOutcome } from "./protocol-outcome";
import { softwareCrypto } from "../../kernel/crypto";
import type { AuthorizationRequest } from "../../kernel/emv/online";
import { MESSAGES } from "../../kernel/emv/messages";
import { CL_MESSAGES } from "../../kernel/contactless/ui";
import {
  PROMPTS, type CardInterface, type DeviceInfo, type DeviceStatus, type PaymentEngine, type Prompt,
  type StartTransaction, type TransactionContext, type TransactionOutcome,
} from "../../kernel/protocol";
import type { P2peEnvelope, SensitiveItem } from "../../kernel/security/p2pe";
import type { IssuerHost } from "../issuer";
import { runContactTransaction } from "../sim/contact-transaction";
import { currency } from "../sim/currency";
import { runMagstripeTransaction } from "../sim/magstripe-transaction";
import { provisionReaderKeys } from "../sim/reader-keys";
import { SeededRandom } from "../sim/seeded-random";
import { prepareSimulation, type SimRunResult, type SimSetting } from "../sim/sim-transaction";
import { runContactless, type ContactlessRunResult } from "../picc/run-contactless";
import { authorisationData, authorizationResult } from "./acquirer";

// The simulated reader's payment engine: the protocol's PaymentEngine over the `mpos sim run`
// machinery (host-sim/sim). A transaction takes the card the simulated cardholder presents, runs the
// same chip or stripe transaction as `sim run` (virtual ICC or head, the kernel, the key store), with
// three differences that make it a phone payment: the online authorisation goes to the phone (and
// from there to the acquirer), the messages the reader shows become prompt events, and the PIN
// entry is reported digit by digit (the count, never the digits).

/** What the simulated cardholder does when the reader asks for a card. */
export interface PresentedCard {
  card: string;
  interface: CardInterface;
  /** The PINs typed, attempt by attempt (default the card's PIN 1234). */
  pins?: string[];
  seed?: number;
}

export interface SimPaymentEngineOptions {
  /** The card the cardholder presents for the next transaction. */
  presentCard(): PresentedCard;
  /** The acquirer's issuer host (its decisions go in the `sim run` report). */
  issuer: IssuerHost;
  model: string;
  serial: string;
  firmwareVersion: string;
}

/** The terminal currencies the simulator knows (host-sim/sim/currency.ts), by ISO 4217 number. */
const ALPHA_CODES = ["USD", "EUR", "GBP", "CAD", "CHF", "AUD", "JPY"];

function alphaCurrency(numeric: number): { alpha: string; exponent: number } | undefined {
  for (const alpha of ALPHA_CODES) {
    const c = currency(alpha);
    if (Number(c.code) === numeric) return { alpha, exponent: c.exponent };
  }
  return undefined;
}

function majorUnits(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  const s = String(minor).padStart(exponent + 1, "0");
  return `${s.slice(0, -exponent)}.${s.slice(-exponent)}`;
}

function promptOf(id: number): Prompt | undefined {
  for (const name of Object.keys(PROMPTS) as Prompt[]) if (PROMPTS[name] === id) return name;
  return undefined;
}

/** The prompt of a message the simulator's cardholder saw: EMV Book 4 (contact) or Book A (contactless). */
function promptOfText(text: string): Prompt | undefined {
  for (const table of [MESSAGES, CL_MESSAGES] as Record<string, { id: number; text: string }>[]) {
    for (const name of Object.keys(table)) if (table[name].text === text && text !== "") return promptOf(table[name].id);
  }
  return undefined;
}

/** The protocol's outcome for a `sim run` report (its EMV fields are hex). */
export function outcomeOf(r: SimRunResult | ContactlessRunResult, cardInterface: CardInterface, envelope: P2peEnvelope | undefined): TransactionOutcome {
  const bytes = (hex: string | undefined) => (hex === undefined ? undefined : fromHex(hex));
  return protocolOutcome({ outcome: r.outcome, reason: r.reason, maskedPan: r.maskedPan, arc: r.arc,
    tvr: bytes(r.tvr), tsi: bytes(r.tsi), cid: bytes(r.cid) }, cardInterface, envelope);
}

export class SimPaymentEngine extends SimEngineRecords implements PaymentEngine {
  /** The `sim run` report of the last transaction. */
  lastResult: SimRunResult | ContactlessRunResult | null = null;
  private readonly keys = provisionReaderKeys(softwareCrypto, new SeededRandom(softwareCrypto, fromHex("0000000100")));

  constructor(private readonly options: SimPaymentEngineOptions) {
    super();
  }

  async deviceInfo(): Promise<Omit<DeviceInfo, "protocolVersions">> {
    const status = await (await this.keys).store.status();
    return {
      model: this.options.model,
      serial: this.options.serial,
      firmwareVersion: this.options.firmwareVersion,
      configurationVersion: this.configuration?.version ?? 0,
      keys: status.slots.map((s) => {
        const ksn = fromHex(s.nextKsn);
        // The key set identifier is the BDK ID: 4 bytes of an AES DUKPT KSN, 5 of a TDES one.
        return { usage: s.slot, scheme: s.scheme, keySetId: ksn.slice(0, s.scheme === "aes-dukpt" ? 4 : 5), ksn };
      }),
    };
  }

  async status(): Promise<Omit<DeviceStatus, "transactionActive">> {
    const s = await (await this.keys).store.status();
    return { batteryPercent: 100, charging: true, cardPresent: [], tampered: s.state === "tampered", keysLoaded: s.state === "ready", timeSet: this.epochSeconds !== null };
  }

  async runTransaction(request: StartTransaction, ctx: TransactionContext): Promise<TransactionOutcome> {
    const presented = this.options.presentCard();
    const iface = presented.interface;
    ctx.emit({ kind: "prompt", prompt: "presentCard" });
    const cur = alphaCurrency(request.currency);
    if (request.transactionType !== "purchase" || cur === undefined || (request.currencyExponent ?? 2) !== cur.exponent) {
      // The simulated terminal runs purchases in the currencies of host-sim/sim/currency.ts.
      return { result: "aborted", reason: "notAccepted", emvData: [] };
    }
    if (request.interfaces !== undefined && request.interfaces.indexOf(iface) < 0) {
      return { result: "aborted", reason: "tryAnotherInterface", cardInterface: iface, emvData: [] };
    }
    if (ctx.cancelled) return { result: "cancelled", reason: "cancelled", emvData: [] };
    if (iface === "contactless") return this.tap(request, ctx, presented, cur);
    ctx.emit({ kind: "card-detected", cardInterface: iface });
    const setting = await prepareSimulation({
      card: presented.card, interface: iface, amount: majorUnits(request.amount, cur.exponent), currency: cur.alpha,
      pins: presented.pins, seed: presented.seed,
    });
    const captured = this.wire(setting, ctx, iface);
    const result = iface === "contact" ? await runContactTransaction(setting) : await runMagstripeTransaction(setting);
    this.lastResult = result;
    if (result.outcome === "online-declined" && result.arc === undefined && captured.envelope !== undefined) {
      this.reversalLog.push({
        transactionId: ctx.transactionId, reason: "noResponse", amount: request.amount, currency: request.currency,
        maskedPan: result.maskedPan, envelope: captured.envelope, emvData: [], timestamp: this.epochSeconds ?? undefined,
      });
    }
    return outcomeOf(result, iface, captured.envelope);
  }

  /**
   * Joins one simulated transaction to the phone: its online authorisations go through the
   * context, its messages become prompts, its PIN entry becomes progress events, and the envelope
   * the key store seals is kept for the outcome.
   */
  private wire(setting: SimSetting, ctx: TransactionContext, iface: CardInterface): { envelope?: P2peEnvelope } {
    const captured: { envelope?: P2peEnvelope } = {};
    const issuer = this.options.issuer;
    let online = false;
    const relay = {
      authorize: async (request: AuthorizationRequest) => {
        online = true;
        return authorizationResult(await ctx.authorise(authorisationData(request, iface)));
      },
      // The `sim run` report reads the acquirer's decision, when this transaction went online.
      get lastDecision() { return online ? issuer.lastDecision : undefined; },
    };
    setting.issuer = relay as unknown as IssuerHost;

    const cardholder = setting.cardholder;
    const show = cardholder.show.bind(cardholder);
    cardholder.show = (text: string) => {
      show(text);
      const prompt = promptOfText(text);
      if (prompt !== undefined) ctx.emit({ kind: "prompt", prompt });
    };
    const enterPin = cardholder.enterPin.bind(cardholder);
    cardholder.enterPin = async (pinRequest) => {
      const entry = await enterPin(pinRequest);
      if (entry.kind === "entered") for (let d = 1; d <= entry.pin.length; d++) ctx.emit({ kind: "pin-entry", digits: d });
      return entry;
    };

    const store = setting.keys.store;
    const protect = store.protect.bind(store);
    store.protect = async (items: SensitiveItem[]) => {
      const envelope = await protect(items);
      captured.envelope = envelope;
      return envelope;
    };
    return captured;
  }

  /**
   * A contactless transaction (`sim run --interface contactless`): the card in the virtual field, the
   * reader's Entry Point and kernels, its online authorisation relayed through the phone (the run's
   * authorizer), its messages sent as prompts as the reader shows them: before the online request
   * when they come before it. The first, "present card", was already sent.
   */
  private async tap(request: StartTransaction, ctx: TransactionContext, presented: PresentedCard,
      cur: { alpha: string; exponent: number }): Promise<TransactionOutcome> {
    let envelope: P2peEnvelope | undefined;
    const authorizer = {
      authorize: async (r: AuthorizationRequest) => {
        envelope = r.envelope;
        return authorizationResult(await ctx.authorise(authorisationData(r, "contactless")));
      },
    };
    let shown = 0;
    const onPrompt = (text: string) => {
      if (shown++ === 0) return;
      const prompt = promptOfText(text);
      if (prompt !== undefined) ctx.emit({ kind: "prompt", prompt });
    };
    ctx.emit({ kind: "card-detected", cardInterface: "contactless" });
    const result = await runContactless({
      cards: [presented.card], amount: majorUnits(request.amount, cur.exponent), currency: cur.alpha, pins: presented.pins, seed: presented.seed,
      authorizer, onPrompt,
    });
    this.lastResult = result;
    return outcomeOf(result, "contactless", envelope);
  }


  async reboot(): Promise<void> {
    // The simulated reader restarts instantly: nothing survives but its keys and configuration.
  }
}
