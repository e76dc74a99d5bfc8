import type { Battery } from "../../hal/battery";
import type { BlePeripheral } from "../../hal/ble-peripheral";
import type { Clock } from "../../hal/clock";
import type { ContactSlot } from "../../hal/contact-slot";
import type { Display } from "../../hal/display";
import type { Indicators } from "../../hal/indicators";
import type { Keypad } from "../../hal/keypad";
import type { MagstripeHead } from "../../hal/magstripe-head";
import type { NfcController } from "../../hal/nfc-controller";
import type { Ota } from "../../hal/ota";
import type { PowerControl } from "../../hal/power";
import type { RandomSource } from "../../hal/random";
import type { SecureStorage } from "../../hal/secure-storage";
import type { TamperMonitor } from "../../hal/tamper";
import { indicatorsFor } from "../../kernel/contactless/ui";
import type { CryptoProvider } from "../../kernel/crypto";
import { ActivityLock } from "../../kernel/firmware-update/activity-lock";
import { confirmBoot, type BootOutcome } from "../../kernel/firmware-update/boot-confirm";
import { createPcd } from "../../kernel/iso14443/pcd";
import {
  FirmwareUpdateEndpoint, ReaderService, type BondStore, type ReaderIdentity, type TrustedKey,
} from "../../kernel/protocol";
import { StoredBondStore, type BondStoreError } from "../../kernel/protocol/bond-store";
import { KeyStore } from "../../kernel/security/key-store";
import { TamperResponse } from "../../kernel/security/tamper";
import { powerOnSelfTests, runSelfTests, selfTestSummary, type SelfTestSummary } from "../../kernel/selftest";
import { PaymentReader, type ReadingEnvironment, type RecoveryReport, type TransactionConfig } from "../../kernel/transaction";
import { SettableRealTimeClock } from "./calendar";
import { ReaderPaymentEngine, type ConfigurationStore } from "./payment-engine";
import { ActiveConfiguration, loadOverInstalled, type InstalledFiles } from "./fleet-configuration";
import { MachineTimer } from "./machine-timer";
import { keypadWithActivity, PowerManager, type PowerPolicy } from "./power-manager";
import type { ReaderConfig } from "./reader-config";

// The reader firmware from power-on to a phone's payment, over any HAL (hal/esp32 on the device,
// the simulator's hardware on Node, hal/xs-bridge on the XS engine). The order is the rules' order:
// 1. the power-on self-tests (PCI PTS POI: every cryptographic function's known-answer test);
// 2. a new firmware image confirms itself with them, or the reader restarts into the previous one
//    (issue 13, kernel/firmware-update/boot-confirm.ts);
// 3. the key store opens over its own storage and the tamper response is armed (a tamper latched
//    while the reader was off erases the keys now, PCI PTS POI A1);
// 4. the transaction log opens over a storage of its own (a tamper erase of the keys leaves it) and
//    settles a transaction a power loss interrupted: an authorization that went out is queued for
//    reversal before anything else happens;
// 5. the payment application (kernel/transaction PaymentReader) starts over the log;
// 6. the reader service (kernel/protocol) serves the BLE peripheral with the factory identity, the
//    payment engine over the payment application, and the firmware update endpoint sharing one
//    ActivityLock with the payments (no update during a payment, no payment during an update).
// Between payments the card interfaces are powered down: the NFC field off, the contact slot
// deactivated, the display dimmed, the first status light flashing (EMV Contactless Book A, 9.2).

/** The hardware the firmware runs on, as the HAL's interfaces. */
export interface FirmwareHal {
  random: RandomSource;
  clock: Clock;
  /** The key store's records (keys and DUKPT counters); erased by a tamper response. */
  keyStorage: SecureStorage;
  /** The transaction log's records: its own namespace, apart from the keys. */
  journalStorage: SecureStorage;
  keypad: Keypad;
  display: Display & { dim?(dimmed: boolean): void };
  indicators: Indicators;
  ble: BlePeripheral;
  contactSlot?: ContactSlot;
  magstripeHead?: MagstripeHead;
  nfc?: NfcController;
  tamper?: TamperMonitor;
  ota?: Ota;
  /** The cell and its charger (absent: powered from USB only). */
  battery?: Battery;
  /** Sleep between payments and power off (absent: the reader never sleeps). */
  power?: PowerControl;
}

