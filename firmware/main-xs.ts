// The firmware's entry point on the XS engine of the simulator (xsnap-worker): the same reader
// firmware as firmware/device.ts starts on the ESP32, with the hal/xs-bridge drivers in place of
// hal/esp32, so that its hardware is the simulator's mock hardware on the host. The host drives it
// through globalThis.handleCommand (host-sim/xs-bridge/reader-device.ts), one JSON message a crank:
//
//   {"start":{"devices":[...],"build":{...},"measureHeap":true}}   power the reader up as the
//       device does (firmware/app/firmware-boot.ts): its configuration and factory identity read
//       from their storage namespaces, `build` standing in for the device's mc/config; "battery"
//       among the devices gives it a cell to measure (hal/xs-bridge/battery.ts), "ota" its OTA
//       flash (hal/xs-bridge/ota.ts: boot confirmation and updates over BLE)
//   {"resume":{"id":N,"reply":{...}}}               the host's answer to parked request N
//   {"event":{"device":"ble","event":"command","args":[...]}}   hardware raised an event
//
// Every crank answers, once its jobs are drained, {"done":value} or {"failed":error} when the
// start-up ended, else {"waiting":[requests]} with what the firmware waits for,
// else {"idle":true}. With measureHeap the engine collects garbage before it answers, so the XS
// meter's heap count is the live heap at that moment: the firmware's heap while it waits for hardware.
import { fromHex } from "../kernel/bytes";
import { bootReaderFirmware, firmwareStartReport, type FirmwareBuild } from "./app/firmware-boot";
import type { FirmwareHal } from "./app/reader-firmware";
import { BATTERY, BridgeBattery } from "../hal/xs-bridge/battery";
import { BLE, BridgeBlePeripheral } from "../hal/xs-bridge/ble-peripheral";
import { BridgeDisplay } from "../hal/xs-bridge/display";
import { BridgeIndicators } from "../hal/xs-bridge/indicators";
import { BridgeKeypad } from "../hal/xs-bridge/keypad";
import { bridgeConsole } from "../hal/xs-bridge/console";
import { BridgePower } from "../hal/xs-bridge/power";
import { BridgeClock } from "../hal/xs-bridge/clock";
import { BridgeContactSlot, CONTACT_SLOT } from "../hal/xs-bridge/contact-slot";
import { XsnapHostLink, type XsnapGlobals } from "../hal/xs-bridge/host-link";
import { BridgeMagstripeHead, MAGSTRIPE_HEAD } from "../hal/xs-bridge/magstripe-head";
import { BridgeNfcController, NFC } from "../hal/xs-bridge/nfc-controller";
import { BridgeOta, OTA } from "../hal/xs-bridge/ota";
import { BridgeRandom } from "../hal/xs-bridge/random";
import { BridgeSecureStorage, CONFIG_STORAGE, IDENTITY_STORAGE, JOURNAL_STORAGE } from "../hal/xs-bridge/secure-storage";
import { BridgeTamper, TAMPER } from "../hal/xs-bridge/tamper";
import { BridgeWireError, decodeJson, decodeUtf8, describeError, encodeJson, encodeText, toWire } from "../hal/xs-bridge/wire";

declare const globalThis: XsnapGlobals & { handleCommand?: (message: ArrayBuffer) => { readonly result: ArrayBuffer } };

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const link = new XsnapHostLink(globalThis);
let measureHeap = false;
let settled: Settled | null = null;
/** The reader firmware was started (the `start` message): it runs until the engine stops. */
let started = false;

function deviceList(options: { devices?: unknown }): (device: string) => boolean {
  const devices = Array.isArray(options.devices) ? options.devices.filter((d): d is string => typeof d === "string") : [];
  return (d: string) => devices.indexOf(d) >= 0;
}

/** The card interfaces and tamper sensors among the devices the host serves. */
function cardInterfaces(has: (device: string) => boolean): Pick<FirmwareHal, "contactSlot" | "magstripeHead" | "nfc" | "tamper"> {
  const found: Pick<FirmwareHal, "contactSlot" | "magstripeHead" | "nfc" | "tamper"> = {};
  if (has(CONTACT_SLOT)) found.contactSlot = new BridgeContactSlot(link);
  if (has(MAGSTRIPE_HEAD)) found.magstripeHead = new BridgeMagstripeHead(link);
  if (has(NFC)) found.nfc = new BridgeNfcController(link);
  if (has(TAMPER)) found.tamper = new BridgeTamper(link);
  return found;
}

/** Settles the crank's answer with how `work` ended. */
function track(work: Promise<unknown>): void {
  work.then(
    (value) => { settled = { ok: true, value }; },
    (error) => { settled = { ok: false, error }; },
  );
}

