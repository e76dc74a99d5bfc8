import type { RealTimeClock } from "../../hal/clock";
import type { ContactSlot } from "../../hal/contact-slot";
import { concat, fromHex } from "../../kernel/bytes";
import type { AuthorizationRequest, AuthorizationResult } from "../../kernel/emv/online";
import type { TerminalConfig } from "../../kernel/emv/terminal-config";
import { MposError } from "../../kernel/errors";
import type { ActivityLock } from "../../kernel/firmware-update/activity-lock";
import {
  promptOfId, type AuthorisationData, type CardInterface, type DeviceInfo, type DeviceStatus, type EmvItem, type OnlineAnswer,
  type HeldOutcomeRecord, type OutcomeReason, type PaymentEngine, type Prompt, type ReaderConfiguration, type ReversalRecord, type StartTransaction,
  type TransactionContext, type TransactionOutcome, type TransactionType,
} from "../../kernel/protocol";
import type { KeyStore } from "../../kernel/security/key-store";
import { isSensitiveTag } from "../../kernel/security/p2pe";
import { decodeTlv, encodeTlv } from "../../kernel/tlv";
import {
  heldOutcomeId, PROMPT_CATALOG, type OnlineChannel, type PaymentObserver, type PaymentReader, type PaymentResult, type Prompt as ReaderPrompt,
} from "../../kernel/transaction";
import { civilTime } from "./calendar";

// The phone protocol's PaymentEngine (kernel/protocol/payment-engine.ts) over the reader's payment
// application (kernel/transaction, PaymentReader): a START-TRANSACTION becomes one payment of the
// state machine, its prompts, card detection and PIN digit count become events for the phone, its
// authorization request goes to the phone and the relayed answer comes back as the machine's
// online-response event, and the phone's cancel is the machine's cancel. The reversal queue is the
// transaction log's. Pure over the HAL: the device, the XS bridge and the simulator share it.

/** Transaction Type '9C' (EMV Book 3, Annex A; ISO 8583:1987 processing code, first two digits). */
const TRANSACTION_TYPE: Record<TransactionType, number> = { purchase: 0x00, cashback: 0x09, refund: 0x20 };

/** Where the fleet's signed configuration is kept (firmware/app/fleet-configuration.ts applies it to the running reader). */
export interface ConfigurationStore {
  version(): Promise<number>;
  install(config: ReaderConfiguration): Promise<void>;
}

export interface ReaderPaymentEngineOptions {
  model: string;
  serial: string;
  firmwareVersion: string;
  hardwareRevision?: string;
  keys: KeyStore;
  /** The terminal configuration of the payments (its currency is the only one the reader takes). */
  terminal: TerminalConfig;
  rtc: RealTimeClock;
  /** The date of a payment while the phone never set the clock: the firmware's build time, seconds since 1970. */
  defaultEpochSeconds: number;
  /** Shared with the firmware update (issue 13, item 4): no payment while an update holds it. */
  lock: ActivityLock;
  slot?: ContactSlot;
  configurations: ConfigurationStore;
  /** The battery, where the reader has a gauge; absent: powered (USB). */
  battery?(): { percent: number; charging: boolean };
  /** Whether a payment may start now (firmware/app/power-manager.ts: not on a low battery); null admits it. */
  admit?(): OutcomeReason | null;
  reboot(): Promise<void>;
}

interface Running {
  context: TransactionContext;
  cardInterface: CardInterface | undefined;
}

function protocolPrompt(prompt: ReaderPrompt): Prompt | undefined {
  return promptOfId(PROMPT_CATALOG[prompt].id);
}

/** The event data of an authorization request: the EMV data without a sensitive tag (ARCHITECTURE.md, security rules). */
export function authorisationData(request: AuthorizationRequest, cardInterface: CardInterface): AuthorisationData {
  const data: AuthorisationData = { cardInterface, maskedPan: request.maskedPan, envelope: request.envelope, emvData: emvItems(request.iccData) };
  if (request.pin !== undefined) data.pinBlock = { block: request.pin.block, ksn: request.pin.ksn, format: request.pin.format };
  return data;
}

