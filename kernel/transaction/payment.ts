import type { Clock, RealTimeClock } from "../../hal/clock";
import type { ContactSlot } from "../../hal/contact-slot";
import type { Display } from "../../hal/display";
import type { Indicators } from "../../hal/indicators";
import type { Keypad } from "../../hal/keypad";
import type { MagstripeHead } from "../../hal/magstripe-head";
import { indicatorsFor, TONES, type Tone, type UiRequest } from "../contactless/ui";
import type { TransactionParams } from "../emv/context";
import type { EmvDate } from "../emv/dates";
import type { PinEntryResult } from "../emv/cardholder";
import type { AuthorizationRequest, AuthorizationResult } from "../emv/online";
import type { MessageName } from "../emv/messages";
import { MposError } from "../errors";
import type { Pcd } from "../iso14443/pcd";
import { ACTIONS } from "./actions";
import { abortOutcome, type CardOutcome, type CardReadResult, type CvmPerformed, type ReadingEnvironment, type ReadingPorts } from "./card-reading";
import type { CardInterface, TransactionConfig } from "./config";
import { TransactionAbortedError, TransactionError } from "./errors";
import { machineEvent, type ReaderEvent } from "./events";
import type { EventQueue } from "./event-queue";
import type { TransactionJournal } from "./journal";
import type { PaymentOutcomeKind, ReversalReason } from "./journal-record";
import { chooseLanguage, displayableLanguages, parseLanguagePreference } from "./language";
import { layOut } from "./layout";
import type { PinEntry } from "./pin-entry";
import { PinRateLimit } from "./pin-rate-limit";
import { promptForContactlessMessage, promptText, type Language, type Prompt } from "./prompts";
import { transition, type PaymentState } from "./state-machine";

// The loop that runs the table of state-machine.ts for one payment: it takes one event at a time
// from the EventQueue (waiting up to the current state's deadline), looks the pair up in the
// table, enters the next state and runs its actions (actions.ts). A card kernel runs beside the
// loop as a task whose requests (application, PIN, authorization) come back as events; it is
// stopped through its checkpoint. The loop never swallows what is not an MposError: a power loss
// or a bug leaves the payment where the journal last recorded it.

/** How long one slice of contactless polling lasts while the reader waits on every interface, ms. */
export const CONTACTLESS_POLL_SLICE_MS = 100;

export interface PaymentDevice {
  clock: Clock;
  keypad: Keypad;
  display: Display;
  indicators: Indicators;
  /** Present where the reader has the interface. */
  slot?: ContactSlot;
  head?: MagstripeHead;
  pcd?: Pcd;
  rtc?: RealTimeClock;
}

/** Where the authorization request goes (the phone, then the acquirer); the answer comes back as an event. */
export interface OnlineChannel {
  send(transactionId: number, request: AuthorizationRequest): void;
}

/** Progress for the phone and the simulator: never a digit, never card data. */
export interface PaymentObserver {
  prompt?(prompt: Prompt, text: string, language: Language): void;
  cardDetected?(cardInterface: CardInterface): void;
  pinDigits?(digits: number): void;
  /** An online answer was refused (not this transaction's, or a second one). */
  responseRefused?(transactionId: number, why: string): void;
}

export interface PaymentOptions {
  config: TransactionConfig;
  env: ReadingEnvironment;
  device: PaymentDevice;
  journal: TransactionJournal;
  events: EventQueue<ReaderEvent>;
  online: OnlineChannel;
  /** PIN entries of the last hour, shared by the reader's payments. */
  pinLimit?: PinRateLimit;
  observer?: PaymentObserver;
  /**
   * Called with the outcome once it is final and stored; the transaction is closed in the log when
   * it resolves. Resolving false (or no report at all) means the phone may not have it: the log
   * then holds the outcome until the phone acknowledges it (journal.ts). A power loss before the
   * close holds it too.
   */
  report?(result: PaymentResult): Promise<boolean | void>;
}

