// The reader firmware on the ESP32: the drivers of hal/esp32 wired into the reader application
// (firmware/app). Bundled with the kernel into the module "mpos-firmware", which manifest.json
// preloads into flash (its module bodies only define; nothing runs until firmware/main.ts calls
// `start`). `start` builds the HAL and hands it to firmware/app/reader-firmware.ts, which powers the
// reader up in the rules' order: self-tests, boot confirmation of a new image, key store and tamper
// response, transaction log (its own NVS namespace) with its recovery, the payment application, the
// reader service on the BLE peripheral with the factory identity, the firmware update endpoint;
// then the card interfaces powered down until a phone starts a payment. The known-answer tests run
// again every 24 hours (PCI PTS POI); a failure takes the reader off the air.
import Resource from "Resource";
import parseBMF from "commodetto/parseBMF";
import config from "mc/config";
import ILI9341 from "ili9341";
import Timer from "timer";
import { fromHex } from "../kernel/bytes";
import { softwareCrypto } from "../kernel/crypto";
import { encodeConfiguration, softwareSessionCrypto, type ReaderConfiguration } from "../kernel/protocol";
import { powerOnSelfTests, runSelfTests, type SelfTestReport } from "../kernel/selftest";
import { loadTransactionConfig } from "../kernel/transaction";
import { Esp32BlePeripheral } from "../hal/esp32/ble-peripheral";
import { boardPins } from "../hal/esp32/board";
import { Esp32Clock } from "../hal/esp32/clock";
import { TDA8035ContactSlot } from "../hal/esp32/contact-slot";
import { PocoDisplay } from "../hal/esp32/display";
import { LedBuzzer } from "../hal/esp32/indicators";
import { MatrixKeypad } from "../hal/esp32/keypad";
import { RmtMagstripeHead } from "../hal/esp32/magstripe-head";
import { PN5180 } from "../hal/esp32/nfc-pn5180";
import { Esp32Ota } from "../hal/esp32/ota";
import { Esp32Random } from "../hal/esp32/random";
import { Esp32SecureStorage } from "../hal/esp32/secure-storage";
import { Esp32Tamper } from "../hal/esp32/tamper";
import { readFactoryIdentity } from "./app/factory-identity";
import type { ConfigurationStore } from "./app/payment-engine";
import { loadReaderConfig, type ReaderConfigFiles } from "./app/reader-config";
import { startReaderFirmware, type FirmwareHal } from "./app/reader-firmware";

const SELF_TEST_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The NVS namespace of the installed terminal configuration (not secret, not erased by a tamper response). */
const CONFIG_DOMAIN = "mpos-config";
/** The transaction log's NVS namespace: apart from the keys, so a tamper erase leaves the reversals owed. */
const JOURNAL_DOMAIN = "mpos-journal";
/** The factory identity's NVS namespace (identity key, certificate, fleet configuration key). */
const IDENTITY_DOMAIN = "mpos-identity";
/** The fleet's signed configuration as installed over BLE; read by the next start-up. */
const FLEET_CONFIG_RECORD = "fleet";

function selfTestReport(report: SelfTestReport): void {
  trace(`mpos: self-tests ${report.passed} passed, ${report.failed} failed\n`);
  for (const t of report.tests) if (!t.ok) trace(`mpos: self-test failed: ${t.name}\n`);
}

/** The installed configuration (kernel/emv terminal configuration, CA keys, revocation list), or null. */
async function installedConfiguration(): Promise<ReaderConfigFiles | null> {
  const record = await new Esp32SecureStorage(CONFIG_DOMAIN).read("reader");
  if (record === null) return null;
  try {
    return JSON.parse(String.fromArrayBuffer(record.slice().buffer as ArrayBuffer)) as ReaderConfigFiles;
  } catch {
    trace("mpos: the installed configuration is not readable\n");
    return null;
  }
}

/** The fleet configuration's version, kept in the configuration namespace. */
function fleetConfigurations(): ConfigurationStore {
  const storage = new Esp32SecureStorage(CONFIG_DOMAIN);
  let version: number | null = null;
  return {
    version: async () => {
      if (version === null) {
        const r = await storage.read(`${FLEET_CONFIG_RECORD}-v`);
        version = r !== null && r.length === 4 ? ((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0 : 0;
      }
      return version;
    },
    install: async (config: ReaderConfiguration) => {
      await storage.write(FLEET_CONFIG_RECORD, encodeConfiguration(config));
      const v = config.version >>> 0;
      await storage.write(`${FLEET_CONFIG_RECORD}-v`, Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff));
      version = v;
    },
  };
}

/** Powers the reader up; resolves once it is idle and waiting for payments. */
export async function start(): Promise<void> {
  const pins = boardPins();
  const clock = new Esp32Clock();
  const display = new PocoDisplay({
    screen: new ILI9341({}),
    font: parseBMF(new Resource("OpenSans-Semibold-16.bf4")),
    characterSets: ["ascii", "latin-1"],
  });
  const files = await installedConfiguration();
  if (files === null) {
    display.show(["NOT CONFIGURED"]);
    return;
  }
  const hal: FirmwareHal = {
    random: new Esp32Random(),
    clock,
    keyStorage: new Esp32SecureStorage(),
    journalStorage: new Esp32SecureStorage(JOURNAL_DOMAIN),
    keypad: new MatrixKeypad(pins.keypad),
    display,
    indicators: new LedBuzzer({ leds: pins.leds, buzzer: pins.buzzer }),
    ble: new Esp32BlePeripheral(),
    contactSlot: new TDA8035ContactSlot({ ...pins.contact, clock }),
    magstripeHead: new RmtMagstripeHead({ ...pins.magstripe, dma: true }),
    nfc: new PN5180({ ...pins.nfc, clock }),
    tamper: new Esp32Tamper(pins.tamper),
    ota: new Esp32Ota(),
  };
  const product = String(config.mposProduct);
  const started = await startReaderFirmware({
    hal,
    crypto: softwareCrypto,
    config: loadReaderConfig(softwareCrypto, files),
    transaction: loadTransactionConfig(files.transaction),
    identity: () => readFactoryIdentity(new Esp32SecureStorage(IDENTITY_DOMAIN), softwareSessionCrypto, product),
    firmwareVersion: String(config.firmwareVersion ?? "0.0.0"),
    buildEpochSeconds: Number(config.buildEpochSeconds ?? 0),
    firmwareSigningKey: fromHex(String(config.firmwareSigningKey)),
    product,
    hardwareRevision: Number(config.hardwareRevision ?? 1),
    configurations: fleetConfigurations(),
    restart: () => { hal.ota?.restart().catch(() => trace("mpos: restart failed\n")); },
  });
  if (started.kind === "rolled-back") {
    trace("mpos: boot rolled-back\n");
    return;
  }
  if (started.kind === "out-of-service") {
    selfTestReport(started.selfTest);
    return;
  }
  const firmware = started.firmware;
  selfTestReport(firmware.selfTest);
  const boot = firmware.boot;
  if (boot !== null && boot.kind !== "rolled-back") trace(`mpos: boot ${boot.kind}${boot.version ? ` ${boot.version}` : ""}\n`);
  if (firmware.recovery.interrupted) trace(`mpos: transaction ${firmware.recovery.interrupted.transactionId} recovered\n`);
  Timer.repeat(() => {
    const report = runSelfTests(softwareCrypto, powerOnSelfTests);
    if (report.failed === 0) return;
    selfTestReport(report);
    firmware.stop();
    display.show(["OUT OF SERVICE"]);
  }, SELF_TEST_INTERVAL_MS);
}