/** The kernel's authorization result for the answer the phone relayed (EMV Book 3, 10.9: no answer is "unable to go online"). */
export function authorizationResult(answer: OnlineAnswer): AuthorizationResult {
  if (answer.result !== "answered" || answer.arc === undefined) return { kind: "unable-to-go-online" };
  const result: AuthorizationResult = { kind: "response", arc: answer.arc };
  if (answer.issuerAuthenticationData !== undefined) result.issuerAuthenticationData = answer.issuerAuthenticationData;
  if (answer.scripts !== undefined && answer.scripts.length > 0) result.issuerScripts = concat(...answer.scripts.map((s) => encodeTlv(s.tag, s.value)));
  return result;
}

function emvItems(tlv: Uint8Array): EmvItem[] {
  if (tlv.length === 0) return [];
  return decodeTlv(tlv).filter((n) => !isSensitiveTag(n.tag)).map((n) => ({ tag: n.tag, value: n.value.slice() }));
}

/** Why a payment ended, as the protocol names it (docs/protocol.md, OUTCOME_REASONS). */
function reasonOf(r: Pick<PaymentResult, "reason">): OutcomeReason {
  const code = r.reason ? r.reason.split(":")[0] : "";
  if (code === "tampered") return "tampered";
  if (code === "not-accepted" || code === "transaction-request") return "notAccepted";
  if (code === "no-key") return "keysMissing";
  return "cardError";
}

/** The reader's reasons for "no interface left to try" (kernel/transaction/actions.ts). */
function needsAnotherInterface(r: Pick<PaymentResult, "reason">): boolean {
  const code = r.reason ? r.reason.split(":")[0] : "";
  return code === "use-chip" || code === "chip-unreadable" || code === "try-another-interface";
}

/** What the protocol's outcome is made of: a payment's result, or the summary the log held of it. */
type OutcomeSource = Pick<PaymentResult, "outcome" | "reason" | "arc" | "reversal" | "cardInterface" | "maskedPan" | "envelope" | "tvr" | "tsi" | "cid">;

/** The protocol's outcome of a payment: the result, why, and the non-sensitive EMV results (TVR, TSI, CID, ARC). */
export function transactionOutcome(r: OutcomeSource): TransactionOutcome {
  const emvData: EmvItem[] = [];
  if (r.tvr !== undefined) emvData.push({ tag: "95", value: r.tvr.slice() });
  if (r.tsi !== undefined) emvData.push({ tag: "9B", value: r.tsi.slice() });
  if (r.cid !== undefined) emvData.push({ tag: "9F27", value: Uint8Array.of(r.cid) });
  if (r.arc !== undefined) emvData.push({ tag: "8A", value: Uint8Array.from(r.arc, (c) => c.charCodeAt(0) & 0x7f) });
  const o: TransactionOutcome = { result: "failed", emvData };
  switch (r.outcome) {
    case "approved": case "online-approved": o.result = "approved"; break;
    case "declined": o.result = "declined"; o.reason = "declinedOffline"; break;
    case "online-declined":
      o.result = "declined";
      // EMV Book 3, 10.11: the issuer approved and the card declined at completion.
      o.reason = r.reversal === "declinedByCardAfterApproval" ? "declinedByCard" : r.arc === undefined ? "unableToGoOnline" : "declinedByIssuer";
      break;
    case "cancelled": o.result = "cancelled"; o.reason = "cancelled"; break;
    case "timeout": o.result = "aborted"; o.reason = "timeout"; break;
    case "card-removed": o.result = "aborted"; o.reason = "cardRemoved"; break;
    case "end-application":
      // The card needs an interface this payment does not take (a chip card swiped, a failed chip, a
      // card asking for another interface): aborted with tryAnotherInterface and the interface tried.
      if (needsAnotherInterface(r)) {
        o.result = "aborted";
        o.reason = "tryAnotherInterface";
      } else {
        o.result = "failed";
        o.reason = reasonOf(r);
      }
      break;
  }
  if (r.cardInterface !== undefined) o.cardInterface = r.cardInterface;
  if (r.maskedPan !== undefined) o.maskedPan = r.maskedPan;
  if (r.envelope !== undefined) o.envelope = r.envelope;
  return o;
}

