import { MemoryCredentialStore, ReaderClient, type HeldOutcomeRecord, type ReaderTransaction } from "../../client";
import type { GattTransport } from "../../client/gatt-transport";
import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { MposError } from "../../kernel/errors";
import type { AuthorisationData, CardInterface, Prompt, TransactionOutcome } from "../../kernel/protocol";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { loadFleet, type SimulatedFleet } from "../fleet/fleet";
import type { SimulatedOta } from "../flash/simulated-ota";
import { LoopbackPeripheral, type FrameTap, type LoopbackTransport } from "../gatt/loopback";
import { VirtualDisplay } from "../hardware/display";
import { VirtualIndicators } from "../hardware/indicators";
import { VirtualKeypad } from "../hardware/keypad";
import type { SimulatedHsm } from "../hsm/hsm";
import type { IssuerHost } from "../issuer";
import contactlessConfigJson from "../picc/contactless-config.json";
import { issuerWithWallets } from "../picc/run-contactless";
import { authorizationRequest, onlineAnswer } from "../reader/acquirer";
import { terminalConfigJsonFor } from "../sim/run-settings";
import { SeededRandom } from "../sim/seeded-random";
import type { EngineName } from "../xs-engine/kernel-engine";
import { IdleTime } from "./idle-time";
import type { ReaderHardware } from "./firmware-hal-server";
import { startReaderDevice, type ReaderDevice } from "./reader-device";
import { bootSimulatedReader, factoryReader, simulatedReaderOta } from "./reader-factory";
import { RunField, RunHead, RunSlot } from "./run-hardware";

// The device's firmware (host-sim/xs-bridge/reader-device.ts) with a scripted phone: a reader
// fresh from the factory (reader-factory.ts) powered up on either engine over card interfaces that
// take a new card for each payment (run-hardware.ts), on modeled time (idle-time.ts), and a phone -
// the client SDK over the in-memory GATT loopback - that pairs once (the passkey and the pairing
// code read off the reader's display) and then pays as many times as asked: START-TRANSACTION, the
// authorization relayed to the simulated issuer (host-sim/issuer, host-sim/reader/acquirer.ts),
// the cardholder's part on the reader's own keypad. The XS meter is reset after pairing: a payment's
// figures are its own. What the phone learns is all a run reports of the reader. The reader has
// its OTA flash (reader-factory.ts): a firmware update from the phone restarts it for real - the
// device closed, the bootloader run, a new device powered up over the same storages and flash -
// and the phone finds it again when it advertises.