function text(v: unknown, what: string, max: number): string {
  if (typeof v !== "string" || v.length === 0 || v.length > max) throw new BridgeWireError(`start: ${what} is a string of 1 to ${max} characters`);
  return v;
}

function whole(v: unknown, what: string, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) throw new BridgeWireError(`start: ${what} is an integer 0 to ${max}`);
  return v;
}

/** What mc/config says on the device, from the host's start message. */
function buildOf(v: unknown): FirmwareBuild {
  if (v === null || typeof v !== "object") throw new BridgeWireError("start: build is an object");
  const b = v as Record<string, unknown>;
  const build: FirmwareBuild = {
    product: text(b.product, "product", 64),
    firmwareVersion: text(b.firmwareVersion, "firmwareVersion", 32),
    buildEpochSeconds: whole(b.buildEpochSeconds, "buildEpochSeconds", 0xffffffff),
    hardwareRevision: whole(b.hardwareRevision, "hardwareRevision", 0xffff),
  };
  // An Ed25519 public key is 32 bytes (RFC 8032, 5.1.5): 64 hex digits.
  if (b.firmwareSigningKey !== undefined && b.firmwareSigningKey !== null) build.firmwareSigningKey = fromHex(text(b.firmwareSigningKey, "firmwareSigningKey", 64));
  return build;
}

/** Powers the reader firmware up over the devices the host serves, as firmware/device.ts does on the ESP32. */
function start(options: { devices?: unknown; build?: unknown; measureHeap?: unknown }): void {
  if (started) throw new BridgeWireError("the firmware is already booted");
  const has = deviceList(options);
  if (!has(BLE)) throw new BridgeWireError("the reader firmware needs the BLE peripheral");
  const build = buildOf(options.build);
  const power = new BridgePower(link);
  const hal: FirmwareHal = {
    random: new BridgeRandom(link),
    clock: new BridgeClock(link),
    keyStorage: new BridgeSecureStorage(link),
    journalStorage: new BridgeSecureStorage(link, JOURNAL_STORAGE),
    keypad: new BridgeKeypad(link),
    display: new BridgeDisplay(link),
    indicators: new BridgeIndicators(link),
    ble: new BridgeBlePeripheral(link),
    ...cardInterfaces(has),
  };
  // Issue 10: a reader with a cell has a battery to measure (firmware/app/power-manager.ts); without one it is powered.
  if (has(BATTERY)) hal.battery = new BridgeBattery(link);
  // Issue 13: with the OTA flash (and the build's signing key) the reader confirms a new image and takes updates over BLE.
  if (has(OTA)) hal.ota = new BridgeOta(link);
  measureHeap = options.measureHeap === true;
  started = true;
  track(bootReaderFirmware({
    hal,
    configStorage: new BridgeSecureStorage(link, CONFIG_STORAGE),
    identityStorage: new BridgeSecureStorage(link, IDENTITY_STORAGE),
    build,
    decodeText: decodeUtf8,
    log: bridgeConsole(link),
    restart: () => power.restart(),
  }).then(firmwareStartReport));
}

function dispatch(message: Record<string, unknown>): void {
  if (message.start !== undefined) start(message.start as Record<string, unknown>);
  else if (message.resume !== undefined) {
    const r = message.resume as { id?: unknown; reply?: unknown };
    if (typeof r.id !== "number") throw new BridgeWireError("resume needs an id");
    link.resume(r.id, r.reply);
  } else if (message.event !== undefined) {
    const e = message.event as { device?: unknown; event?: unknown; args?: unknown };
    if (typeof e.device !== "string" || typeof e.event !== "string" || !Array.isArray(e.args)) throw new BridgeWireError("an event names device, event and args");
    link.deliver(e.device, e.event, e.args);
  } else throw new BridgeWireError("unknown firmware message");
}

/** What the crank ended with; read by xsnap once the crank's jobs are drained. */
function answer(): ArrayBuffer {
  let state: string;
  if (settled !== null) {
    const s: Settled = settled;
    settled = null;
    state = JSON.stringify(s.ok ? { done: toWire(s.value) } : { failed: describeError(s.error) });
  } else {
    const waiting = link.waitingJson();
    state = waiting !== "[]" ? `{"waiting":${waiting}}` : JSON.stringify({ idle: true });
  }
  if (measureHeap && typeof globalThis.gc === "function") globalThis.gc();
  return encodeText(state);
}

globalThis.handleCommand = (message: ArrayBuffer) => {
  let failure: unknown = null;
  try {
    const decoded = decodeJson(message);
    if (decoded === null || typeof decoded !== "object") throw new BridgeWireError("a firmware message is an object");
    dispatch(decoded as Record<string, unknown>);
  } catch (e) {
    failure = e;
  }
  return {
    get result(): ArrayBuffer {
      return failure !== null ? encodeJson({ failed: describeError(failure) }) : answer();
    },
  };
};