export class ReaderPaymentEngine implements PaymentEngine {
  private reader: PaymentReader | null = null;
  private running: Running | null = null;
  /** The PaymentReader's online channel: the request goes to the phone of the payment running. */
  readonly online: OnlineChannel = { send: (id, request) => this.sendOnline(id, request) };
  /** The PaymentReader's progress: to the phone of the payment running (never a digit, never card data). */
  readonly observer: PaymentObserver = {
    prompt: (prompt) => {
      const p = protocolPrompt(prompt);
      if (p !== undefined) this.running?.context.emit({ kind: "prompt", prompt: p });
    },
    cardDetected: (cardInterface) => {
      if (this.running === null) return;
      this.running.cardInterface = cardInterface;
      this.running.context.emit({ kind: "card-detected", cardInterface });
    },
    pinDigits: (digits) => this.running?.context.emit({ kind: "pin-entry", digits }),
  };

  /** Wakes what a payment needs (the display) before it starts. */
  beforeTransaction: (() => void) | null = null;
  /** Powers the card interfaces down once a payment ended (firmware/app/reader-firmware.ts). */
  afterTransaction: (() => Promise<void>) | null = null;

  constructor(private readonly options: ReaderPaymentEngineOptions) {}

  /** Joins the engine to the reader it was made for (the reader takes `online` and `observer` at its start). */
  attach(reader: PaymentReader): void {
    this.reader = reader;
  }

  private started(): PaymentReader {
    if (this.reader === null) throw new Error("payment engine: no payment reader attached");
    return this.reader;
  }

  private sendOnline(id: number, request: AuthorizationRequest): void {
    const r = this.running;
    const reader = this.started();
    // No phone for it (cannot happen while a payment runs): the machine's online timeout answers.
    if (r === null) return;
    r.context.authorise(authorisationData(request, r.cardInterface ?? "contact"))
      .then((answer) => reader.onlineResponse(id, authorizationResult(answer)), () => reader.onlineResponse(id, { kind: "unable-to-go-online" }));
  }

  async deviceInfo(): Promise<Omit<DeviceInfo, "protocolVersions">> {
    const status = await this.options.keys.status();
    const info: Omit<DeviceInfo, "protocolVersions"> = {
      model: this.options.model,
      serial: this.options.serial,
      firmwareVersion: this.options.firmwareVersion,
      configurationVersion: await this.options.configurations.version(),
      keys: status.slots.map((s) => {
        const ksn = fromHex(s.nextKsn);
        // The key set identifier is the BDK ID: 4 bytes of an AES DUKPT KSN (X9.24-3, 6.3), 5 of a TDES one (X9.24-1, A.2).
        return { usage: s.slot, scheme: s.scheme, keySetId: ksn.slice(0, s.scheme === "aes-dukpt" ? 4 : 5), ksn };
      }),
    };
    if (this.options.hardwareRevision !== undefined) info.hardwareRevision = this.options.hardwareRevision;
    return info;
  }

  async status(): Promise<Omit<DeviceStatus, "transactionActive">> {
    const keys = await this.options.keys.status();
    const battery = this.options.battery ? this.options.battery() : { percent: 100, charging: true };
    const slot = this.options.slot;
    const cardPresent: CardInterface[] = slot !== undefined && (await slot.cardPresent()) ? ["contact"] : [];
    return {
      batteryPercent: battery.percent, charging: battery.charging, cardPresent,
      tampered: keys.state === "tampered", keysLoaded: keys.state === "ready", timeSet: this.options.rtc.epochSeconds() !== null,
    };
  }

  /** The phone's id of the next payment: the transaction log's, stored before it is handed out (journal.ts, reserveId). */
  nextTransactionId(): Promise<number> {
    return this.started().journal.reserveId();
  }

