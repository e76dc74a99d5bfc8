import { randomFillSync } from "crypto";
import type { RandomSource } from "../../hal/random";
import { bootReaderFirmware } from "../../firmware/app/firmware-boot";
import { ActiveConfiguration, fleetConfigurationFiles, loadFleetConfiguration } from "../../firmware/app/fleet-configuration";
import type { ReaderConfigFiles } from "../../firmware/app/reader-config";
import { loadReaderConfig } from "../../firmware/app/reader-config";
import { startReaderFirmware, type RunningFirmware } from "../../firmware/app/reader-firmware";
import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { ConfigurationError, type ReaderConfiguration, type TransactionContext } from "../../kernel/protocol";
import { DEFAULT_TRANSACTION_CONFIG } from "../../kernel/transaction";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../../host-sim/cards";
import { loadFleet } from "../../host-sim/fleet/fleet";
import { LoopbackPeripheral } from "../../host-sim/gatt/loopback";
import { SimulatedBattery } from "../../host-sim/hardware/battery";
import { VirtualDisplay } from "../../host-sim/hardware/display";
import { VirtualIndicators } from "../../host-sim/hardware/indicators";
import { VirtualKeypad } from "../../host-sim/hardware/keypad";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { hostClock } from "../../host-sim/reader/sim-reader";
import { provisionReaderKeys } from "../../host-sim/sim/reader-keys";
import terminalConfigJson from "../../host-sim/sim/terminal-config.json";
import { factoryReader, simulatedReaderBuild, type ReaderStorages } from "../../host-sim/xs-bridge/reader-factory";

// Issue 10, item 3: a fleet configuration installed over BLE (verified by the reader service, then
// handed to the payment engine's ConfigurationStore) is checked against what the reader can run,
// stored, and used by the running reader for the next payment - no reboot; while a payment runs it
// waits for that payment's end. And item 2 in the running firmware: a low battery refuses a payment
// with the protocol's batteryLow, and the status message carries the battery level.

const random: RandomSource = { fill: (b) => { randomFillSync(b); } };
const fleet = loadFleet();
const FILES: ReaderConfigFiles = { terminal: terminalConfigJson, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE };
/** EUR (ISO 4217: 978) where the installed configuration has USD (840). */
const EURO: ReaderConfiguration = { version: 7, terminalData: [{ tag: "5F2A", value: fromHex("0978") }, { tag: "9F1A", value: fromHex("0250") }], aids: [], capks: [] };

function context(): TransactionContext {
  return { transactionId: 1, emit: () => undefined, authorise: async () => ({ result: "unable" }), cancelled: false, onCancel: () => undefined };
}

async function boot(battery?: SimulatedBattery): Promise<{ firmware: RunningFirmware; stored: ReaderConfiguration[]; display: VirtualDisplay }> {
  const keyStorage = new MemoryStorage();
  await provisionReaderKeys(softwareCrypto, random, keyStorage);
  const stored: ReaderConfiguration[] = [];
  const display = new VirtualDisplay();
  const started = await startReaderFirmware({
    hal: {
      random, clock: hostClock, keyStorage, journalStorage: new MemoryStorage(), keypad: new VirtualKeypad(), display,
      indicators: new VirtualIndicators(), ble: new LoopbackPeripheral({ random }), battery,
    },
    crypto: softwareCrypto, config: loadReaderConfig(softwareCrypto, FILES), configurationFiles: FILES, transaction: DEFAULT_TRANSACTION_CONFIG,
    firmwareVersion: "1.0.0", buildEpochSeconds: Date.UTC(2025, 5, 15) / 1000,
    identity: async () => ({ model: fleet.readerModel, serial: fleet.readerSerial, identity: fleet.readerIdentity, trustedConfigurationKeys: fleet.trustedConfigurationKeys }),
    configurations: { version: async () => stored.length === 0 ? 0 : stored[stored.length - 1].version, install: async (c) => { stored.push(c); } },
    restart: () => undefined,
  });
  if (started.kind !== "running") throw new Error(`the firmware did not start: ${started.kind}`);
  return { firmware: started.firmware, stored, display };
}

