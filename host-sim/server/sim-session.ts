import type { PaymentRequest, PaymentResult } from "../../firmware/app/payment";
import type { ReaderStartReport } from "../../firmware/app/reader";
import { DeviceContactlessUi } from "../../firmware/app/contactless-ui";
import { KeypadCardholder } from "../../firmware/app/keypad-cardholder";
import { isKey, type Key } from "../../hal/keypad";
import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { InputError } from "../../kernel/errors";
import type { CardInterface, DeviceInfo, DeviceStatus, OutcomeReason, ReaderDisplay, TransactionOutcome } from "../../kernel/protocol";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { MemoryStorage } from "../hardware/memory-storage";
import { VirtualKeypad } from "../hardware/keypad";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import contactlessConfigJson from "../picc/contactless-config.json";
import { hostClock, hostRandom } from "../reader/sim-reader";
import { provisionReaderKeys } from "../sim/reader-keys";
import terminalConfigJson from "../sim/terminal-config.json";
import { startFirmware, type FirmwareEngine, type FirmwareMeter } from "../xs-bridge/firmware-engine";
import type { SimulatedHardware } from "../xs-bridge/hardware-server";
import type { EngineName } from "../xs-engine/kernel-engine";
import { IssuerDesk } from "./issuer-desk";
import { PageCardholder } from "./page-cardholder";
import { PageContactSlot, PageDisplay, PageField, PageIndicators, PageTamperSwitch } from "./page-hardware";
import { PhoneLink } from "./phone-link";
import { PhonePaymentEngine, type PaymentHooks, type ReaderPort } from "./phone-engine";
import { PowerRail } from "./power-gate";
import type { FaultKind, LogEntry, SessionEvent, SessionState, SimSessionOptions, TransactionView } from "./session-state";
import { Wallet, type WalletCard } from "./wallet";

export { FAULT_KINDS, type FaultKind, type LogEntry, type SessionEvent, type SessionState, type SimSessionOptions, type TransactionView } from "./session-state";

// The simulator session behind the web page: one reader - its firmware on the XS engine (or on
// Node), its virtual hardware, its keys injected at the "factory" - with the wallet of virtual
// cards the page moves in and out of it, the BLE service the demo phone app pays through, the
// issuer desk, and the faults the page can cause (card pulled out, power lost, enclosure opened,
// battery low, two cards in the field). Everything the page shows comes from here as a state
// snapshot and log lines; no log line carries a PAN (masked only), track data or a PIN digit.

/** A cardholder swiping at an ordinary pace: 20 inches per second, 5 % faster at the end, 2 % jitter (as `sim run`). */
const SWIPE = { speedIps: 20, acceleration: 0.05, jitter: 0.02 };
/** Below this charge, on battery, the reader takes no payment (the simulated device's own rule). */
const MIN_BATTERY_PERCENT = 5;
/** How long the outcome stays on the display before the idle screen, ms. */
const OUTCOME_HOLD_MS = 4000;
const LOG_KEEP = 200;
const MAX_PIN_DIGITS = 12;

function majorUnits(minor: number, exponent: number): string {
  const s = String(minor).padStart(exponent + 1, "0");
  return exponent > 0 ? `${s.slice(0, -exponent)}.${s.slice(-exponent)}` : s;
}

interface CardWait {
  interfaces: CardInterface[];
  resolve(r: CardInterface | "cancelled" | "timeout"): void;
}