/**
 * Who the reader is, as written at the factory: on the device the identity key and its certificate
 * come from secure storage, in the simulator from host-sim/fleet.
 */
export interface FactoryIdentity {
  model: string;
  serial: string;
  identity: ReaderIdentity;
  /** The keys whose signature a configuration needs (the fleet configuration key). */
  trustedConfigurationKeys: readonly TrustedKey[];
}

export interface FirmwareOptions {
  hal: FirmwareHal;
  crypto: CryptoProvider;
  /** The installed EMV configuration (firmware/app/reader-config.ts). */
  config: ReaderConfig;
  transaction: TransactionConfig;
  /** Read once the keys are open (it may live in the same secure element). */
  identity(): Promise<FactoryIdentity>;
  firmwareVersion: string;
  /** Build time, seconds since 1970: the payments' date until the phone sets the clock. */
  buildEpochSeconds: number;
  /** The firmware signing public key (Ed25519) and the image's product; both needed with an OTA driver. */
  firmwareSigningKey?: Uint8Array;
  product?: string;
  hardwareRevision?: number;
  configurations: ConfigurationStore;
  /** The bonded phones; default: stored beside the keys (kernel/protocol/bond-store.ts), erased with them on tamper. */
  bonds?: BondStore;
  /** Where the passkey and pairing code are shown (default: the display). */
  showCode?(kind: "passkey" | "pairing", code: string | null): void;
  /** Restarts the reader (after a firmware install or a REBOOT request). */
  restart(): void;
  onlineTimeoutMs?: number;
  /**
   * The installed configuration files `config` was loaded from: a fleet configuration installed over
   * BLE is applied over them for the next payment. Absent: it is stored only. On the device, a
   * function that reads them again from storage when a fleet configuration comes, so that the
   * parsed files are not held in RAM for the reader's life (issue 10, item 5); null: unreadable.
   */
  configurationFiles?: InstalledFiles;
  /** Dim and sleep times, battery thresholds (firmware/app/power-manager.ts; defaults there). */
  powerPolicy?: Partial<PowerPolicy>;
  /**
   * A bug met while serving a phone (a request handler or the frame decoding threw,
   * kernel/protocol/reader-service.ts): the reader answers the phone and carries on; this reports it
   * (firmwareInternalErrorLine for the debug console).
   */
  onInternalError?(error: unknown): void;
}

/** A bug's line for the debug console: its type and code only, never its message (it may quote input). */
export function firmwareInternalErrorLine(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code = error !== null && typeof error === "object" && typeof (error as { code?: unknown }).code === "string" ? ` (${(error as { code: string }).code})` : "";
  return `mpos: internal error: ${name}${code}`;
}

export type FirmwareStart =
  | { kind: "rolled-back"; boot: BootOutcome }
  | { kind: "out-of-service"; boot: BootOutcome | null; selfTest: SelfTestSummary }
  | { kind: "running"; firmware: RunningFirmware };

export interface RunningFirmware {
  boot: BootOutcome | null;
  selfTest: SelfTestSummary;
  keys: KeyStore;
  reader: PaymentReader;
  /** The bonded phones the reader service serves. */
  bonds: BondStore;
  /** The stored bond list was unreadable at start-up (it was removed: phones pair again). */
  bondStoreProblem: BondStoreError | null;
  /** What the transaction log settled at start-up. */
  recovery: RecoveryReport;
  engine: ReaderPaymentEngine;
  service: ReaderService;
  update: FirmwareUpdateEndpoint | null;
  lock: ActivityLock;
  /** The power policy, where the reader has a battery or can sleep. */
  power: PowerManager | null;
  /** The fleet configuration as the running reader applies it, when configurationFiles were given. */
  configuration: ActiveConfiguration | null;
  /** Powers the card interfaces down and shows the idle screen. */
  idle(): Promise<void>;
  stop(): void;
}