/** The engine's answer to a payment in `currency` while an update holds the lock: the currency check comes first. */
async function currencyCheck(firmware: RunningFirmware, currency: number): Promise<string | undefined> {
  const holds = firmware.lock.tryAcquire("firmware-update");
  try {
    return (await firmware.engine.runTransaction({ amount: 100, currency, transactionType: "purchase" }, context())).reason;
  } finally {
    if (holds) firmware.lock.release("firmware-update");
  }
}

describe("a fleet configuration over the installed one", () => {
  it("terminal data replace the terminal's data elements by tag (EMV Book 4, Annex A)", () => {
    const files = fleetConfigurationFiles(FILES, {
      ...EURO, terminalData: [...EURO.terminalData, { tag: "5F36", value: Uint8Array.of(0x02) }, { tag: "9F1C", value: new TextEncoder().encode("FLEET001") }],
    });
    expect(files.terminal).toMatchObject({ currencyCode: "0978", countryCode: "0250", currencyExponent: 2, terminalId: "FLEET001", merchantId: "SIMMERCHANT0001" });
    expect(FILES.terminal).toMatchObject({ currencyCode: "0840" });
  });

  it("an AID the fleet sends keeps what it does not send from the installed entry; the list becomes the fleet's", () => {
    const files = fleetConfigurationFiles(FILES, {
      ...EURO, aids: [{ aid: fromHex("A0000000031010"), partialSelection: false, floorLimit: 2500, tacOnline: fromHex("FFFFFFFFFF") }],
    });
    const apps = (files.terminal as { applications: Record<string, unknown>[] }).applications;
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({
      aid: "A0000000031010", partialSelection: false, floorLimit: 2500, tacOnline: "FFFFFFFFFF", tacDenial: "0010000000",
      defaultTdol: "9F02065F2A029A039C0195059F3704",
    });
  });

  it("a configuration the reader cannot run is refused as config-malformed before it is stored", () => {
    const refusedBy = (c: ReaderConfiguration) => () => loadFleetConfiguration(softwareCrypto, FILES, c);
    expect(refusedBy({ ...EURO, terminalData: [{ tag: "9F02", value: fromHex("000000000100") }] })).toThrow(/9F02 is not one the reader takes/);
    expect(refusedBy({ ...EURO, terminalData: [{ tag: "5F2A", value: fromHex("09") }] })).toThrow(/wrong length/);
    // A new AID without its action codes (EMV Book 3, 10.7).
    expect(refusedBy({ ...EURO, aids: [{ aid: fromHex("A0000000651010"), partialSelection: true, applicationVersion: fromHex("0200") }] })).toThrow(ConfigurationError);
    // Country code digits the kernel's loader refuses ("0A50" is not n3).
    expect(refusedBy({ ...EURO, terminalData: [{ tag: "9F1A", value: fromHex("0A50") }] })).toThrow(expect.objectContaining({ code: "config-malformed" }));
  });

  it("installed during a payment, it is stored at once and applied when the payment ends", async () => {
    let inPayment = true;
    const applied: string[] = [];
    const stored: number[] = [];
    const active = new ActiveConfiguration({
      stored: { version: async () => 0, install: async (c) => { stored.push(c.version); } },
      load: (f) => loadFleetConfiguration(softwareCrypto, FILES, f), inPayment: () => inPayment,
      apply: (c) => applied.push(Array.from(c.terminal.currencyCode).join(",")),
    });
    await active.install(EURO);
    expect([stored, applied, active.waiting]).toEqual([[7], [], true]);
    inPayment = false;
    active.paymentEnded();
    expect([applied, active.waiting]).toEqual([["9,120"], false]);
  });
});

