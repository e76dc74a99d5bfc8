import { fromHex, toHex } from "../../kernel/bytes";
import type { AuthorizationRequest, AuthorizationResult } from "../../kernel/emv/online";
import { createPcd } from "../../kernel/iso14443/pcd";
import { PaymentReader, type HeldOutcome, type JournalEvent, type PaymentResult } from "../../kernel/transaction";
import { createCard, type VirtualCard } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { VirtualDisplay } from "../hardware/display";
import { PowerLossError, type PowerCutOutcome } from "../hardware/memory-storage";
import type { IssuerHost } from "../issuer";
import { createPicc } from "../picc/contactless-cards";
import { issuerWithWallets } from "../picc/run-contactless";
import { openKeyStore, buildHardware, simSettings, type SimHardware, type SimSettings } from "../scenario/sim-reader";
import { SimPhoneOutcomes } from "../scenario/phone-outcomes";
import { parseScenario } from "../scenario/scenario";
import { SeededRandom } from "../sim/seeded-random";
import { scanText, type LeakHit, type SecretSet } from "../leak-check/scan";
import { soakKind, soakSchedule, type SoakKind, type SoakStep } from "./mix";
import { SoakField } from "./soak-field";

// One simulated reader that lives through a whole soak: the payment application of kernel/transaction
// (state machine, transaction log) with one key store and one log over the simulator's storage,
// the scenario's hardware (host-sim/scenario/sim-reader.ts), the issuer host answering through a
// simulated phone. Transactions run one after another on one modeled clock; between them the phone
// collects the reversals and the held outcomes the reader holds, as it does when it connects; the
// phone reports each payment once, on the SDK's code (scenario/phone-outcomes.ts). Everything the reader
// shows or reports (prompts, screens, results, held outcomes, log events) passes the leak scan as it goes, and
// nothing of the simulated world accumulates (the issuer's decisions, the display's history), so
// the engine's live heap measures the reader.

export interface SoakTransaction {
  /** The soak's own count, from 0. */
  n: number;
  kind: string;
  /** The payment's id; for a power loss, the id the log had handed out last (the interrupted one, if any). */
  transactionId: number;
  /** "power-loss": the reader's storage lost power during the payment; it booted again. */
  outcome: PaymentResult["outcome"] | "power-loss";
  cardInterface?: string;
  /** KSN of the P2PE envelope (data key) and of the online PIN block (PIN key), hex. */
  ksn?: string;
  pinKsn?: string;
  reversal?: string;
  modeledMs: number;
  /** What the issuer saw of this payment's authorization request (it may have left before a power loss). */
  authorized?: { transactionId: number; approved: boolean; ksn?: string; pinKsn?: string };
  /** Reversals the phone collected right after this payment (ids; after a power loss, once the reader booted again). */
  reversalsCollected?: number[];
  /**
   * The power was lost during this payment (after its outcome was reported, or decided and held,
   * when `outcome` is not "power-loss").
   */
  powerLoss?: boolean;
  /** After a power loss: what the reader's recovery found at start-up, and its keys' state. */
  recovery?: { interrupted?: number; phase?: string; reversalQueued?: boolean; outcomeHeld?: boolean; keys: string };
  /** The outcome reached the phone from the reader's held outcomes (after a power loss), not live. */
  fromHeldOutcome?: boolean;
  /** Held outcomes the phone collected and dropped: it had reported those payments already. */
  heldDuplicatesDropped?: number;
}

export interface SoakLogCheck {
  /** Log records that broke a rule (ids not consecutive, a phase out of order, a transaction not closed). */
  violations: string[];
  /** Reversals the phone collected. */
  reversalsCollected: number;
}

const LATENCY_MS = 300;
const MAX_TURNS_PER_PAYMENT = 20000;
const PHASE_ORDER = ["begun", "online", "answered", "completed", "closed"];

async function drain(): Promise<void> {
  for (let i = 0; i < 32; i++) await Promise.resolve();
}

export class SoakReader {
  private reader!: PaymentReader;
  private keys!: Awaited<ReturnType<typeof openKeyStore>>;
  private readonly issuer: IssuerHost = issuerWithWallets();
  private readonly field: SoakField;
  private readonly cards = new Map<string, VirtualCard>();
  private readonly schedule: SoakKind[];
  private count = 0;
  private wake: (() => void) | null = null;
  private idleGeneration = -1;
  private done: PaymentResult | null = null;
  private failure: unknown = null;
  private texts: string[] = [];
  private phases: { id: number; phase: string }[] = [];
  private lastId = 0;
  private authorized: SoakTransaction["authorized"] | undefined;
  private collected: number[] = [];
  /** The outcome as the reader reported it to the phone (before the log closes the transaction). */
  private reported: PaymentResult | null = null;
  private readonly phone = new SimPhoneOutcomes();
  readonly log: SoakLogCheck = { violations: [], reversalsCollected: 0 };
  readonly leaks: LeakHit[] = [];