/** What a reader whose keys a tamper response erased shows until it is serviced (PCI PTS POI A1, B1). */
const TAMPERED_SCREEN = ["OUT OF SERVICE", "TAMPERED"];

/** Book A, 9.2: idle is the first light flashing; the interfaces are off until a payment arms them. */
async function powerDown(hal: FirmwareHal, screen: string[] | null, dim: boolean): Promise<void> {
  const ind = indicatorsFor("idle");
  hal.indicators.setLights(ind.lights, ind.flashFirst);
  // After a payment its outcome stays on the (dimmed) screen; at start-up the reader greets.
  if (screen !== null) hal.display.show(screen);
  // With a power manager the display dims after its idle time instead.
  if (dim && hal.display.dim) hal.display.dim(true);
  if (hal.nfc) await hal.nfc.fieldOff();
  if (hal.contactSlot) await hal.contactSlot.deactivate();
}

export async function startReaderFirmware(o: FirmwareOptions): Promise<FirmwareStart> {
  const { hal, crypto } = o;
  // 1 and 2: the self-tests, run once; a trial image is confirmed or refused with their result.
  let selfTest: SelfTestSummary | null = null;
  const tests = (): SelfTestSummary => (selfTest ??= selfTestSummary(runSelfTests(crypto, powerOnSelfTests)));
  let boot: BootOutcome | null = null;
  if (hal.ota && o.firmwareSigningKey) {
    boot = await confirmBoot({ ota: hal.ota, publicKey: o.firmwareSigningKey, selfTest: () => tests().failedTests });
    if (boot.kind === "rolled-back") return { kind: "rolled-back", boot };
  }
  const report = tests();
  if (report.failed > 0) {
    hal.display.show(["OUT OF SERVICE"]);
    return { kind: "out-of-service", boot, selfTest: report };
  }

  // 3: the keys and the bonded phones beside them, then the tamper response over both.
  const keys = await KeyStore.open({ storage: hal.keyStorage, crypto, random: hal.random });
  let bonds: BondStore;
  let bondStoreProblem: BondStoreError | null = null;
  let storedBonds: StoredBondStore | null = null;
  if (o.bonds) bonds = o.bonds;
  else {
    const opened = await StoredBondStore.open({ storage: hal.keyStorage, crypto });
    bonds = storedBonds = opened.store;
    bondStoreProblem = opened.problem;
  }
  let reader: PaymentReader | null = null;
  if (hal.tamper) {
    const response = new TamperResponse({
      monitor: hal.tamper, keyStore: keys,
      onErased: () => {
        reader?.tampered();
        hal.display.show(TAMPERED_SCREEN);
      },
      ...(storedBonds !== null ? { zeroize: () => storedBonds?.erase() } : {}),
    });
    await response.start();
  }

  // 4 and 5: the log over its own storage (recovered in PaymentReader.start), the payment application.
  const rtc = new SettableRealTimeClock(() => hal.clock.nowMs());
  const lock = new ActivityLock();
  const factory = await o.identity();
  // Issue 10: the power policy where the reader has a battery or can sleep; a fleet configuration
  // takes effect for the next payment (fleet-configuration.ts) by replacing what `env` holds.
  const power = hal.battery || hal.power
    ? new PowerManager({ clock: hal.clock, display: hal.display, battery: hal.battery, power: hal.power, policy: o.powerPolicy }) : null;
  const env: ReadingEnvironment = {
    terminal: o.config.terminal, contactless: o.config.contactless ?? undefined, crypto, random: hal.random, clock: hal.clock, oda: o.config.oda, keys,
  };
  const files = o.configurationFiles;
  const configuration = files === undefined ? null : new ActiveConfiguration({
    stored: o.configurations, load: (fleet) => loadOverInstalled(crypto, files, fleet), inPayment: () => lock.current === "transaction",
    apply: (config) => {
      env.terminal = config.terminal;
      env.oda = config.oda;
      env.contactless = config.contactless ?? undefined;
      engine.useTerminal(config.terminal);
    },
  });
  const engine = new ReaderPaymentEngine({
    model: factory.model, serial: factory.serial, firmwareVersion: o.firmwareVersion, keys, terminal: o.config.terminal, rtc,
    defaultEpochSeconds: o.buildEpochSeconds, lock, slot: hal.contactSlot, configurations: configuration ?? o.configurations,
    reboot: async () => o.restart(),
    ...(power !== null ? {
      battery: () => power.level(),
      admit: () => { const a = power.admitPayment(); return a.admitted ? null : a.reason; },
    } : {}),
  });
  const pcd = hal.nfc ? createPcd({ controller: hal.nfc, clock: hal.clock }) : undefined;
  const started = await PaymentReader.start({
    config: o.transaction,
    env,
    device: {
      clock: hal.clock, keypad: power !== null ? keypadWithActivity(hal.keypad, () => power.activity()) : hal.keypad, display: hal.display, indicators: hal.indicators, rtc,
      slot: hal.contactSlot, head: hal.magstripeHead, pcd,
    },
    storage: hal.journalStorage,
    online: engine.online,
    observer: engine.observer,
  });
  reader = started;
  engine.attach(started);
  // The machine has no timers of its own (kernel/transaction/event-queue.ts): while it waits, the
  // HAL clock ends the wait at its deadline, one sleep at a time (machine-timer.ts).
  const timer = new MachineTimer(hal.clock, started.events);
  started.events.onIdle = ({ deadlineMs }) => timer.waitUntil(deadlineMs);
  if (keys.isTampered) started.tampered();
  const restScreen = (): string[] => (keys.isTampered ? TAMPERED_SCREEN : ["WELCOME"]);

  // 6: the firmware update endpoint, then the reader service on the BLE peripheral.
  let update: FirmwareUpdateEndpoint | null = null;
  if (hal.ota && o.firmwareSigningKey && o.product !== undefined) {
    update = new FirmwareUpdateEndpoint({
      ota: hal.ota, lock, publicKey: o.firmwareSigningKey, product: o.product, hardwareRevision: o.hardwareRevision ?? 0, restart: () => o.restart(),
    });
  }
  const show = o.showCode ?? ((kind: "passkey" | "pairing", code: string | null) => {
    if (code !== null) hal.display.show([kind === "passkey" ? "BLE PASSKEY" : "PAIRING CODE", code]);
    else hal.display.show(restScreen());
  });
  const service = new ReaderService({
    peripheral: hal.ble, engine, identity: factory.identity, bonds,
    trustedConfigurationKeys: factory.trustedConfigurationKeys, sha1: (d) => crypto.sha1(d), random: hal.random, clock: hal.clock,
    display: { showPasskey: (p) => show("passkey", p), showPairingCode: (c) => show("pairing", c) },
    onlineTimeoutMs: o.onlineTimeoutMs,
    ...(update !== null ? { firmwareUpdate: update } : {}),
    ...(o.onInternalError !== undefined ? { onInternalError: o.onInternalError } : {}),
  });
  await service.start();
  await powerDown(hal, restScreen(), power === null);
  const idle = () => powerDown(hal, restScreen(), power === null);
  engine.beforeTransaction = () => {
    if (hal.display.dim) hal.display.dim(false);
    power?.paymentStarted();
  };
  engine.afterTransaction = async () => {
    configuration?.paymentEnded();
    power?.paymentEnded();
    await powerDown(hal, keys.isTampered ? TAMPERED_SCREEN : null, power === null);
  };
  power?.run();
  return {
    kind: "running",
    firmware: {
      boot, selfTest: report, keys, reader: started, bonds, bondStoreProblem, recovery: started.recovery, engine, service, update, lock, power, configuration, idle,
      stop: () => {
        power?.stop();
        service.stop();
      },
    },
  };
}
