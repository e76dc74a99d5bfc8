import { fromHex, toHex } from "../../kernel/bytes";
import { TONES } from "../../kernel/contactless/ui";
import type { AuthorizationRequest, AuthorizationResult } from "../../kernel/emv/online";
import { MposError } from "../../kernel/errors";
import type { KeyStore, P2peEnvelope } from "../../kernel/security";
import { PaymentReader, type JournalEvent, type PaymentResult } from "../../kernel/transaction";
import { createCard, type VirtualCard } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { VirtualDisplay } from "../hardware/display";
import { PowerLossError } from "../hardware/memory-storage";
import type { IssuerHost } from "../issuer";
import { createPicc } from "../picc/contactless-cards";
import { issuerWithWallets } from "../picc/run-contactless";
import type { PlacedPicc } from "../picc/virtual-field";
import { parseAmount } from "../sim/currency";
import { SeededRandom } from "../sim/seeded-random";
import { CardVariant } from "./card-variant";
import type { IccApplet } from "../icc/applet";
import { SimPhoneOutcomes } from "./phone-outcomes";
import { heldOutcomeReport, paymentReport, reversalReport, type ScenarioLogEntry, type ScenarioPayment, type ScenarioReport, type ScenarioReversal } from "./report";
import { parseScenario, type Scenario, type ScenarioStep } from "./scenario";
import { buildHardware, openKeyStore, simPcd, simSettings, type SimHardware, type SimSettings } from "./sim-reader";

// The scenario runner: the reader's payment application (kernel/transaction) on the simulated
// reader of sim-reader.ts, the scenario's steps applied on the modeled clock, the issuer host
// answering through a simulated phone. Time moves only when the whole reader waits (its event
// queue reports it idle, with the state's deadline) or while a card exchange takes line or air
// time, so every run of a scenario is the same, on Node and on the XS engine.

const SYNC_STEPS = ["insert", "swipe", "tap", "remove", "keys", "cancel", "power-off", "tamper", "wait", "replay"];
/** The issuer's answer takes this long through the phone and the network, ms. */
const DEFAULT_LATENCY_MS = 300;
/** Safety net: a scenario never needs more turns of the loop than this. */
const MAX_TURNS = 200000;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export type { ScenarioLogEntry, ScenarioPayment, ScenarioReport, ScenarioReversal } from "./report";

async function drain(): Promise<void> {
  for (let i = 0; i < 32; i++) await Promise.resolve();
}

/** The PICCs the taps put in the field: each from its step's time until the next remove or tap. */
function placements(s: Scenario, settings: SimSettings): PlacedPicc[] {
  const out: PlacedPicc[] = [];
  const c = settings.env.crypto;
  const seed = settings.seed.toString(16).padStart(8, "0");
  s.steps.forEach((step, i) => {
    if (step.do !== "tap") return;
    const language = step.language;
    const picc = createPicc(step.card as string, {
      random: new SeededRandom(c, fromHex(`${seed}C${(i % 16).toString(16)}`)),
      ...(language ? { wrapApplet: (chip: IccApplet) => new CardVariant(chip, { language }) } : {}),
    });
    if (!picc) return;
    const p: PlacedPicc = { picc, enterMs: step.at };
    const leave = s.steps.slice(i + 1).find((x) => x.do === "remove" || x.do === "tap");
    if (leave) p.leave = { atMs: leave.at };
    out.push(p);
  });
  return out;
}

class ScenarioRun {
  private reader: PaymentReader | null = null;
  private keyStore: KeyStore | null = null;
  /** The payment running; `reported` once its outcome reached the phone (the reader's report callback). */
  private payment: { promise: Promise<void>; startedAtMs: number; reported: boolean } | null = null;
  private idleGeneration = -1;
  private wake: (() => void) | null = null;
  private index = 0;
  /** Storage writes of the factory provisioning, before the scenario's first payment. */
  private writesBefore = 0;
  private readonly cards = new Map<string, VirtualCard>();
  private readonly issuer: IssuerHost;
  private readonly decided = new Map<number, boolean>();
  /** A bug in the reader (not a power loss, not a refusal): the run fails with it. */
  private failure: unknown = null;
  private lastAnswer: { transactionId: number; answer: AuthorizationResult } | null = null;
  private readonly prompts: string[] = [];
  private readonly log: ScenarioLogEntry[] = [];
  private readonly payments: ScenarioPayment[] = [];
  private readonly reversals: ScenarioReversal[] = [];
  private readonly authorizations: ScenarioReport["authorizations"] = [];
  /** The phone's record of the payments it reported (the SDK's ledger): a held copy of one is dropped. */
  private readonly phone = new SimPhoneOutcomes();