export class SimSession implements ReaderPort {
  readonly wallet = new Wallet();
  readonly desk: IssuerDesk;
  private readonly rail = new PowerRail();
  private readonly storage = new MemoryStorage();
  private readonly display: PageDisplay;
  private readonly indicators: PageIndicators;
  private readonly keypad = new VirtualKeypad();
  private readonly slot = new PageContactSlot();
  private readonly head = new VirtualMagstripeHead({ tracks: [1, 2] });
  private readonly field = new PageField();
  private readonly tamper = new PageTamperSwitch();
  private readonly cardholder: KeypadCardholder;
  private readonly listeners = new Set<(e: SessionEvent) => void>();
  private readonly logs: LogEntry[] = [];
  private link: PhoneLink | null = null;
  private firmware: FirmwareEngine | null = null;
  private report: ReaderStartReport | null = null;
  private booting = false;
  private battery = { percent: 100, charging: true };
  private slotCard: string | null = null;
  private fieldCards: string[] = [];
  private rfCollision = false;
  private transaction: TransactionView | null = null;
  private meter: FirmwareMeter | null = null;
  private cardWait: CardWait | null = null;
  private hooks: PaymentHooks | null = null;
  private pinDigits = -1;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private statePending = false;
  private keyInfo: Omit<DeviceInfo, "protocolVersions">["keys"] = [];
  private screenBeforeCode: string[] | null = null;

  private constructor(private readonly options: SimSessionOptions) {
    this.display = new PageDisplay(() => this.changed());
    this.indicators = new PageIndicators(() => this.changed(), (tone) => this.emit({ type: "beep", tone }));
    this.cardholder = new KeypadCardholder({ keypad: this.keypad, display: this.display, clock: hostClock });
    this.desk = new IssuerDesk((entry) => {
      this.log("issuer", `${entry.maskedPan ?? "no card"}: ARC ${entry.decision.arc} ${entry.decision.approved ? "approved" : "declined"} (${entry.decision.reason})` +
        `${entry.decision.decryptedByHost ? ", envelope decrypted" : ""}`);
      this.emit({ type: "issuer", entry });
    });
  }