/** 2025-06-15 12:00:00 UTC, the simulated build's time (the payment's date comes from SET-TIME). */
const BUILD_EPOCH_SECONDS = Date.UTC(2025, 5, 15, 12, 0, 0) / 1000;
/** The phone's patience for one request: the XS engine computes a P-256 pairing slowly on a laptop. */
const REQUEST_TIMEOUT_MS = 600_000;
/** Power-ups in a row a restart may take: a trial image that fails its self-tests rolls back and boots again. */
const MAX_BOOTS = 3;
/** Turns of the host's event loop a phone's scan waits for a restarting reader to be powered up. */
const MAX_SCAN_TURNS = 100;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The phone's radio across the reader's restarts: a connection attempt while the reader is off
 * scans until it advertises again (as a central's scan does), then connects with the same bonded
 * transport; everything else is the transport's own.
 */
function scanningTransport(t: LoopbackTransport, poweredUp: () => Promise<void>): GattTransport {
  return {
    connect: async (options) => {
      for (let turns = 0; ; turns++) {
        await poweredUp();
        try {
          return await t.connect(options);
        } catch (e) {
          if (!(e instanceof MposError) || e.code !== "ble-not-advertising" || turns >= MAX_SCAN_TURNS) throw e;
          await nextTurn();
        }
      }
    },
    readDeviceInformation: () => t.readDeviceInformation(),
    secureLink: () => t.secureLink(),
    subscribe: (onFrame) => t.subscribe(onFrame),
    write: (frame, withResponse) => t.write(frame, withResponse),
    onDisconnect: (listener) => t.onDisconnect(listener),
    disconnect: () => t.disconnect(),
  };
}

/** The simulated panel, with a wait for a code the reader shows (BLE passkey, pairing code). */
export class PairingDisplay extends VirtualDisplay {
  private waiters: { title: string; resolve(code: string): void }[] = [];

  override show(lines: readonly string[]): void {
    super.show(lines);
    const [title, code] = lines;
    if (code === undefined) return;
    for (const w of this.waiters.filter((x) => x.title === title)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(code);
    }
  }

  nextCode(title: "BLE PASSKEY" | "PAIRING CODE"): Promise<string> {
    const now = this.current();
    if (now[0] === title && now[1] !== undefined) return Promise.resolve(now[1]);
    return new Promise((resolve) => this.waiters.push({ title, resolve }));
  }
}

export interface PhoneRigOptions {
  engine: EngineName;
  /** ISO 4217 alphabetic code of the terminal's currency (default USD). */
  currency?: string;
  /** Collect garbage at every crank for the live heap (XS). */
  measureHeap?: boolean;
  /** Seed of the reader's and the phone's random numbers (default 1). */
  seed?: number;
  onLog?(line: string): void;
  /** Sees every BLE frame on the air, both ways (the soak's leak check). */
  tap?: FrameTap;
  /** An outcome the reader held that the phone never had, collected when it connects (client SDK). */
  onMissedOutcome?(record: HeldOutcomeRecord): void;
}

/** What the phone asks for. */
export interface PhonePaymentRequest {
  amount: number;
  cardInterface: CardInterface;
  /** The payment's date and time, set on the reader's clock first (SET-TIME). */
  epochSeconds: number;
  /** The cardholder's or the phone's part at each prompt (type a PIN, take the card, cancel). */
  onPrompt?(prompt: Prompt, tx: ReaderTransaction): void | Promise<void>;
}

/** What the phone learned of one payment. */
export interface PhonePayment {
  /** START-TRANSACTION's id, the one the reader logs the payment under. */
  transactionId: number;
  outcome: TransactionOutcome;
  /** The online request it relayed to the issuer, if the reader went online. */
  authorisation?: AuthorisationData;
  prompts: Prompt[];
}

export class PhoneRig {
  readonly slot = new RunSlot();
  readonly head = new RunHead();
  readonly field = new RunField();
  readonly keypad = new VirtualKeypad();
  readonly display = new PairingDisplay();
  readonly indicators = new VirtualIndicators();
  readonly clock = new IdleTime();
  readonly issuer: IssuerHost = issuerWithWallets();
  /** The reader's OTA flash: it outlives the reader's restarts, as the ESP32's flash does. */
  readonly ota: SimulatedOta = simulatedReaderOta();
  /** ISO 4217 numeric code of the reader's currency. */
  readonly currency: number;
  private device!: ReaderDevice;
  private phone!: ReaderClient;
  private hardware!: ReaderHardware;
  /** Settles once the reader is powered up again after the restart under way; null when none is. */
  private restarting: Promise<void> | null = null;

  private constructor(private readonly options: PhoneRigOptions, readonly hsm: SimulatedHsm, private readonly fleet: SimulatedFleet) {
    this.currency = Number(terminalConfigJsonFor(options.currency).currencyCode);
  }

  /** A factory-fresh reader on `options.engine`, and a phone paired with it. */
  static async start(options: PhoneRigOptions): Promise<PhoneRig> {
    const seed = (options.seed ?? 1).toString(16).padStart(8, "0");
    const random = new SeededRandom(softwareCrypto, fromHex(`${seed}0D`));
    const fleet = loadFleet();
    const config = {
      terminal: terminalConfigJsonFor(options.currency), capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE,
      contactless: JSON.parse(JSON.stringify(contactlessConfigJson)),
    };
    const { storages, hsm } = await factoryReader(random, config, fleet);
    const rig = new PhoneRig(options, hsm, fleet);
    const peripheral = new LoopbackPeripheral(options.tap === undefined ? { random } : { random, tap: options.tap });
    rig.hardware = {
      random, clock: rig.clock, ...storages, keypad: rig.keypad, display: rig.display, indicators: rig.indicators, ble: peripheral,
      contactSlot: rig.slot, magstripeHead: rig.head, nfc: rig.field, ota: rig.ota,
    };
    rig.device = await rig.powerUp();
    try {
      if (rig.device.started.kind !== "running") throw new MposError("out-of-service", `the reader firmware did not start (${rig.device.started.kind})`);
      const radio = peripheral.transport(() => rig.display.nextCode("BLE PASSKEY"));
      rig.phone = new ReaderClient({
        transport: scanningTransport(radio, () => rig.poweredUp()),
        credentials: new MemoryCredentialStore(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
        fleetCaPublicKey: fleet.fleetCaPublicKey, random, preferredMtu: 247, requestTimeoutMs: REQUEST_TIMEOUT_MS,
        onMissedOutcome: options.onMissedOutcome,
      });
      await rig.run(rig.pair());
      rig.device.resetMeter();
    } catch (e) {
      await rig.device.close();
      throw e;
    }
    return rig;
  }

  /**
   * Powers the reader up: the bootloader chooses the image (reader-factory.ts), the firmware starts
   * on it and confirms a trial image, or refuses it and the reader boots again into the other one.
   */
  private async powerUp(): Promise<ReaderDevice> {
    for (let boots = 0; boots < MAX_BOOTS; boots++) {
      const device = await startReaderDevice({
        engine: this.options.engine, build: await bootSimulatedReader(this.ota, this.fleet, BUILD_EPOCH_SECONDS),
        measureHeap: this.options.measureHeap === true, onLog: this.options.onLog, hardware: this.hardware,
        onRestart: () => this.restart(),
      });
      if (device.started.kind !== "rolled-back") return device;
      await device.close();
    }
    throw new MposError("out-of-service", `the reader rolled back ${MAX_BOOTS} times in a row`);
  }

  /** The firmware restarts (a firmware install, a REBOOT request): once its last crank ended, a power cycle over the same storages and flash. */
  private restart(): void {
    const old = this.device;
    const restarting = old.whenIdle().then(() => old.close()).then(() => this.powerUp()).then((device) => {
      this.device = device;
      if (this.restarting === restarting) this.restarting = null;
    });
    this.restarting = restarting;
    // Whoever waits on the reader (the phone's scan, the modeled time) hears a failed power-up.
    restarting.catch(() => undefined);
  }

  /** Resolves once no restart is under way (rejects when the reader failed to power up again). */
  private poweredUp(): Promise<void> {
    return this.restarting ?? Promise.resolve();
  }

  private async pair(): Promise<void> {
    await this.phone.connect();
    await this.phone.pair({ phoneName: "sim phone", code: () => this.display.nextCode("PAIRING CODE") });
  }

  get engine(): EngineName {
    return this.options.engine;
  }

  get reader(): ReaderDevice {
    return this.device;
  }

  get client(): ReaderClient {
    return this.phone;
  }

  /** Runs `work` on the simulation's modeled time (the clock moves when everything waits, a restart included). */
  run<T>(work: Promise<T>): Promise<T> {
    // The engine's own idle promise when no restart is under way: IdleTime checks it within two microtasks.
    return this.clock.runUntil(work, () => this.restarting === null ? this.device.whenIdle() : this.restarting.then(() => this.device.whenIdle(), () => undefined));
  }

  /** The phone walks away and comes back: a new connection, authenticated with its bond; the SDK collects held outcomes. */
  reconnect(): Promise<void> {
    return this.run(this.phone.disconnect().then(() => this.phone.connect()).then(() => undefined));
  }

  /** One payment from the phone, to its outcome. */
  pay(request: PhonePaymentRequest): Promise<PhonePayment> {
    return this.run(this.payNow(request));
  }

  private async payNow(request: PhonePaymentRequest): Promise<PhonePayment> {
    await this.phone.setTime(request.epochSeconds);
    let authorisation: AuthorisationData | undefined;
    const tx = await this.phone.startTransaction(
      { amount: request.amount, currency: this.currency, transactionType: "purchase", interfaces: [request.cardInterface] },
      {
        authorise: async (data) => {
          authorisation = data;
          const answer = onlineAnswer(await this.issuer.authorize(authorizationRequest(data)));
          return answer;
        },
      },
    );
    const prompts: Prompt[] = [];
    for await (const e of tx.events) {
      if (e.kind !== "prompt") continue;
      prompts.push(e.prompt);
      if (request.onPrompt) await request.onPrompt(e.prompt, tx);
    }
    const outcome = await tx.outcome;
    const paid: PhonePayment = { transactionId: tx.id, outcome, prompts };
    if (authorisation !== undefined) paid.authorisation = authorisation;
    return paid;
  }

  /** The phone disconnects and the reader powers off. */
  async close(): Promise<void> {
    try {
      await this.phone?.disconnect();
    } finally {
      await this.poweredUp().catch(() => undefined);
      await this.device.close();
    }
  }
}