  constructor(private readonly s: Scenario, private readonly settings: SimSettings, private readonly hw: SimHardware) {
    this.issuer = issuerWithWallets();
  }

  private get now(): number {
    return this.hw.clock.nowMs();
  }

  private note(entry: Omit<ScenarioLogEntry, "atMs">): void {
    this.log.push({ atMs: round(this.now), ...entry });
  }

  // --- The reader ---

  private async boot(): Promise<void> {
    const hw = this.hw;
    this.keyStore = await openKeyStore(hw, this.settings.env.crypto);
    let reader: PaymentReader | null = null;
    reader = await PaymentReader.start({
      config: this.settings.config,
      env: { ...this.settings.env, keys: this.keyStore },
      device: {
        clock: hw.clock, keypad: hw.keypad, display: hw.display, indicators: hw.indicators,
        slot: hw.slot, head: hw.head, pcd: simPcd(hw),
      },
      storage: hw.journalStorage,
      online: { send: (id, request) => this.authorize(id, request) },
      observer: {
        prompt: (_p, text) => {
          this.prompts.push(text);
        },
        cardDetected: (cardInterface) => this.note({ event: "card-detected", detail: cardInterface }),
        responseRefused: (transactionId, why) => this.note({ event: "online-response-refused", transactionId, reason: why }),
      },
      journalObserver: (e) => this.journalEvent(e),
      // The phone gets the outcome: what the report lists. The reader closes the log entry after it.
      report: async (result) => {
        const p = this.payment;
        if (!p || this.reader !== reader) return;
        p.reported = true;
        await this.phone.reported(result.transactionId);
        this.payments.push(this.paymentReport(result, p.startedAtMs));
      },
    });
    const q = reader.events;
    q.onIdle = () => {
      this.idleGeneration = q.generation;
      const w = this.wake;
      this.wake = null;
      if (w) w();
    };
    this.reader = reader;
    const r = reader.recovery.interrupted;
    if (r) this.note({ event: "recovered", transactionId: r.transactionId, phase: r.phase, detail: r.reversal ? "reversal queued" : r.outcomeHeld ? "outcome held" : "nothing owed" });
  }

  private journalEvent(e: JournalEvent): void {
    if (e.record === "state") this.note({ event: "log", transactionId: e.transactionId, phase: e.phase });
    else if (e.record === "reversal") this.note({ event: "reversal-queued", transactionId: e.transactionId, reason: e.reason });
    else if (e.record === "outcome-held") this.note({ event: "outcome-held", transactionId: e.transactionId });
    else this.note({ event: e.record, transactionId: e.upTo, detail: `${e.cleared}` });
  }

  /** The simulated phone relays the request; the issuer decides now, its answer arrives after the latency. */
  private authorize(transactionId: number, request: AuthorizationRequest): void {
    const d = this.issuer.decide(request);
    this.decided.set(transactionId, d.decryptedByHost);
    const entry: ScenarioReport["authorizations"][number] = { transactionId, arc: d.arc, approved: d.approved, atMs: round(this.now), ksn: toHex(request.envelope.ksn) };
    if (request.pin) entry.pinKsn = toHex(request.pin.ksn);
    this.authorizations.push(entry);
    if (this.s.issuer?.respond === false) return;
    const answer: AuthorizationResult = { kind: "response", arc: d.arc };
    if (d.issuerAuthenticationData) answer.issuerAuthenticationData = d.issuerAuthenticationData;
    if (d.issuerScripts) answer.issuerScripts = d.issuerScripts;
    const reader = this.reader;
    this.hw.clock.at(this.now + (this.s.issuer?.latencyMs ?? DEFAULT_LATENCY_MS), () => {
      if (this.reader !== reader || !reader) return;
      this.lastAnswer = { transactionId, answer };
      reader.onlineResponse(transactionId, answer);
    });
  }