export interface PaymentRequest {
  /** Amount, Authorised, minor units of the terminal currency. */
  amount: number;
  amountOther?: number;
  /** Transaction Type '9C' (default 00, goods and services). */
  transactionType?: number;
  date: EmvDate;
  time: { hour: number; minute: number; second: number };
  /** The interfaces this payment may use (default: all the configuration enables). */
  interfaces?: CardInterface[];
  /** The id the phone knows this payment by (its START-TRANSACTION's), kept in the log with the outcome. */
  reference?: number;
}

export interface PaymentResult {
  transactionId: number;
  outcome: PaymentOutcomeKind;
  cardInterface?: CardInterface;
  fallback: boolean;
  cvm: CvmPerformed;
  maskedPan?: string;
  tvr?: Uint8Array;
  tsi?: Uint8Array;
  cid?: number;
  arc?: string;
  envelope?: CardOutcome["envelope"];
  pinKsn?: Uint8Array;
  reason?: string;
  apdus: number;
  chipFailures: number;
  language: Language;
  /** A reversal of this payment's authorization was queued. */
  reversal?: ReversalReason;
}

interface Reading {
  cardInterface: CardInterface;
  /** Not waiting in one of its requests. */
  running: boolean;
  /** The card may leave now (Quick Chip after completion; never true for a card that must stay). */
  released: boolean;
}

type Pending =
  | { kind: "selection"; reply: (index: number | null) => void; count: number }
  | { kind: "confirmation"; reply: (ok: boolean) => void }
  | { kind: "pin"; reply: (r: PinEntryResult) => void; entry: PinEntry | null }
  | { kind: "authorization"; reply: (r: AuthorizationResult) => void; fail: (e: Error) => void };

export class PaymentMachine {
  state: PaymentState = "idle";
  enteredMs = 0;
  transactionId = 0;
  language: Language;
  readonly languages: Language[];
  readonly pinLimit: PinRateLimit;
  readonly params: TransactionParams;
  readonly interfaces: CardInterface[];
  // Interfaces.
  armed: CardInterface[] = [];
  armGeneration = 0;
  slotMustEmpty = false;
  contactlessRefused = false;
  chipFailures = 0;
  /** A prompt to show instead of the default one when the interfaces are armed again. */
  retryPrompt: Prompt | null = null;
  // The card at work.
  reading: Reading | null = null;
  pending: Pending | null = null;
  online: { sentAtMs: number; answered: boolean; approved: boolean } | null = null;
  abort: { code: "cancelled" | "card-removed" | "timeout" | "tampered" } | null = null;
  result: CardOutcome | null = null;
  awaitRemoval = false;
  reversal: ReversalReason | undefined;
  final: PaymentResult | null = null;
  private readonly raised: ReaderEvent[] = [];
  private lastPrompt = "";

  constructor(readonly options: PaymentOptions, readonly request: PaymentRequest) {
    this.languages = displayableLanguages(options.device.display.characterSets);
    this.language = this.languages[0];
    this.pinLimit = options.pinLimit ?? new PinRateLimit(options.config.pin.maxEntriesPerHour);
    this.params = {
      amount: request.amount,
      amountOther: request.amountOther ?? 0,
      transactionType: request.transactionType ?? 0x00,
      date: request.date,
      time: request.time,
      sequenceCounter: 0,
      merchantForcedOnline: false,
      quickChip: options.config.quickChip,
    };
    const allowed = request.interfaces ?? ["contact", "contactless", "magstripe"];
    this.interfaces = (["contact", "contactless", "magstripe"] as CardInterface[]).filter((i) => options.config.interfaces[i] && allowed.indexOf(i) >= 0);
  }

  get clock(): Clock {
    return this.options.device.clock;
  }

  /** Queues an event an action raised: handled before anything from the queue. */
  raise(event: ReaderEvent): void {
    this.raised.push(event);
  }

  // --- The display, the lights and the beeper ---

  show(prompt: Prompt, detail: readonly string[] = []): void {
    const d = this.options.device.display;
    const text = promptText(prompt, this.language);
    d.show(layOut(text, d.columns, Math.max(1, d.lines - detail.length)).concat(detail.slice(0, d.lines - 1)));
    const key = `${prompt}/${this.language}`;
    if (key !== this.lastPrompt) {
      this.lastPrompt = key;
      if (this.options.observer?.prompt) this.options.observer.prompt(prompt, text, this.language);
    }
  }