  async runTransaction(request: StartTransaction, context: TransactionContext): Promise<TransactionOutcome> {
    const reader = this.started();
    const terminal = this.options.terminal;
    // The reader takes its terminal currency only (EMV Book 4, 6.7.1: 5F2A and 5F36 are terminal data).
    const exponent = request.currencyExponent ?? 2;
    if (request.currency !== bcdNumber(terminal.currencyCode) || exponent !== terminal.currencyExponent) {
      return { result: "aborted", reason: "notAccepted", emvData: [] };
    }
    const refused = this.options.admit ? this.options.admit() : null;
    if (refused !== null) return { result: "failed", reason: refused, emvData: [] };
    if (!this.options.lock.tryAcquire("transaction")) return { result: "failed", reason: "internalError", emvData: [] };
    this.running = { context, cardInterface: undefined };
    if (this.beforeTransaction) this.beforeTransaction();
    context.onCancel(() => reader.cancel());
    try {
      const now = civilTime(this.options.rtc.epochSeconds() ?? this.options.defaultEpochSeconds);
      const paid = await reader.pay({
        amount: request.amount, amountOther: request.otherAmount ?? 0, transactionType: TRANSACTION_TYPE[request.transactionType],
        date: now.date, time: now.time, interfaces: request.interfaces, reference: context.transactionId,
      });
      return transactionOutcome(paid);
    } catch (e) {
      // A payment refused before it began (the reversal queue is full, a malformed request): data, not a crash.
      if (e instanceof MposError) return { result: "failed", reason: e.code === "transaction-request" ? "notAccepted" : "internalError", emvData: [] };
      throw e;
    } finally {
      this.running = null;
      this.options.lock.release("transaction");
      if (this.afterTransaction) await this.afterTransaction();
    }
  }

  async reversals(max: number): Promise<{ records: ReversalRecord[]; more: boolean }> {
    const { records, more } = this.started().reversals(max);
    return {
      more,
      records: records.map((r) => {
        const record: ReversalRecord = { transactionId: r.id, reason: r.reason, amount: r.amount, currency: r.currency, emvData: emvItems(r.emvData) };
        if (r.maskedPan !== undefined) record.maskedPan = r.maskedPan;
        if (r.envelope !== undefined) record.envelope = r.envelope;
        if (r.timestamp !== undefined) record.timestamp = r.timestamp;
        return record;
      }),
    };
  }

  clearReversals(transactionId: number): Promise<number> {
    return this.started().clearReversals(transactionId);
  }

  /** The outcomes the log holds for the phone, by the ids the phone knows them by (masked data only). */
  async outcomes(max: number): Promise<{ records: HeldOutcomeRecord[]; more: boolean }> {
    const { records, more } = this.started().outcomes(max);
    return {
      more,
      records: records.map((h) => {
        const { envelope: _none, ...outcome } = transactionOutcome(h);
        const record: HeldOutcomeRecord = { transactionId: heldOutcomeId(h), amount: h.amount, currency: h.currency, ...outcome };
        if (h.timestamp !== undefined) record.timestamp = h.timestamp;
        return record;
      }),
    };
  }

  /** The phone has the held outcomes up to the one it knows as `transactionId`. */
  clearOutcomes(transactionId: number): Promise<number> {
    return this.started().clearOutcomes(transactionId);
  }

  async setTime(epochSeconds: number): Promise<void> {
    this.options.rtc.set(epochSeconds);
  }

  /** The terminal configuration of the next payments (a fleet configuration applied between payments). */
  useTerminal(terminal: TerminalConfig): void {
    this.options.terminal = terminal;
  }

  configurationVersion(): Promise<number> {
    return this.options.configurations.version();
  }

  configure(config: ReaderConfiguration): Promise<void> {
    return this.options.configurations.install(config);
  }

  reboot(): Promise<void> {
    return this.options.reboot();
  }
}

/** An n-format (BCD) number, e.g. currency code '0978' -> 978 (EMV Book 3, 4.3). */
function bcdNumber(bcd: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bcd.length; i++) n = n * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 0x0f);
  return n;
}