  private constructor(private readonly settings: SimSettings, private readonly hw: SimHardware, private readonly secrets: SecretSet, schedule: SoakKind[]) {
    this.field = new SoakField(hw.clock);
    this.schedule = schedule;
  }

  /** A reader fresh from the factory (keys injected), powered up; `schedule`: the kinds in order (default: the soak's mix). */
  static async start(options: { seed: number; secrets: SecretSet; schedule?: SoakKind[] }): Promise<SoakReader> {
    const scenario = parseScenario({ amount: "1.00", seed: options.seed, date: "250615", time: "120000", steps: [] });
    const display = new VirtualDisplay({});
    const settings = simSettings(scenario, display);
    const hw = await buildHardware(settings, display, []);
    const soak = new SoakReader(settings, hw, options.secrets, options.schedule ?? soakSchedule());
    await soak.boot();
    return soak;
  }

  get transactions(): number {
    return this.count;
  }

  private async boot(): Promise<void> {
    const hw = this.hw;
    const keys = await openKeyStore(hw, this.settings.env.crypto);
    this.keys = keys;
    this.reader = await PaymentReader.start({
      config: this.settings.config,
      env: { ...this.settings.env, keys },
      device: {
        clock: hw.clock, keypad: hw.keypad, display: hw.display, indicators: hw.indicators,
        slot: hw.slot, head: hw.head, pcd: createPcd({ controller: this.field, clock: hw.clock }),
      },
      storage: hw.journalStorage,
      online: { send: (id, request) => this.authorize(id, request) },
      observer: {
        prompt: (_p, text) => { this.texts.push(text); },
        responseRefused: (_id, why) => { this.texts.push(why); },
      },
      journalObserver: (e) => this.journalEvent(e),
      // The phone is told the outcome before the log closes the transaction (kernel/transaction/reader.ts).
      report: async (result) => {
        this.reported = result;
        await this.phone.reported(result.transactionId);
      },
    });
    this.lastId = this.reader.journal.lastId;
    const q = this.reader.events;
    q.onIdle = () => {
      this.idleGeneration = q.generation;
      this.signal();
    };
  }