  tone(tone: Tone): void {
    this.options.device.indicators.beep(TONES[tone]);
  }

  /** A standard message the contact kernel shows (Book 4, 11.2), in the language it chose (11.1). */
  private showEmv(message: MessageName, language: string): void {
    if (this.abort) return;
    if (language) this.language = chooseLanguage([language], this.languages, this.language);
    if (message === "removeCard" && this.reading) this.reading.released = true;
    this.show(message);
  }

  /**
   * A contactless User Interface Request (Book A, 7.1): message, status lights, tone, and the card's
   * Language Preference once the kernel has it (then the cardholder's language, Book 4, 11.1).
   */
  private showContactless(r: UiRequest): void {
    if (this.abort) return;
    if (r.languagePreference) this.language = chooseLanguage(parseLanguagePreference(r.languagePreference), this.languages, this.language);
    const ind = indicatorsFor(r.status);
    this.options.device.indicators.setLights(ind.lights, ind.flashFirst);
    if (ind.tone) this.tone(ind.tone);
    const prompt = promptForContactlessMessage(r.message);
    if (prompt) this.show(prompt, r.amount !== undefined ? [this.amountText(r.amount)] : []);
  }

  amountText(amount: number = this.request.amount): string {
    const e = this.options.env.terminal.currencyExponent;
    const s = String(amount).padStart(e + 1, "0");
    return e === 0 ? s : `${s.slice(0, s.length - e)}.${s.slice(s.length - e)}`;
  }

  // --- The card kernel as a task ---

  /** Stops the card kernel at its next step and answers whatever it waits for. */
  setAbort(code: "cancelled" | "card-removed" | "timeout" | "tampered"): void {
    if (this.abort) return;
    this.abort = { code };
    this.refusePending();
  }

  /** Answers the kernel's open request with a refusal fitting the abort. */
  refusePending(): void {
    const p = this.pending;
    this.pending = null;
    if (this.reading) this.reading.running = true;
    if (!p) return;
    const code = this.abort ? this.abort.code : "cancelled";
    switch (p.kind) {
      case "selection": p.reply(null); break;
      case "confirmation": p.reply(false); break;
      case "pin":
        if (p.entry) p.entry.end();
        p.reply({ kind: code === "timeout" ? "timeout" : "cancelled" });
        break;
      case "authorization": p.fail(new TransactionAbortedError(code, `transaction ended: ${code}`)); break;
    }
  }

  /** Parks the task on a request; the table's answer resumes it. */
  private park(event: ReaderEvent): void {
    if (this.reading) this.reading.running = false;
    this.options.events.push(event);
  }

  /** Resumes the task with `pending` answered by `answer`. */
  resume(): void {
    this.pending = null;
    if (this.reading) this.reading.running = true;
  }

  ports(): ReadingPorts {
    return {
      cardholder: {
        selectApplication: (choices) => new Promise((reply) => this.park({ kind: "reading-selects-application", choices, reply })),
        confirmApplication: (choice) => new Promise((reply) => this.park({ kind: "reading-confirms-application", choice, reply })),
        enterPin: (request) => new Promise((reply) => this.park({ kind: "reading-needs-pin", request, reply })),
        display: (message, language) => this.showEmv(message, language),
      },
      authorizer: {
        authorize: (request) => new Promise((reply, fail) => this.park({ kind: "reading-goes-online", request, reply, fail })),
      },
      ui: { request: (r) => this.showContactless(r) },
      checkpoint: () => {
        if (this.abort) throw new TransactionAbortedError(this.abort.code, `transaction ended: ${this.abort.code}`);
      },
    };
  }

