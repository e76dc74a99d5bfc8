import { isKey, type Key } from "../../hal/keypad";
import { InputError } from "../../kernel/errors";
import type { CardInterface } from "../../kernel/protocol";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { loadFleet } from "../fleet/fleet";
import { SimulatedBattery } from "../hardware/battery";
import { VirtualKeypad } from "../hardware/keypad";
import contactlessConfigJson from "../picc/contactless-config.json";
import { hostClock, hostRandom } from "../reader/sim-reader";
import terminalConfigJson from "../sim/terminal-config.json";
import { startReaderDevice, type ReaderDevice } from "../xs-bridge/reader-device";
import type { ReaderHardware } from "../xs-bridge/firmware-hal-server";
import { bootSimulatedReader, factoryReader, simulatedReaderOta, type ReaderStorages } from "../xs-bridge/reader-factory";
import type { EngineName } from "../xs-engine/kernel-engine";
import { IssuerDesk } from "./issuer-desk";
import { PageContactSlot, PageDisplay, PageField, PageIndicators, PageMagstripeHead, PageTamperSwitch } from "./page-hardware";
import { PageRadio } from "./page-radio";
import { PowerRail } from "./power-gate";
import { ReaderActivity } from "./reader-activity";
import type { FaultKind, LogEntry, SessionEvent, SessionState, SimSessionOptions } from "./session-state";
import { Wallet, type WalletCard } from "./wallet";

export { FAULT_KINDS, type FaultKind, type LogEntry, type SessionEvent, type SessionState, type SimSessionOptions, type TransactionView } from "./session-state";

// The simulator session behind the web page (issues 10 and 11): the reader's own firmware
// (firmware/app/firmware-boot.ts, as the ESP32 starts it) powered up by startReaderDevice on the
// XS engine (or in-process on Node) over the page's hardware - display, lights and beeper, keypad,
// contact slot, NFC field, magnetic head, tamper switch, battery, the storages the "factory" wrote
// - with the GATT bridge as its BLE peripheral. The page's demo phone app and any phone SDK pay the
// firmware itself over the bridge; what the reader shows is what the firmware shows. The page's
// hands move cards and cause faults as hardware events: a power cut closes the device and keeps
// its storages, power on starts a new device over them (the log's recovery and held outcomes then
// reach the phone). No log line carries a PAN (masked only), track data or a PIN digit.

const LOG_KEEP = 200;
/** 2025-06-15 12:00:00 UTC, the simulated image's build time: the payments' date until a phone sets the clock. */
const BUILD_EPOCH_SECONDS = Date.UTC(2025, 5, 15, 12, 0, 0) / 1000;
/** The installed configuration the simulated reader leaves the factory with (host-sim/xs-bridge/reader-factory.ts). */
const READER_CONFIG = { terminal: terminalConfigJson, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE, contactless: contactlessConfigJson };
/** The terminal's currency (host-sim/sim/terminal-config.json: ISO 4217 840). */
const CURRENCY = "USD";

export class SimSession {
  readonly wallet = new Wallet();
  readonly desk: IssuerDesk;
  private readonly fleet = loadFleet();
  private readonly rail = new PowerRail();
  private readonly display: PageDisplay;
  private readonly indicators: PageIndicators;
  private readonly keypad = new VirtualKeypad();
  private readonly slot = new PageContactSlot();
  private readonly head = new PageMagstripeHead();
  private readonly field = new PageField();
  private readonly tamper = new PageTamperSwitch();
  private readonly battery = new SimulatedBattery({ percent: 100, charging: true });
  /** The OTA flash: the firmware images outlive power cuts, restarts and re-commissioning (issue 13). */
  private readonly ota = simulatedReaderOta();
  private readonly activity: ReaderActivity;
  private readonly listeners = new Set<(e: SessionEvent) => void>();
  private readonly logs: LogEntry[] = [];
  private radio: PageRadio | null = null;
  private storages: ReaderStorages | null = null;
  private device: ReaderDevice | null = null;
  private booting = false;
  private slotCard: string | null = null;
  private fieldCards: string[] = [];
  private rfCollision = false;
  private statePending = false;