  private startPayment(amount: number): void {
    const reader = this.reader;
    if (!reader || this.payment) {
      this.note({ event: "start-refused", detail: reader ? "a payment is running" : "the reader is off" });
      return;
    }
    const entry = {
      startedAtMs: this.now,
      reported: false,
      promise: reader.pay({ amount, date: this.settings.date, time: this.settings.time }).then(
        () => {
          if (this.payment !== entry) return;
          this.payment = null;
          this.signal();
        },
        (error) => {
          if (this.payment !== entry) return;
          if (error instanceof PowerLossError) return this.died("power-cut", `at storage write ${this.hw.power.writeCount - this.writesBefore}`);
          this.payment = null;
          if (error instanceof MposError) {
            this.note({ event: "payment-refused", reason: `${error.code}: ${error.message}` });
          } else {
            this.failure = error;
          }
          this.signal();
        },
      ),
    };
    this.payment = entry;
  }

  private signal(): void {
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  /** The reader stops: whatever it was doing is abandoned; storage is what the power loss left. */
  private died(event: string, detail?: string): void {
    const p = this.payment;
    if (p && !p.reported) this.payments.push({ outcome: "power-loss", cvm: "none", apdus: 0, modeledMs: round(this.now - p.startedAtMs) });
    this.hw.power.off();
    this.reader = null;
    this.keyStore = null;
    this.payment = null;
    this.hw.head.cancel();
    void this.hw.field.fieldOff();
    this.note(detail ? { event, detail } : { event });
    this.signal();
  }

  private envelopeReport(transactionId: number, envelope: P2peEnvelope): { ksn: string; decryptedByHost: boolean } {
    let opened = this.decided.get(transactionId);
    if (opened === undefined) {
      try {
        for (const item of this.hw.hsm.openEnvelope(envelope)) item.value.fill(0);
        opened = true;
      } catch (e) {
        if (!(e instanceof MposError)) throw e;
        opened = false;
      }
    }
    return { ksn: toHex(envelope.ksn), decryptedByHost: opened };
  }

  private paymentReport(r: PaymentResult, startedAtMs: number): ScenarioPayment {
    return paymentReport(r, round(this.now - startedAtMs), r.envelope ? this.envelopeReport(r.transactionId, r.envelope) : undefined);
  }

  /**
   * The phone connects: it takes the reversals the reader holds and tells the reader it has them,
   * then the outcomes the reader held for it (a payment it never had is reported now, once).
   */
  private async collectReversals(): Promise<void> {
    const reader = this.reader;
    if (!reader) return;
    const { records } = reader.reversals(16);
    for (const r of records) this.reversals.push(reversalReport(r, round(this.now)));
    if (records.length > 0) await reader.clearReversals(records[records.length - 1].id);
    const held = await this.phone.collect(reader);
    for (const h of held.fresh) this.payments.push(heldOutcomeReport(h));
    if (held.dropped > 0) this.note({ event: "held-outcomes-dropped", detail: `${held.dropped}` });
  }

  // --- Steps ---

  private card(id: string): VirtualCard {
    let card = this.cards.get(id);
    if (!card) {
      const seed = this.settings.seed.toString(16).padStart(8, "0");
      card = createCard(id, { random: new SeededRandom(this.settings.env.crypto, fromHex(`${seed}CA`)) });
      this.cards.set(id, card);
    }
    return card;
  }

  private apply(step: ScenarioStep): void {
    const hw = this.hw;
    switch (step.do) {
      case "insert": {
        const card = this.card(step.card as string);
        // A card without a chip is a chip that does not answer: no contact answers the reset.
        const applet = card.applet ?? new MuteApplet();
        hw.slot.insert(step.language || step.confirmation ? new CardVariant(applet, { language: step.language, confirmation: step.confirmation }) : applet);
        return this.note({ event: "inserted", detail: step.card });
      }
      case "remove":
        hw.slot.remove();
        return this.note({ event: "removed" });
      case "swipe":
        return this.note({ event: hw.head.swipe(this.card(step.card as string)) ? "swiped" : "swipe-not-read", detail: step.card });
      case "tap":
        return this.note({ event: "tapped", detail: step.card });
      case "keys":
        // Keys are not logged: they may be PIN digits.
        return hw.keypad.type(step.keys as string);
      case "cancel":
        this.note({ event: "phone-cancel" });
        return this.reader?.cancel();
      case "power-off":
        return this.died("power-off");
      case "tamper": {
        this.note({ event: "tamper" });
        const store = this.keyStore;
        if (store) store.erase("enclosure").catch((e) => this.note({ event: "tamper-erase-failed", detail: String(e && e.code) }));
        return this.reader?.tampered();
      }
      case "replay":
        this.note({ event: "replay", transactionId: this.lastAnswer?.transactionId });
        if (this.lastAnswer && this.reader) this.reader.onlineResponse(this.lastAnswer.transactionId, this.lastAnswer.answer);
        return;
      default:
        return;
    }
  }

  private async applyAsync(step: ScenarioStep): Promise<void> {
    if (step.do === "power-on") {
      if (this.reader) return this.note({ event: "power-on", detail: "already on" });
      this.hw.power.onAgain();
      this.note({ event: "power-on" });
      try {
        await this.boot();
        await this.collectReversals();
      } catch (e) {
        if (!(e instanceof PowerLossError)) throw e;
        this.died("power-cut", `during start-up, at storage write ${this.hw.power.writeCount - this.writesBefore}`);
      }
    } else if (step.do === "start") {
      this.startPayment(step.amount !== undefined ? parseAmount(step.amount, this.settings.currencyExponent) : this.settings.amount);
    }
  }

  /** Hands the steps up to the next start or power-on to the clock. */
  private scheduleSteps(): void {
    while (this.index < this.s.steps.length && SYNC_STEPS.indexOf(this.s.steps[this.index].do) >= 0) {
      const step = this.s.steps[this.index++];
      this.hw.clock.at(step.at, () => this.apply(step));
    }
  }

  // --- The loop ---

  private idle(): boolean {
    const reader = this.reader;
    if (!reader || !this.payment) return true;
    return reader.events.waiting && this.idleGeneration === reader.events.generation;
  }

  /** Resolves once the reader waits with nothing running, or has no payment. */
  private async quiet(): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.idle()) return;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  async run(): Promise<ScenarioReport> {
    await this.boot();
    this.writesBefore = this.hw.power.writeCount;
    if (this.s.powerCut) this.hw.power.cutAtWrite(this.s.powerCut.atWrite, this.s.powerCut.outcome ?? "lost");
    this.startPayment(this.settings.amount);
    this.scheduleSteps();
    for (let turn = 0; turn < MAX_TURNS; turn++) {
      await this.quiet();
      const next = this.index < this.s.steps.length ? this.s.steps[this.index] : null;
      if (next && next.at <= this.now) {
        this.index++;
        await this.applyAsync(next);
        this.scheduleSteps();
        continue;
      }
      const candidates: number[] = [];
      const due = this.hw.clock.nextDueMs();
      if (due !== null) candidates.push(due);
      if (next) candidates.push(next.at);
      const deadline = this.reader && this.payment ? this.reader.events.deadlineMs : null;
      if (deadline !== null) candidates.push(deadline);
      if (candidates.length === 0) break;
      this.hw.clock.advanceTo(Math.min(...candidates));
      if (this.reader) this.reader.events.tick();
      await drain();
    }
    if (this.failure) throw this.failure;
    if (this.payment) this.note({ event: "still-waiting", detail: this.reader?.transactionActive ? "payment in progress" : "" });
    await this.collectReversals();
    return this.report();
  }

  private report(): ScenarioReport {
    const first: ScenarioPayment = this.payments[0] ?? { outcome: "power-loss", cvm: "none", apdus: 0, modeledMs: 0 };
    return {
      ...first,
      prompts: this.prompts,
      log: this.log,
      transactions: this.payments,
      reversals: this.reversals,
      authorizations: this.authorizations,
      tones: this.hw.indicators.tones.map((t) => (t.frequencyHz === TONES.success.frequencyHz ? "success" : t.frequencyHz === TONES.alert.frequencyHz ? "alert" : `${t.frequencyHz} Hz`)),
      storageWrites: this.hw.power.writeCount - this.writesBefore,
    };
  }
}

/** Runs a scenario (its JSON form, checked first) and reports what happened. */
export async function runScenario(json: unknown): Promise<ScenarioReport> {
  const s = parseScenario(json);
  const display = new VirtualDisplay(s.display ?? {});
  const settings = simSettings(s, display);
  const hw = await buildHardware(settings, display, placements(s, settings));
  return new ScenarioRun(s, settings, hw).run();
}