  /** Starts a card kernel; its end comes back as "reading-done" (or "fatal" for what is not a card's doing). */
  startReading(cardInterface: CardInterface, read: (ports: ReadingPorts) => Promise<CardReadResult>): void {
    this.reading = { cardInterface, running: true, released: cardInterface !== "contact" };
    if (this.options.observer?.cardDetected) this.options.observer.cardDetected(cardInterface);
    const events = this.options.events;
    read(this.ports()).then(
      (result) => events.push({ kind: "reading-done", result }),
      (error) => {
        if (!(error instanceof MposError)) return events.push({ kind: "fatal", error });
        const outcome = abortOutcome(`${error.code}:`) ?? "end-application";
        events.push({ kind: "reading-done", result: { kind: "outcome", cardInterface, outcome, cvm: "none", reason: `${error.code}: ${error.message}` } });
      },
    );
  }

  /** The card kernel holds a contact card that must stay in the slot. */
  get cardMustStay(): boolean {
    return this.reading !== null && this.reading.cardInterface === "contact" && !this.reading.released;
  }

  // --- Time ---

  /** The current state's timeout (null: none) and when to poll the interfaces next (null: never). */
  private deadlines(now: number): { timeoutMs: number | null; pollMs: number | null } {
    const c = this.options.config;
    const presence = this.cardMustStay ? now + c.presencePollMs : null;
    switch (this.state) {
      case "amount-set":
        return { timeoutMs: c.confirmAmount ? this.enteredMs + c.timeouts.cardMs : null, pollMs: null };
      case "waiting-for-card": {
        const poll = this.armed.indexOf("contactless") >= 0 ? now : this.armed.indexOf("contact") >= 0 ? now + c.presencePollMs : null;
        return { timeoutMs: this.enteredMs + c.timeouts.cardMs, pollMs: poll };
      }
      case "application-selection":
        return { timeoutMs: this.enteredMs + c.timeouts.applicationSelectionMs, pollMs: presence };
      case "cardholder-verification": {
        const p = this.pending;
        return { timeoutMs: p && p.kind === "pin" && p.entry ? p.entry.deadlineMs() : null, pollMs: presence };
      }
      case "online":
        return { timeoutMs: (this.online ? this.online.sentAtMs : this.enteredMs) + c.timeouts.onlineMs, pollMs: presence };
      case "remove-card":
        return { timeoutMs: this.enteredMs + c.timeouts.removeCardMs, pollMs: now + c.presencePollMs };
      default:
        return { timeoutMs: null, pollMs: null };
    }
  }

  private async nextEvent(): Promise<ReaderEvent> {
    const raised = this.raised.shift();
    if (raised) return raised;
    const now = this.clock.nowMs();
    const { timeoutMs, pollMs } = this.deadlines(now);
    const deadline = timeoutMs === null ? pollMs : pollMs === null ? timeoutMs : Math.min(timeoutMs, pollMs);
    const idle = this.reading === null || !this.reading.running;
    const e = await this.options.events.next(deadline, idle);
    if (e.kind !== "timeout") return e;
    return timeoutMs !== null && this.clock.nowMs() >= timeoutMs ? { kind: "timeout" } : { kind: "poll" };
  }

  // --- The run ---

  async run(): Promise<PaymentResult> {
    if (this.state !== "idle") throw new Error("payment: one run per machine");
    const a = this.request.amount;
    if (!Number.isSafeInteger(a) || a < 0 || a > 999999999999) throw new TransactionError("transaction-request", "payment: the amount must be 0 to 999999999999 minor units");
    if (this.interfaces.length === 0) throw new TransactionError("transaction-request", "payment: no card interface is enabled for it");
    this.raise({ kind: "start" });
    for (;;) {
      const event = await this.nextEvent();
      const kind = machineEvent(event);
      if (kind === "fatal") throw (event as { error: unknown }).error;
      const t = transition(this.state, kind);
      if (!t) continue;
      if (t.next !== this.state) {
        this.state = t.next;
        this.enteredMs = this.clock.nowMs();
      }
      for (const action of t.actions) await ACTIONS[action](this, event);
      if (this.state === "ended" && this.raised.length === 0) break;
    }
    const result = this.final as PaymentResult;
    const delivered = this.options.report ? (await this.options.report(result)) !== false : false;
    await this.options.journal.close(this.transactionId, { hold: !delivered, nowEpochSeconds: this.options.device.rtc?.epochSeconds() ?? undefined });
    return result;
  }
}