  private constructor(private readonly options: SimSessionOptions) {
    this.activity = new ReaderActivity(CURRENCY, (text) => this.log("reader", text));
    this.display = new PageDisplay((lines) => {
      this.activity.screenShown(lines);
      this.changed();
    });
    this.indicators = new PageIndicators(() => {
      const payment = this.activity.lightsSet(this.indicators.lights, this.indicators.flashFirst);
      // The page shows the XS meter of the last payment.
      if (payment === "began") this.device?.resetMeter();
      else if (payment === "ended") this.paymentEnded();
      this.changed();
    }, (tone) => this.emit({ type: "beep", tone }));
    this.desk = new IssuerDesk((entry) => {
      this.log("issuer", `${entry.maskedPan ?? "no card"}: ARC ${entry.decision.arc} ${entry.decision.approved ? "approved" : "declined"} (${entry.decision.reason})` +
        `${entry.decision.decryptedByHost ? ", envelope decrypted" : ""}`);
      this.emit({ type: "issuer", entry });
    });
  }

  /** Writes the reader's storages as the factory does, opens its radio (the GATT bridge) and powers it up. */
  static async start(options: SimSessionOptions): Promise<SimSession> {
    const s = new SimSession(options);
    try {
      s.storages = (await factoryReader(hostRandom, READER_CONFIG, s.fleet)).storages;
      s.radio = await PageRadio.open(options.blePort ?? 0, () => s.changed());
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
    return this.fleet.fleetCaPublicKey;
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
      if (this.radio !== null) this.emit({ type: "state", state: this.state() });
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
    const radio = this.radio;
    if (radio === null) throw new Error("sim session: not started");
    const started = this.device?.started ?? null;
    const running = started?.kind === "running";
    return {
      engine: this.options.engine,
      powered: this.rail.powered,
      booting: this.booting,
      display: this.display.current(),
      lights: [...this.indicators.lights] as SessionState["lights"],
      flashFirst: this.indicators.flashFirst,
      battery: { percent: Math.round(this.battery.percent), charging: this.battery.pluggedIn },
      ble: { ...radio.state(), url: radio.url },
      tampered: this.tamper.tripped,
      inService: running && !this.tamper.tripped,
      selfTest: started?.selfTest ? { passed: started.selfTest.passed, failed: started.selfTest.failed } : null,
      keys: started === null ? "unknown" : this.tamper.tripped ? "tampered" : running ? "ready" : started.kind,
      slot: this.slotCard,
      field: this.fieldCards.slice(),
      rfCollisionArmed: this.rfCollision,
      transaction: this.activity.transaction,
      pinEntry: this.activity.pinEntry,
      meter: this.device?.meter() ?? null,
    };
  }

  // --- Power ---

  /** The hardware as boot `boot` sees it: dead once that boot's power is gone (power-gate.ts); the radio outlives it. */
  private hardware(boot: number, storages: ReaderStorages, radio: PageRadio): ReaderHardware {
    const g = <T extends object>(device: T, what: string): T => this.rail.gate(device, boot, what);
    return {
      random: g(hostRandom, "random"), clock: g(hostClock, "clock"),
      keyStorage: g(storages.keyStorage, "key storage"), journalStorage: g(storages.journalStorage, "log storage"),
      configStorage: g(storages.configStorage, "configuration storage"), identityStorage: g(storages.identityStorage, "identity storage"),
      keypad: g(this.keypad, "keypad"), display: g(this.display, "display"), indicators: g(this.indicators, "lights"), ble: radio,
      contactSlot: g(this.slot, "contact slot"), magstripeHead: g(this.head, "magnetic head"), nfc: g(this.field, "NFC front end"),
      tamper: g(this.tamper, "tamper sensors"), battery: g(this.battery, "battery gauge"), ota: g(this.ota, "OTA flash"),
    };
  }

  private async powerOn(): Promise<void> {
    const { radio, storages } = this;
    if (this.rail.powered || this.booting || radio === null || storages === null) return;
    this.booting = true;
    const boot = this.rail.powerOn();
    this.changed();
    this.log("reader", `power on: the reader firmware boots on ${this.options.engine === "xs" ? "the XS engine" : "Node"}`);
    try {
      const device = await startReaderDevice({
        engine: this.options.engine, hardware: this.hardware(boot, storages, radio), build: await bootSimulatedReader(this.ota, this.fleet, BUILD_EPOCH_SECONDS),
        onLog: (line) => this.log("reader", line),
        // A REBOOT request or a firmware install: the reader restarts over the same storages.
        onRestart: () => { if (this.rail.alive(boot)) void this.powerCycle("the firmware restarts"); },
      });
      if (!this.rail.alive(boot)) {
        await device.close();
        return;
      }
      this.device = device;
      const s = device.started;
      this.log("reader", `started: ${s.kind}${s.selfTest ? `, self-tests ${s.selfTest.passed} passed, ${s.selfTest.failed} failed` : ""}`);
      // A trial image that failed its self-tests marked itself invalid: the bootloader runs the other one.
      if (s.kind === "rolled-back") void this.powerCycle("the new firmware failed its first boot");
    } finally {
      this.booting = false;
      this.changed();
    }
  }

  /** The power goes: the firmware stops where it is, its hardware with it; storages, cards and the cell stay. */
  private async powerOff(why: string): Promise<void> {
    if (!this.rail.powered) return;
    this.rail.powerOff();
    const device = this.device;
    this.device = null;
    this.keypad.onKey(null);
    this.head.cancel();
    this.log("fault", `power lost (${why})`);
    if (device) await device.close();
    this.radio?.stop();
    this.display.show([]);
    this.indicators.setLights([false, false, false, false], false);
    this.activity.reset();
    this.changed();
  }

  private async powerCycle(why: string): Promise<void> {
    await this.powerOff(why);
    await this.powerOn();
  }

  /** The firmware went back to idle after a payment: the cardholder takes a tapped card or phone away. */
  private paymentEnded(): void {
    const t = this.activity.transaction;
    if (t) this.log("reader", `payment ${t.amount}: the reader shows ${t.result ?? "-"}`);
    if (this.fieldCards.length > 0) void this.takeAway();
  }

  // --- The page's hands: keys, cards, faults ---

  press(key: unknown): void {
    if (!isKey(key)) throw new InputError("key", "key must be 0-9, enter, clear or cancel");
    if (this.rail.powered) this.keypad.press(key as Key);
  }

  private cardName(id: string): string {
    const c = this.wallet.find(id);
    return c ? `${c.label} ${c.maskedPan}` : id;
  }

  private presented(cardInterface: CardInterface): void {
    this.activity.cardPresented(cardInterface);
    this.changed();
  }

  insert(id: string): void {
    const applet = this.wallet.applet(id);
    if (this.slotCard !== null) throw new InputError("slot-occupied", "a card is already in the slot: remove it first");
    this.slot.insert(applet);
    this.slotCard = id;
    this.log("card", `inserted ${this.cardName(id)}`);
    this.presented("contact");
  }

  removeCard(): void {
    if (this.slotCard === null) return;
    this.slot.remove();
    this.log("card", `removed ${this.cardName(this.slotCard)} from the slot`);
    this.slotCard = null;
    this.changed();
  }

  swipe(id: string): void {
    const stripe = this.wallet.stripe(id);
    if (!stripe) throw new InputError("no-stripe", "this card has no magnetic stripe");
    if (!this.head.swipe({ track1: stripe.track1, track2: stripe.track2 })) {
      // An unarmed head reads nothing: the swipe is lost (as on the device between payments).
      this.log("card", `swiped ${this.cardName(id)}: the reader was not waiting for a card`);
      return;
    }
    this.log("card", `swiped ${this.cardName(id)}`);
    this.presented("magstripe");
  }

  async tap(id: string): Promise<void> {
    if (!this.wallet.picc(id)) throw new InputError("no-contactless", "this card has no contactless interface");
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
    this.presented("contactless");
  }

  async takeAway(): Promise<void> {
    if (this.fieldCards.length === 0) return;
    this.fieldCards = [];
    await this.field.clear();
    this.log("card", "card taken away from the field");
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
        // The firmware's tamper response erases the keys at once (kernel/security/tamper.ts).
        this.log("fault", "the enclosure is opened: tamper sensors tripped");
        this.tamper.trip("enclosure");
        break;
      case "recommission":
        // At the secure facility: the storages written anew (new keys, identity, configuration), the latch re-armed.
        await this.powerOff("re-commissioning");
        await this.tamper.rearm();
        this.storages = (await factoryReader(hostRandom, READER_CONFIG, this.fleet)).storages;
        this.log("fault", "re-commissioned: new keys injected, tamper latch re-armed");
        await this.powerOn();
        break;
      case "low-battery":
        this.battery.setCharging(false);
        this.battery.percent = 4;
        this.log("fault", "battery at 4 %, on battery");
        break;
      case "charge":
        // The cell charges from where it is: a reader on its charger takes payments at any charge.
        this.battery.setCharging(true);
        this.log("fault", "charger connected");
        break;
      case "rf-collision":
        this.rfCollision = !this.rfCollision;
        this.log("fault", this.rfCollision ? "the next tap brings two cards into the field" : "RF collision disarmed");
        break;
    }
    this.changed();
  }

  async close(): Promise<void> {
    this.rail.powerOff();
    this.keypad.onKey(null);
    this.head.cancel();
    const device = this.device;
    this.device = null;
    if (device) await device.close();
    const radio = this.radio;
    this.radio = null;
    if (radio) await radio.close();
    this.listeners.clear();
  }
}
