// The reader firmware on the ESP32: the drivers of hal/esp32 wired into the reader application
// (firmware/app). Bundled with the kernel into the module "mpos-firmware", which manifest.json
// preloads into flash (its module bodies only define; nothing runs until firmware/main.ts calls
// `start`). `start` does what the rules ask for, in this order:
// 1. a new firmware image confirms itself before anything else (issue 13, kernel/firmware-update/
//    boot-confirm.ts): its power-on self-tests pass, or the reader restarts into the previous image;
// 2. PCI PTS POI: the known-answer tests of every cryptographic function at start-up and every 24
//    hours; the reader stays out of service while any fails;
// 3. the key store opens over the encrypted NVS and the tamper response is armed (a tamper latched
//    while the reader was off erases the keys now);
// 4. then the reader waits for payments with the card interfaces powered down: the NFC field off,
//    the contact slot deactivated, the keypad not scanned, the first status light flashing
//    (EMV Contactless Book A, 9.2: idle).
import Resource from "Resource";
import parseBMF from "commodetto/parseBMF";
import config from "mc/config";
import ILI9341 from "ili9341";
import Timer from "timer";
import { fromHex } from "../kernel/bytes";
import { softwareCrypto } from "../kernel/crypto";
import { confirmBoot } from "../kernel/firmware-update/boot-confirm";
import { powerOnSelfTests, runSelfTests, type SelfTestReport } from "../kernel/selftest";
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
import { DeviceContactlessUi } from "./app/contactless-ui";
import { KeypadCardholder } from "./app/keypad-cardholder";
import { Reader } from "./app/reader";
import type { ReaderConfigFiles } from "./app/reader-config";
import type { ReaderHal } from "./app/reader-hal";

const SELF_TEST_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The NVS namespace of the installed terminal configuration (not secret, not erased by a tamper response). */
const CONFIG_DOMAIN = "mpos-config";

function selfTests(): SelfTestReport {
  const report = runSelfTests(softwareCrypto, powerOnSelfTests);
  trace(`mpos: self-tests ${report.passed} passed, ${report.failed} failed\n`);
  for (const t of report.tests) if (!t.ok) trace(`mpos: self-test failed: ${t.name}\n`);
  return report;
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

/** Powers the reader up; resolves once it is idle and waiting for payments. */
export async function start(): Promise<void> {
  const ota = new Esp32Ota();
  let report: SelfTestReport | undefined;
  const boot = await confirmBoot({
    ota,
    publicKey: fromHex(String(config.firmwareSigningKey)),
    selfTest: () => {
      report = selfTests();
      return report.tests.filter((t) => !t.ok).map((t) => t.name);
    },
  });
  trace(`mpos: boot ${boot.kind}${boot.kind !== "rolled-back" && boot.version ? ` ${boot.version}` : ""}\n`);
  if (boot.kind === "rolled-back") return;

  const pins = boardPins();
  const clock = new Esp32Clock();
  const display = new PocoDisplay({
    screen: new ILI9341({}),
    font: parseBMF(new Resource("OpenSans-Semibold-16.bf4")),
    characterSets: ["ascii", "latin-1"],
  });
  const keypad = new MatrixKeypad(pins.keypad);
  const indicators = new LedBuzzer({ leds: pins.leds, buzzer: pins.buzzer });
  const files = await installedConfiguration();
  const terminal = files !== null && files.terminal !== null && typeof files.terminal === "object" ? (files.terminal as { currencyExponent?: unknown }) : {};
  const exponent = typeof terminal.currencyExponent === "number" ? terminal.currencyExponent : 2;
  const hal: ReaderHal = {
    random: new Esp32Random(),
    clock,
    storage: new Esp32SecureStorage(),
    cardholder: new KeypadCardholder({ keypad, display, clock }),
    contactSlot: new TDA8035ContactSlot({ ...pins.contact, clock }),
    magstripeHead: new RmtMagstripeHead({ ...pins.magstripe, dma: true }),
    nfc: new PN5180({ ...pins.nfc, clock }),
    contactlessUi: new DeviceContactlessUi(display, indicators, exponent),
    tamper: new Esp32Tamper(pins.tamper),
    ble: new Esp32BlePeripheral(),
    ota,
  };

  const reader = await Reader.start(hal, files, softwareCrypto, report ?? selfTests());
  const show = () => {
    const r = reader.inService ? (reader.tamperEvent ? "TAMPERED" : "WELCOME") : "OUT OF SERVICE";
    display.show([r]);
    indicators.setLights([reader.inService, false, false, false], reader.inService);
  };
  show();
  Timer.repeat(() => {
    reader.retest();
    show();
  }, SELF_TEST_INTERVAL_MS);
  // Idle: the card interfaces powered down until a payment needs them.
  await hal.nfc?.fieldOff();
  await hal.contactSlot?.deactivate();
}