describe("the running firmware takes a fleet configuration for its next payment, without a reboot", () => {
  it("configured to euros, the reader refuses dollars and takes euros at once", async () => {
    const { firmware, stored } = await boot();
    try {
      expect(await currencyCheck(firmware, 978)).toBe("notAccepted");
      await firmware.engine.configure(EURO);
      expect(stored.map((c) => c.version)).toEqual([7]);
      expect(await firmware.engine.configurationVersion()).toBe(7);
      expect(await currencyCheck(firmware, 840)).toBe("notAccepted");
      // Past the currency check: only the update's lock stops it now.
      expect(await currencyCheck(firmware, 978)).toBe("internalError");
    } finally {
      firmware.stop();
    }
  });

  it("a configuration that arrives while a payment holds the reader waits for the payment's end", async () => {
    const { firmware } = await boot();
    try {
      expect(firmware.lock.tryAcquire("transaction")).toBe(true);
      await firmware.engine.configure(EURO);
      expect(firmware.configuration?.waiting).toBe(true);
      firmware.lock.release("transaction");
      await firmware.engine.afterTransaction?.();
      expect(firmware.configuration?.waiting).toBe(false);
      expect(await currencyCheck(firmware, 978)).toBe("internalError");
    } finally {
      firmware.stop();
    }
  });

  it("a low battery refuses the payment with batteryLow and says so on the display; the status carries the level", async () => {
    const battery = new SimulatedBattery({ percent: 5 });
    const { firmware, display } = await boot(battery);
    try {
      expect(await firmware.engine.runTransaction({ amount: 100, currency: 840, transactionType: "purchase" }, context()))
        .toEqual({ result: "failed", reason: "batteryLow", emvData: [] });
      expect(display.current()).toEqual(["BATTERY LOW", "CHARGE READER"]);
      expect(await firmware.engine.status()).toMatchObject({ batteryPercent: 5, charging: false });
      battery.setCharging(true);
      expect(await firmware.engine.status()).toMatchObject({ batteryPercent: 5, charging: true });
    } finally {
      firmware.stop();
    }
  });
});

describe("a fleet configuration installed over BLE survives a restart", () => {
  async function bootFrom(storages: ReaderStorages, logs: string[]): Promise<RunningFirmware> {
    const boot = await bootReaderFirmware({
      hal: {
        random, clock: hostClock, keyStorage: storages.keyStorage, journalStorage: storages.journalStorage, keypad: new VirtualKeypad(),
        display: new VirtualDisplay(), indicators: new VirtualIndicators(), ble: new LoopbackPeripheral({ random }),
      },
      configStorage: storages.configStorage, identityStorage: storages.identityStorage,
      build: simulatedReaderBuild(fleet, Date.UTC(2025, 5, 15) / 1000),
      decodeText: (b) => new TextDecoder().decode(b), log: (l) => logs.push(l), restart: () => undefined,
    });
    if (boot.kind !== "running") throw new Error(`the firmware did not start: ${boot.kind}`);
    return boot.firmware;
  }

  it("the next start-up applies the stored configuration over the installed files", async () => {
    const { storages } = await factoryReader(random, FILES);
    const logs: string[] = [];
    const first = await bootFrom(storages, logs);
    try {
      await first.engine.configure(EURO);
    } finally {
      first.stop();
    }
    const second = await bootFrom(storages, logs);
    try {
      expect(await second.engine.configurationVersion()).toBe(7);
      expect(await currencyCheck(second, 840)).toBe("notAccepted");
      expect(await currencyCheck(second, 978)).toBe("internalError");
    } finally {
      second.stop();
    }
    expect(logs.filter((l) => l.includes("fleet configuration"))).toEqual([]);
  });

  it("a damaged stored configuration is left out with a log line; the installed files still run", async () => {
    const { storages } = await factoryReader(random, FILES);
    await storages.configStorage.write("fleet", Uint8Array.of(0xff, 0x01));
    const logs: string[] = [];
    const firmware = await bootFrom(storages, logs);
    try {
      expect(await currencyCheck(firmware, 840)).toBe("internalError");
    } finally {
      firmware.stop();
    }
    expect(logs.some((l) => /^mpos: the stored fleet configuration is not applied \([a-z-]+\)$/.test(l))).toBe(true);
  });
});