  /** Provisions the reader's keys, opens its BLE service and powers it up. */
  static async start(options: SimSessionOptions): Promise<SimSession> {
    const s = new SimSession(options);
    await s.provision();
    const engine = new PhonePaymentEngine(s);
    const readerDisplay: ReaderDisplay = {
      showPasskey: (code) => s.showCode("BLE PASSKEY", "the Bluetooth passkey", code),
      showPairingCode: (code) => s.showCode("PAIRING CODE", "the pairing code", code),
    };
    s.link = await PhoneLink.start({ engine, display: readerDisplay, onChange: () => s.changed(), port: options.blePort });
    try {
      await s.powerOn();
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  get engineName(): EngineName {
    return this.options.engine;
  }

  get fleetCaPublicKey(): Uint8Array {
    return this.requireLink().fleet.fleetCaPublicKey;
  }

  private requireLink(): PhoneLink {
    if (this.link === null) throw new Error("sim session: not started");
    return this.link;
  }

  // --- Events ---

  on(listener: (e: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: SessionEvent): void {
    for (const l of Array.from(this.listeners)) l(e);
  }

  /** Coalesces changes into one state event per turn of the event loop. */
  private changed(): void {
    if (this.statePending) return;
    this.statePending = true;
    setImmediate(() => {
      this.statePending = false;
      this.emit({ type: "state", state: this.state() });
    });
  }

  log(source: LogEntry["source"], text: string): void {
    const entry: LogEntry = { at: new Date().toISOString(), source, text };
    this.logs.push(entry);
    if (this.logs.length > LOG_KEEP) this.logs.shift();
    this.options.log?.(`${entry.at.slice(11, 23)} ${source.padEnd(8)} ${text}\n`);
    this.emit({ type: "log", entry });
  }

  recentLogs(): LogEntry[] {
    return this.logs.slice();
  }

  state(): SessionState {
    const link = this.requireLink();
    return {
      engine: this.options.engine,
      powered: this.rail.powered,
      booting: this.booting,
      display: this.display.current(),
      lights: [...this.indicators.lights] as SessionState["lights"],
      flashFirst: this.indicators.flashFirst,
      battery: { ...this.battery },
      ble: { ...link.state(), url: link.url },
      tampered: this.tamper.tripped || this.report?.keys === "tampered",
      inService: this.report?.inService === true && !this.tamper.tripped,
      selfTest: this.report ? { passed: this.report.selfTest.passed, failed: this.report.selfTest.failed } : null,
      keys: this.report?.keys ?? "unknown",
      slot: this.slotCard,
      field: this.fieldCards.slice(),
      rfCollisionArmed: this.rfCollision,
      transaction: this.transaction ? { ...this.transaction } : null,
      pinEntry: this.pinDigits >= 0,
      meter: this.meter,
    };
  }

  // --- Power ---

  private async provision(): Promise<void> {
    const keys = await provisionReaderKeys(softwareCrypto, hostRandom, this.storage);
    const status = await keys.store.status();
    this.keyInfo = status.slots.map((s) => {
      const ksn = fromHex(s.nextKsn);
      // The key set identifier is the BDK ID: 4 bytes of an AES DUKPT KSN, 5 of a TDES one.
      return { usage: s.slot, scheme: s.scheme, keySetId: ksn.slice(0, s.scheme === "aes-dukpt" ? 4 : 5), ksn };
    });
  }

  private hardware(boot: number): SimulatedHardware {
    const g = <T extends object>(device: T, what: string): T => this.rail.gate(device, boot, what);
    const session = this;
    return {
      random: g(hostRandom, "random"),
      clock: g(hostClock, "clock"),
      storage: g(this.storage, "storage"),
      cardholder: g(new PageCardholder(this.cardholder, this), "keypad"),
      acquirer: g({
        authorize(request) {
          const hooks = session.hooks;
          return hooks ? hooks.authorize(request) : Promise.resolve({ kind: "unable-to-go-online" as const });
        },
      }, "phone link"),
      contactSlot: g(this.slot, "contact slot"),
      magstripeHead: g(this.head, "magnetic head"),
      nfc: g(this.field, "NFC front end"),
      contactlessUi: g(new DeviceContactlessUi(this.display, this.indicators, terminalConfigJson.currencyExponent), "display"),
      tamper: g(this.tamper, "tamper sensors"),
    };
  }

  private async powerOn(): Promise<void> {
    if (this.rail.powered || this.booting) return;
    this.booting = true;
    const boot = this.rail.powerOn();
    this.display.show(["STARTING..."]);
    this.log("reader", `power on: booting the firmware on ${this.options.engine === "xs" ? "the XS engine" : "Node"}`);
    try {
      const firmware = await startFirmware({ engine: this.options.engine, hardware: this.hardware(boot) });
      const answer = await firmware.command({
        op: "start",
        config: { terminal: terminalConfigJson, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE, contactless: JSON.parse(JSON.stringify(contactlessConfigJson)) },
      });
      if (!this.rail.alive(boot)) {
        await firmware.close();
        return;
      }
      this.firmware = firmware;
      this.report = answer.value as ReaderStartReport;
      const t = this.report.selfTest;
      this.log("reader", `self-tests ${t.passed} passed, ${t.failed} failed; keys ${this.report.keys}; ${this.report.inService ? "in service" : "OUT OF SERVICE"}` +
        (answer.meter ? `; XS compute ${answer.meter.compute}` : ""));
    } finally {
      this.booting = false;
    }
    await this.requireLink().powerOn();
    this.idle();
  }

  private async powerOff(why: string): Promise<void> {
    if (!this.rail.powered) return;
    this.rail.powerOff();
    this.cardholder.abandon();
    this.keypad.onKey(null);
    this.cardWait?.resolve("cancelled");
    this.requireLink().powerOff();
    const firmware = this.firmware;
    this.firmware = null;
    this.report = null;
    this.display.show([]);
    this.indicators.setLights([false, false, false, false], false);
    this.log("fault", `power lost (${why})`);
    if (firmware) await firmware.close();
  }

  /** The idle screen: what the reader shows between payments. */
  private idle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (!this.rail.powered || this.booting || this.cardWait || this.hooks) return;
    this.transaction = this.transaction?.phase === "done" ? this.transaction : null;
    if (this.tamper.tripped || this.report?.keys === "tampered") this.display.show(["TAMPERED", "OUT OF SERVICE"]);
    else if (this.report && !this.report.inService) this.display.show(["SELF-TEST FAILED", "OUT OF SERVICE"]);
    else if (this.battery.percent <= MIN_BATTERY_PERCENT && !this.battery.charging) this.display.show(["WELCOME", "BATTERY LOW", "PLEASE CHARGE"]);
    else this.display.show(["WELCOME", this.requireLink().state().secured > 0 ? "PHONE CONNECTED" : "READY TO PAIR"]);
    this.indicators.setLights([false, false, false, false], false);
  }

  private showCode(title: string, what: string, code: string | null): void {
    if (code !== null) {
      this.screenBeforeCode ??= this.display.current();
      this.display.show([title, code]);
      this.log("reader", `${what} is shown on the display`);
    } else if (this.screenBeforeCode !== null) {
      const before = this.screenBeforeCode;
      this.screenBeforeCode = null;
      if (this.rail.powered) this.display.show(before[0] === "WELCOME" ? ["WELCOME", "PHONE CONNECTED"] : before);
    }
  }

  // --- ReaderPort: the payment engine's view ---

  refusal(): OutcomeReason | null {
    if (!this.rail.powered || this.firmware === null || this.report === null) return "internalError";
    if (this.tamper.tripped || this.report.keys === "tampered") return "tampered";
    if (this.report.keys !== "ready") return "keysMissing";
    if (!this.report.inService) return "internalError";
    if (this.battery.percent <= MIN_BATTERY_PERCENT && !this.battery.charging) return "notAccepted";
    if (this.cardWait || this.hooks) return "internalError";
    return null;
  }

  waitForCard(r: Parameters<ReaderPort["waitForCard"]>[0]): Promise<CardInterface | "cancelled" | "timeout"> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const amount = `USD ${majorUnits(r.amount, r.exponent)}`;
    this.transaction = { phase: "waiting-card", amount };
    const how = [r.interfaces.includes("contact") ? "INSERT" : "", r.interfaces.includes("magstripe") ? "SWIPE" : "", r.interfaces.includes("contactless") ? "TAP" : ""].filter((x) => x);
    this.display.show(["PURCHASE", amount, `${how.join(", ")} CARD`]);
    // EMV Contactless Book A, 9.2: "Ready to Read" - the first light on.
    this.indicators.setLights([true, false, false, false], false);
    this.log("reader", `payment of ${amount}: waiting for a card`);
    if (this.slotCard !== null && r.interfaces.includes("contact")) return Promise.resolve("contact");
    if (this.fieldCards.length > 0 && r.interfaces.includes("contactless")) return Promise.resolve("contactless");
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish("timeout"), r.timeoutMs);
      const finish = (v: CardInterface | "cancelled" | "timeout") => {
        if (this.cardWait !== wait) return;
        clearTimeout(timer);
        this.cardWait = null;
        this.keypad.onKey(null);
        resolve(v);
      };
      const wait: CardWait = { interfaces: r.interfaces, resolve: finish };
      this.cardWait = wait;
      // The red key cancels while the reader waits for a card (ISO 9564-1, 5.2).
      this.keypad.onKey((key) => { if (key === "cancel") finish("cancelled"); });
      r.onCancel(() => finish("cancelled"));
    });
  }

  async pay(request: PaymentRequest, hooks: PaymentHooks): Promise<PaymentResult> {
    const firmware = this.firmware;
    if (firmware === null) return { outcome: "end-application", cvm: "none", reason: "power: the reader is off" };
    this.hooks = hooks;
    if (this.transaction) this.transaction = { ...this.transaction, phase: "processing", cardInterface: request.interface };
    this.changed();
    this.log("reader", `${request.interface} payment started on the firmware (${this.options.engine})`);
    try {
      const answer = await firmware.command({ op: "pay", request });
      this.meter = answer.meter;
      return answer.value as PaymentResult;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const why = !this.rail.powered ? "power: the reader lost power" : `firmware: ${typeof code === "string" ? code : "error"}`;
      this.log("reader", `payment ended: ${why}`);
      return { outcome: "end-application", cvm: "none", reason: why };
    } finally {
      this.hooks = null;
    }
  }

  /** Called by the phone engine for every prompt and PIN digit count (never a digit). */
  progress(event: Parameters<PaymentHooks["progress"]>[0]): void {
    this.hooks?.progress(event);
  }

  pinEntry(active: boolean): void {
    this.pinDigits = active ? 0 : -1;
    if (active) this.log("reader", "PIN entry on the keypad");
    this.changed();
  }

  finish(outcome: TransactionOutcome): void {
    const shown = outcome.result === "approved" ? "APPROVED" : outcome.result === "declined" ? "DECLINED" : outcome.result === "cancelled" ? "CANCELLED" : "NOT COMPLETED";
    if (this.transaction) {
      this.transaction = { ...this.transaction, phase: "done", result: outcome.result };
      if (outcome.reason) this.transaction.reason = outcome.reason;
      if (outcome.maskedPan) this.transaction.maskedPan = outcome.maskedPan;
    }
    this.log("reader", `outcome ${outcome.result}${outcome.reason ? ` (${outcome.reason})` : ""}${outcome.maskedPan ? `, card ${outcome.maskedPan}` : ""}`);
    if (this.fieldCards.length > 0) {
      // The cardholder takes the card or phone away after the tap.
      void this.field.clear();
      this.fieldCards = [];
    }
    if (this.rail.powered) {
      this.display.show(this.slotCard !== null ? [shown, "REMOVE CARD"] : [shown]);
      if (outcome.result === "approved" && outcome.cardInterface === "contactless") this.indicators.setLights([true, true, true, true], false);
    }
    this.changed();
    this.idleTimer = setTimeout(() => this.idle(), OUTCOME_HOLD_MS);
    this.idleTimer.unref?.();
  }

  abandonKeypad(): void {
    this.cardholder.abandon();
  }

  async deviceInfo(): Promise<Omit<DeviceInfo, "protocolVersions">> {
    const fleet = this.requireLink().fleet;
    return { model: fleet.readerModel, serial: fleet.readerSerial, firmwareVersion: "0.1.0", configurationVersion: 0, keys: this.keyInfo };
  }

  async status(): Promise<Omit<DeviceStatus, "transactionActive">> {
    const cardPresent: CardInterface[] = [];
    if (this.slotCard !== null) cardPresent.push("contact");
    if (this.fieldCards.length > 0) cardPresent.push("contactless");
    const s = this.state();
    return { batteryPercent: this.battery.percent, charging: this.battery.charging, cardPresent, tampered: s.tampered, keysLoaded: this.report?.keys === "ready", timeSet: false };
  }

  // --- The page's hands: keys, cards, faults ---

  press(key: unknown): void {
    if (!isKey(key)) throw new InputError("key", "key must be 0-9, enter, clear or cancel");
    if (!this.rail.powered) return;
    if (this.pinDigits >= 0) {
      // PIN progress for the phone (docs/protocol.md "pin-entry"): the count, never the digit.
      const before = this.pinDigits;
      if (key === "clear") this.pinDigits = 0;
      else if (key.length === 1 && this.pinDigits < MAX_PIN_DIGITS) this.pinDigits++;
      if (this.pinDigits !== before) this.progress({ kind: "pin-entry", digits: this.pinDigits });
    }
    this.keypad.press(key as Key);
  }

  private cardName(id: string): string {
    const c = this.wallet.find(id);
    return c ? `${c.label} ${c.maskedPan}` : id;
  }

  insert(id: string): void {
    const applet = this.wallet.applet(id);
    if (this.slotCard !== null) throw new InputError("slot-occupied", "a card is already in the slot: remove it first");
    this.slot.insert(applet);
    this.slotCard = id;
    this.log("card", `inserted ${this.cardName(id)}`);
    const w = this.cardWait;
    if (w && w.interfaces.includes("contact")) w.resolve("contact");
    this.changed();
  }

  removeCard(): void {
    if (this.slotCard === null) return;
    this.slot.remove();
    this.log("card", `removed ${this.cardName(this.slotCard)} from the slot`);
    this.slotCard = null;
    if (!this.hooks && this.transaction?.phase === "done") this.idle();
    this.changed();
  }

  swipe(id: string): void {
    const stripe = this.wallet.stripe(id);
    if (!stripe) throw new InputError("no-stripe", "this card has no magnetic stripe");
    const w = this.cardWait;
    if (!w || !w.interfaces.includes("magstripe")) {
      // An unarmed head reads nothing: the swipe is lost (as on the device between payments).
      this.log("card", `swiped ${this.cardName(id)}: the reader was not waiting for a card`);
      return;
    }
    this.head.swipe({ track1: stripe.track1, track2: stripe.track2 }, SWIPE);
    this.log("card", `swiped ${this.cardName(id)}`);
    w.resolve("magstripe");
  }

  async tap(id: string): Promise<void> {
    const picc = this.wallet.picc(id);
    if (!picc) throw new InputError("no-contactless", "this card has no contactless interface");
    const ids = [id];
    if (this.rfCollision) {
      // Two cards in the field at once (EMV Contactless Book A, 8: "present one card only").
      const other = this.wallet.list().find((c) => c.id !== id && c.interfaces.includes("contactless"));
      if (other) ids.push(other.id);
      this.rfCollision = false;
      this.log("fault", `RF collision: ${ids.length} cards in the field at once`);
    }
    await this.field.hold(ids.map((x) => this.wallet.picc(x)!));
    this.fieldCards = ids;
    this.log("card", `tapped ${ids.map((x) => this.cardName(x)).join(" and ")}`);
    const w = this.cardWait;
    if (w && w.interfaces.includes("contactless")) w.resolve("contactless");
    this.changed();
  }

  async takeAway(): Promise<void> {
    if (this.fieldCards.length === 0) return;
    await this.field.clear();
    this.log("card", "card taken away from the field");
    this.fieldCards = [];
    this.changed();
  }

  addCustomCard(request: Parameters<Wallet["addCustom"]>[0]): WalletCard {
    const card = this.wallet.addCustom(request);
    this.log("card", `custom card made: ${card.label} ${card.maskedPan} (from ${request.base})`);
    return card;
  }

  async fault(kind: FaultKind): Promise<void> {
    switch (kind) {
      case "card-removal":
        this.log("fault", "the cardholder pulls the card out");
        this.removeCard();
        await this.takeAway();
        break;
      case "power-loss":
        await this.powerOff("power loss");
        break;
      case "power-on":
        await this.powerOn();
        break;
      case "tamper":
        this.log("fault", "the enclosure is opened: tamper sensors tripped");
        this.tamper.trip("enclosure");
        // The firmware's tamper response erases the keys at once (kernel/security/tamper.ts).
        if (this.report) this.report = { ...this.report, keys: "tampered", inService: false };
        if (!this.hooks && !this.cardWait) this.idle();
        break;
      case "recommission":
        // At the secure facility: new keys injected, the tamper latch re-armed, the reader restarted.
        await this.powerOff("re-commissioning");
        await this.tamper.rearm();
        await this.storage.eraseAll();
        await this.provision();
        this.log("fault", "re-commissioned: new keys injected, tamper latch re-armed");
        await this.powerOn();
        break;
      case "low-battery":
        this.battery = { percent: 4, charging: false };
        this.log("fault", "battery at 4 %, on battery");
        this.idle();
        break;
      case "charge":
        this.battery = { percent: 100, charging: true };
        this.log("fault", "charger connected");
        this.idle();
        break;
      case "rf-collision":
        this.rfCollision = !this.rfCollision;
        this.log("fault", this.rfCollision ? "the next tap brings two cards into the field" : "RF collision disarmed");
        break;
    }
    this.changed();
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.rail.powerOff();
    this.cardholder.abandon();
    this.cardWait?.resolve("cancelled");
    const firmware = this.firmware;
    this.firmware = null;
    if (firmware) await firmware.close();
    if (this.link) await this.link.close();
    this.listeners.clear();
  }
}