  private signal(): void {
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  private journalEvent(e: JournalEvent): void {
    this.texts.push(JSON.stringify(e));
    if (e.record === "state") this.phases.push({ id: e.transactionId, phase: e.phase });
  }

  /** The simulated phone relays the request; the issuer decides now, its answer arrives after the latency. */
  private authorize(transactionId: number, request: AuthorizationRequest): void {
    const d = this.issuer.decide(request);
    this.issuer.decisions.length = 0;
    this.authorized = { transactionId, approved: d.approved };
    if (request.envelope) this.authorized.ksn = toHex(request.envelope.ksn);
    if (request.pin) this.authorized.pinKsn = toHex(request.pin.ksn);
    const answer: AuthorizationResult = { kind: "response", arc: d.arc };
    if (d.issuerAuthenticationData) answer.issuerAuthenticationData = d.issuerAuthenticationData;
    if (d.issuerScripts) answer.issuerScripts = d.issuerScripts;
    const reader = this.reader;
    this.hw.clock.at(this.hw.clock.nowMs() + LATENCY_MS, () => {
      if (this.reader === reader) reader.onlineResponse(transactionId, answer);
    });
  }

  private card(id: string): VirtualCard {
    let card = this.cards.get(id);
    if (!card) {
      card = createCard(id, { random: new SeededRandom(this.settings.env.crypto, fromHex(`${this.settings.seed.toString(16).padStart(8, "0")}CA`)) });
      this.cards.set(id, card);
    }
    return card;
  }

  private apply(step: SoakStep, startMs: number, kind: SoakKind): void {
    const hw = this.hw;
    switch (step.do) {
      case "insert": {
        const applet = this.card(step.card).applet ?? new MuteApplet();
        return hw.slot.insert(applet);
      }
      case "remove":
        hw.slot.remove();
        return this.field.clear();
      case "swipe":
        hw.head.swipe(this.card(step.card));
        return;
      case "tap": {
        const picc = createPicc(step.card, { random: new SeededRandom(this.settings.env.crypto, fromHex(`${(this.count & 0xffffffff).toString(16).padStart(8, "0")}C0`)) });
        if (!picc) throw new Error(`soak: no contactless card ${step.card}`);
        const leave = kind.steps.find((s) => s.do === "remove");
        return this.field.place(picc, step.at + startMs, (leave ? leave.at : step.at + 2500) + startMs);
      }
      case "keys":
        return hw.keypad.type(step.keys);
      case "cancel":
        return this.reader.cancel();
    }
  }

  private idle(): boolean {
    return this.done !== null || (this.reader.events.waiting && this.idleGeneration === this.reader.events.generation);
  }

  /** Runs the next transaction of the mix to its outcome. */
  async next(): Promise<SoakTransaction> {
    const kind = soakKind(this.count, this.schedule);
    const clock = this.hw.clock;
    const startMs = clock.nowMs();
    for (const step of kind.steps) clock.at(startMs + step.at, () => this.apply(step, startMs, kind));
    this.done = null;
    this.failure = null;
    this.phases = [];
    this.authorized = undefined;
    this.collected = [];
    this.reported = null;
    this.reader.pay({ amount: kind.amount, date: this.settings.date, time: this.settings.time }).then(
      (r) => { this.done = r; this.signal(); },
      (e) => { this.failure = e; this.signal(); },
    );
    for (let turn = 0; ; turn++) {
      if (turn > MAX_TURNS_PER_PAYMENT) throw new Error(`soak: transaction ${this.count} (${kind.name}) did not end`);
      while (!this.idle() && this.failure === null) await new Promise<void>((resolve) => { this.wake = resolve; });
      if (this.failure instanceof PowerLossError || !this.hw.power.powered) return this.powerLost(kind, startMs);
      if (this.failure !== null) throw this.failure;
      if (this.done !== null) break;
      const candidates: number[] = [];
      const due = clock.nextDueMs();
      if (due !== null) candidates.push(due);
      const deadline = this.reader.events.deadlineMs;
      if (deadline !== null) candidates.push(deadline);
      if (candidates.length === 0) throw new Error(`soak: transaction ${this.count} (${kind.name}) waits for nothing`);
      clock.advanceTo(Math.min(...candidates));
      this.reader.events.tick();
      await drain();
    }
    const result = this.done as PaymentResult;
    // Steps left (a card still to be removed): played now, so the next transaction starts clean.
    while (clock.nextDueMs() !== null) clock.advanceTo(clock.nextDueMs() as number);
    this.hw.slot.remove();
    this.field.clear();
    await drain();
    await this.collectReversals();
    await this.collectOutcomes();
    const t = this.report(kind, result, clock.nowMs() - startMs);
    if (this.authorized) t.authorized = this.authorized;
    if (this.collected.length > 0) t.reversalsCollected = this.collected;
    this.checkLog(result);
    this.scan(result);
    this.count++;
    // Time between customers: a minute.
    clock.advanceTo(clock.nowMs() + 60000);
    return t;
  }

  private report(kind: SoakKind, r: PaymentResult, ms: number): SoakTransaction {
    const t: SoakTransaction = { n: this.count, kind: kind.name, transactionId: r.transactionId, outcome: r.outcome, modeledMs: Math.round(ms) };
    if (r.cardInterface) t.cardInterface = r.cardInterface;
    if (r.envelope) t.ksn = toHex(r.envelope.ksn);
    if (r.pinKsn) t.pinKsn = toHex(r.pinKsn);
    if (r.reversal) t.reversal = r.reversal;
    return t;
  }

  /** The phone connects between payments and takes the reversals the reader holds. */
  private async collectReversals(): Promise<void> {
    const { records } = this.reader.reversals(16);
    if (records.length === 0) return;
    for (const r of records) this.texts.push(JSON.stringify({ id: r.id, reason: r.reason, maskedPan: r.maskedPan }));
    this.log.reversalsCollected += await this.reader.clearReversals(records[records.length - 1].id);
    for (const r of records) this.collected.push(r.id);
  }

  /** The phone takes the outcomes the reader held for it; those it never had are returned, the others dropped. */
  private async collectOutcomes(): Promise<{ fresh: HeldOutcome[]; dropped: number }> {
    const collected = await this.phone.collect(this.reader);
    for (const h of collected.fresh) this.texts.push(JSON.stringify(h));
    return collected;
  }

  /** Arms a power cut at the n-th storage write from now (key store or log), with the flash's outcome. */
  cutPowerAtWrite(n: number, outcome: PowerCutOutcome): void {
    this.hw.power.cutAtWrite(n, outcome);
  }

  /** Writes to the reader's storage so far (key store and log). */
  get storageWrites(): number {
    return this.hw.power.writeCount;
  }

  /**
   * The reader lost power during the payment: whatever it was doing is abandoned, the cardholder
   * takes the card, and the reader boots again (the key store and the log open over what the cut
   * left, the log settles the interrupted transaction), and the phone collects the reversals.
   */
  private async powerLost(kind: SoakKind, startMs: number): Promise<SoakTransaction> {
    const clock = this.hw.clock;
    this.hw.power.off();
    this.hw.head.cancel();
    this.wake = null;
    while (clock.nextDueMs() !== null) clock.advanceTo(clock.nextDueMs() as number);
    this.hw.slot.remove();
    this.field.clear();
    await drain();
    this.hw.power.onAgain();
    this.idleGeneration = -1;
    await this.boot();
    const interrupted = this.reader.recovery.interrupted;
    const keys = await this.keys.status();
    const reported = this.reported;
    const modeledMs = Math.round(clock.nowMs() - startMs);
    // The phone connects: the outcome it never had arrives from the log's held outcomes, once.
    const held = await this.collectOutcomes();
    const missed = held.fresh.find((h) => h.id === interrupted?.transactionId);
    let t: SoakTransaction;
    if (reported) t = this.report(kind, reported, modeledMs);
    else if (missed) {
      t = { n: this.count, kind: kind.name, transactionId: missed.id, outcome: missed.outcome, modeledMs, fromHeldOutcome: true };
      if (missed.cardInterface) t.cardInterface = missed.cardInterface;
      if (missed.reversal) t.reversal = missed.reversal;
    } else t = { n: this.count, kind: kind.name, transactionId: this.reader.journal.lastId, outcome: "power-loss", modeledMs };
    if (held.dropped > 0) t.heldDuplicatesDropped = held.dropped;
    t.powerLoss = true;
    t.recovery = { keys: keys.state };
    if (interrupted) {
      t.recovery = { interrupted: interrupted.transactionId, phase: interrupted.phase, reversalQueued: interrupted.reversal, outcomeHeld: interrupted.outcomeHeld, keys: keys.state };
    }
    if (this.authorized) t.authorized = this.authorized;
    await this.collectReversals();
    if (this.collected.length > 0) t.reversalsCollected = this.collected;
    this.scan({ transactionId: t.transactionId, outcome: "end-application", fallback: false, cvm: "none", apdus: 0, chipFailures: 0, language: "en" } as PaymentResult);
    this.count++;
    clock.advanceTo(clock.nowMs() + 60000);
    return t;
  }

  /** Issue 8's log rules, checked after every payment. */
  private checkLog(r: PaymentResult): void {
    const v = this.log.violations;
    const at = `transaction ${this.count}`;
    if (v.length > 20) return;
    if (r.transactionId !== this.lastId + 1) v.push(`${at}: id ${r.transactionId} after ${this.lastId} (ids are handed out one by one, never reused)`);
    this.lastId = r.transactionId;
    if (this.reader.journal.lastId !== r.transactionId) v.push(`${at}: the log's last id ${this.reader.journal.lastId} is not the payment's ${r.transactionId}`);
    if (this.reader.journal.current !== null) v.push(`${at}: the log still holds a transaction in progress after the outcome`);
    let last = -1;
    for (const p of this.phases) {
      if (p.id !== r.transactionId) v.push(`${at}: a log record of transaction ${p.id} during ${r.transactionId}`);
      const i = PHASE_ORDER.indexOf(p.phase);
      if (i < last) v.push(`${at}: phase ${p.phase} after a later one`);
      last = i;
    }
    if (this.phases.length === 0 || this.phases[0].phase !== "begun") v.push(`${at}: the log did not store "begun" first`);
    if (this.phases.length === 0 || this.phases[this.phases.length - 1].phase !== "closed") v.push(`${at}: the log did not close the transaction`);
    if (this.reader.reversals().records.length !== 0) v.push(`${at}: reversals left after the phone collected them`);
    if (this.reader.outcomes().records.length !== 0) v.push(`${at}: held outcomes left after the phone collected them`);
  }

  /** Every output of the payment through the leak scan; then the simulated world forgets it. */
  private scan(r: PaymentResult): void {
    const channels: [string, string[]][] = [
      ["display", this.hw.display.history.map((lines) => lines.join("\n"))],
      ["prompts, log and reversals", this.texts],
      ["result", [JSON.stringify({ ...r, envelope: undefined, pinKsn: undefined, tvr: r.tvr && toHex(r.tvr), tsi: r.tsi && toHex(r.tsi) })]],
    ];
    for (const [channel, texts] of channels) {
      for (const text of texts) for (const hit of scanText(this.secrets, channel, text)) if (this.leaks.length < 20) this.leaks.push(hit);
    }
    this.hw.display.history.length = 0;
    this.hw.indicators.tones.length = 0;
    this.texts = [];
  }
}

