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
import { powerOnSelfTests, runSelfTests, type SelfTestReport } from "../kernel/selftest";
import { Esp32BlePeripheral } from "../hal/esp32/ble-peripheral";
import { nativeCrypto } from "../hal/esp32/crypto-provider";
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
import { Esp32Battery } from "../hal/esp32/battery";
import { Esp32Power } from "../hal/esp32/power";
import { bootReaderFirmware } from "./app/firmware-boot";
import type { FirmwareHal } from "./app/reader-firmware";

const SELF_TEST_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The NVS namespace of the installed terminal configuration (not secret, not erased by a tamper response). */
const CONFIG_DOMAIN = "mpos-config";
/** The transaction log's NVS namespace: apart from the keys, so a tamper erase leaves the reversals owed. */
const JOURNAL_DOMAIN = "mpos-journal";
/** The factory identity's NVS namespace (identity key, certificate, fleet configuration key). */
const IDENTITY_DOMAIN = "mpos-identity";

function selfTestReport(report: SelfTestReport): void {
  trace(`mpos: self-tests ${report.passed} passed, ${report.failed} failed\n`);
  for (const t of report.tests) if (!t.ok) trace(`mpos: self-test failed: ${t.name}\n`);
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
    // Tracks 1 and 2 (ISO/IEC 7813): track 3 is not wired.
    magstripeHead: new RmtMagstripeHead({ track1: pins.magstripe.track1, track2: pins.magstripe.track2, dma: true }),
    nfc: new PN5180({ ...pins.nfc, clock }),
    tamper: new Esp32Tamper(pins.tamper),
    ota: new Esp32Ota(),
    // A board with a cell: its gauge, and sleep between payments woken by a key or a card (firmware/app/power-manager.ts).
    ...(pins.battery !== undefined ? {
      battery: new Esp32Battery(pins.battery),
      power: new Esp32Power({ wakePins: [...pins.keypad.columns, pins.contact.off], chargerPin: pins.battery.charging }),
    } : {}),
  };
  const started = await bootReaderFirmware({
    hal,
    configStorage: new Esp32SecureStorage(CONFIG_DOMAIN),
    identityStorage: new Esp32SecureStorage(IDENTITY_DOMAIN),
    // Ciphers and hashes in C (Moddable's crypt): the power-on self-tests prove them before anything uses them.
    crypto: nativeCrypto,
    build: {
      product: String(config.mposProduct),
      firmwareVersion: String(config.firmwareVersion ?? "0.0.0"),
      buildEpochSeconds: Number(config.buildEpochSeconds ?? 0),
      firmwareSigningKey: fromHex(String(config.firmwareSigningKey)),
      hardwareRevision: Number(config.hardwareRevision ?? 1),
    },
    decodeText: (bytes) => String.fromArrayBuffer(bytes.slice().buffer as ArrayBuffer),
    log: (line) => trace(`${line}\n`),
    restart: () => { hal.ota?.restart().catch(() => trace("mpos: restart failed\n")); },
  });
  if (started.kind !== "running") return;
  const firmware = started.firmware;
  Timer.repeat(() => {
    const report = runSelfTests(nativeCrypto, powerOnSelfTests);
    if (report.failed === 0) return;
    selfTestReport(report);
    firmware.stop();
    display.show(["OUT OF SERVICE"]);
  }, SELF_TEST_INTERVAL_MS);
}
