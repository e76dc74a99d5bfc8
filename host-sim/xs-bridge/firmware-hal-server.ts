import type { FirmwareHal } from "../../firmware/app/reader-firmware";
import type { Battery } from "../../hal/battery";
import type { BlePeripheral, BlePeripheralEvents } from "../../hal/ble-peripheral";
import type { Indicators, ToneSpec } from "../../hal/indicators";
import type { Keypad } from "../../hal/keypad";
import type { Ota, OtaSlot } from "../../hal/ota";
import type { SecureStorage } from "../../hal/secure-storage";
import { BATTERY } from "../../hal/xs-bridge/battery";
import { BLE } from "../../hal/xs-bridge/ble-peripheral";
import { CLOCK } from "../../hal/xs-bridge/clock";
import { CONSOLE, MAX_CONSOLE_LINE } from "../../hal/xs-bridge/console";
import { DISPLAY } from "../../hal/xs-bridge/display";
import { INDICATORS } from "../../hal/xs-bridge/indicators";
import { KEYPAD } from "../../hal/xs-bridge/keypad";
import { OTA } from "../../hal/xs-bridge/ota";
import { POWER } from "../../hal/xs-bridge/power";
import { RANDOM } from "../../hal/xs-bridge/random";
import { CONFIG_STORAGE, IDENTITY_STORAGE, JOURNAL_STORAGE, STORAGE } from "../../hal/xs-bridge/secure-storage";
import { PREAMBLE_LENGTH } from "../../kernel/firmware-update/image-header";
import { PROGRESS_RECORD_LENGTH } from "../../kernel/firmware-update/progress-record";
import {
  addCardInterfaces, arity, bytes, clockMethods, DeviceServer, fail, int, obj, randomMethods, storageMethods, str,
  type EventSink, type Method,
} from "./hardware-server";

// The host side of the reader firmware's HAL on the XS engine (firmware/main-xs.ts, "start"): the
// simulator's mock hardware - the storages of the reader's namespaces, the keypad, the display, the
// lights and beeper, the BLE peripheral (the in-memory loopback or the GATT bridge), the card
// interfaces - served to the hal/xs-bridge drivers. What the hardware raises on its own (a key
// press, a BLE central's connection, write or pairing) goes to the firmware as an event. Every
// request's arguments are checked before the hardware sees them: the firmware is code under test.

/**
 * The reader's hardware as the simulator has it: the FirmwareHal of firmware/app/reader-firmware.ts
 * (with `ota`, the OTA flash: host-sim/flash/simulated-ota.ts), with the storages of the other namespaces.
 */
export interface ReaderHardware extends FirmwareHal {
  /** The installed configuration's namespace (firmware/app/firmware-boot.ts). */
  configStorage: SecureStorage;
  /** The factory identity's namespace. */
  identityStorage: SecureStorage;
}

/** The longest screen line the bridge carries (a panel is far narrower; the driver clips). */
const MAX_LINE = 256;

function bool(v: unknown, what: string): boolean {
  if (typeof v !== "boolean") fail(`${what} must be true or false`);
  return v;
}

function displayMethods(display: ReaderHardware["display"]): Record<string, Method> {
  const methods: Record<string, Method> = {
    describe: (a) => (arity(a, 0, "describe"), {
      lines: display.lines, columns: display.columns, characterSets: display.characterSets.slice(), dims: typeof display.dim === "function",
    }),
    show: (a) => {
      arity(a, 1, "show");
      const lines = a[0];
      if (!Array.isArray(lines) || lines.length > display.lines) fail(`show: a screen is at most ${display.lines} lines`);
      display.show(lines.map((l) => {
        const line = str(l, "show: a line");
        if (line.length > MAX_LINE) fail(`show: a line is at most ${MAX_LINE} characters`);
        return line;
      }));
      return null;
    },
  };
  const dim = display.dim;
  if (typeof dim === "function") methods.dim = (a) => (arity(a, 1, "dim"), dim.call(display, bool(a[0], "dim")), null);
  return methods;
}

function indicatorMethods(indicators: Indicators): Record<string, Method> {
  return {
    setLights: (a) => {
      arity(a, 2, "setLights");
      const l = a[0];
      if (!Array.isArray(l) || l.length !== 4) fail("setLights: four lights");
      indicators.setLights([bool(l[0], "light"), bool(l[1], "light"), bool(l[2], "light"), bool(l[3], "light")], bool(a[1], "flashFirst"));
      return null;
    },
    beep: (a) => {
      arity(a, 1, "beep");
      const t = obj<Record<string, unknown>>(a[0], "beep: tone");
      // Book A, 9.3: tones are audible pitches of at most a few seconds.
      const tone: ToneSpec = {
        frequencyHz: int(t.frequencyHz, "frequencyHz", 20, 20_000), toneMs: int(t.toneMs, "toneMs", 0, 10_000),
        count: int(t.count, "count", 0, 10), pauseMs: int(t.pauseMs, "pauseMs", 0, 10_000),
      };
      indicators.beep(tone);
      return null;
    },
  };
}

function keypadMethods(keypad: Keypad, emit: EventSink): Record<string, Method> {
  return {
    listen: (a) => {
      arity(a, 1, "listen");
      keypad.onKey(bool(a[0], "listen") ? (key) => emit(KEYPAD, "key", [key]) : null);
      return null;
    },
  };
}

function bleMethods(ble: BlePeripheral, emit: EventSink): Record<string, Method> {
  const events: BlePeripheralEvents = {
    onConnect: (c) => emit(BLE, "connect", [c]),
    onMtu: (c, mtu) => emit(BLE, "mtu", [c, mtu]),
    onSecurity: (c, security) => emit(BLE, "security", [c, { ...security }]),
    onSubscribe: (c, enabled) => emit(BLE, "subscribe", [c, enabled]),
    onCommand: (c, frame) => emit(BLE, "command", [c, frame]),
    onDisconnect: (c) => emit(BLE, "disconnect", [c]),
    onPasskeyDisplay: (c, passkey) => emit(BLE, "passkey", [c, passkey]),
  };
  const connection = (v: unknown) => int(v, "connection", 0, 0x0eff);
  return {
    start: (a) => {
      arity(a, 1, "start");
      const o = obj<Record<string, unknown>>(a[0], "start: advertising");
      ble.start({ name: str(o.name, "name"), serviceUuid: str(o.serviceUuid, "serviceUuid"), deviceInformation: bytes(o.deviceInformation, "deviceInformation") }, events);
      return null;
    },
    notify: (a) => (arity(a, 2, "notify"), ble.notify(connection(a[0]), bytes(a[1], "notify: frame"))),
    disconnect: (a) => (arity(a, 1, "disconnect"), ble.disconnect(connection(a[0])), null),
    stop: (a) => (arity(a, 0, "stop"), ble.stop(), null),
  };
}

/**
 * The largest flash write one request carries: the update service writes what a firmware chunk
 * brought (at most 512 bytes, kernel/protocol/firmware-messages.ts) or a sector's worth; ESP-IDF's
 * esp_partition_write takes any length, the bridge does not need more than a 64 KB sector.
 */
const MAX_OTA_WRITE_BYTES = 64 * 1024;

export function otaMethods(ota: Ota, onRestart: () => void): Record<string, Method> {
  const slot = (v: unknown): OtaSlot => int(v, "slot", 0, 1) as OtaSlot;
  const offset = (v: unknown, what: string): number => int(v, `${what}: offset`, 0, ota.slotBytes);
  /** `data` fits the slot from `at` (hal/ota.ts: writes stay within the inactive slot). */
  const within = (at: number, length: number, what: string): void => {
    if (at + length > ota.slotBytes) fail(`${what}: past the end of the ${ota.slotBytes}-byte slot`);
  };
  /** A signed header (header || signature, kernel/firmware-update/image-header.ts) or a progress record: exact lengths. */
  const record = (v: unknown, length: number, what: string): Uint8Array => {
    const b = bytes(v, what);
    if (b.length !== length) fail(`${what} is ${length} bytes`);
    return b;
  };
  return {
    describe: (a) => (arity(a, 0, "describe"), { slotBytes: ota.slotBytes, sectorBytes: ota.sectorBytes, running: ota.running() }),
    state: (a) => (arity(a, 1, "state"), ota.state(slot(a[0]))),
    descriptor: (a) => (arity(a, 1, "descriptor"), ota.descriptor(slot(a[0]))),
    invalidateInactive: (a) => (arity(a, 0, "invalidateInactive"), ota.invalidateInactive()),
    eraseSector: (a) => {
      arity(a, 1, "eraseSector");
      const at = offset(a[0], "eraseSector");
      if (at % ota.sectorBytes !== 0 || at >= ota.slotBytes) fail(`eraseSector: offset is a sector (${ota.sectorBytes} bytes) of the slot`);
      return ota.eraseSector(at);
    },
    write: (a) => {
      arity(a, 2, "write");
      const at = offset(a[0], "write");
      const data = bytes(a[1], "write: data");
      if (data.length === 0 || data.length > MAX_OTA_WRITE_BYTES) fail(`write: 1 to ${MAX_OTA_WRITE_BYTES} bytes at a time`);
      within(at, data.length, "write");
      return ota.write(at, data);
    },
    read: (a) => {
      arity(a, 3, "read");
      const at = offset(a[1], "read");
      const length = int(a[2], "read: length", 0, MAX_OTA_WRITE_BYTES);
      within(at, length, "read");
      return ota.read(slot(a[0]), at, length);
    },
    activate: (a) => (arity(a, 1, "activate"), ota.activate(record(a[0], PREAMBLE_LENGTH, "activate: descriptor"))),
    markValid: (a) => (arity(a, 0, "markValid"), ota.markValid()),
    rollback: (a) => (arity(a, 0, "rollback"), ota.rollback()),
    restart: async (a) => {
      arity(a, 0, "restart");
      await ota.restart();
      onRestart();
      return null;
    },
    rollbackCounter: (a) => (arity(a, 0, "rollbackCounter"), ota.rollbackCounter()),
    raiseRollbackCounter: (a) => (arity(a, 1, "raiseRollbackCounter"), ota.raiseRollbackCounter(int(a[0], "raiseRollbackCounter: value", 0, Number.MAX_SAFE_INTEGER))),
    loadProgress: (a) => (arity(a, 0, "loadProgress"), ota.loadProgress()),
    saveProgress: (a) => {
      arity(a, 1, "saveProgress");
      return ota.saveProgress(a[0] === null ? null : record(a[0], PROGRESS_RECORD_LENGTH, "saveProgress: record"));
    },
  };
}

function batteryMethods(battery: Battery): Record<string, Method> {
  return {
    read: (a) => {
      arity(a, 0, "read");
      const r = battery.read();
      return { millivolts: r.millivolts, charging: r.charging };
    },
  };
}

/**
 * Serves the reader firmware's HAL from `hardware`; `onRestart` carries out a restart the firmware
 * asks for, `onLog` takes its console lines.
 */
export class FirmwareHalServer extends DeviceServer {
  constructor(hardware: ReaderHardware, emit: EventSink, onRestart: () => void, onLog: (line: string) => void = () => undefined) {
    super();
    this.add(CONSOLE, {
      log: (a) => {
        arity(a, 1, "log");
        const line = str(a[0], "log: a line");
        if (line.length > MAX_CONSOLE_LINE) fail(`log: a line is at most ${MAX_CONSOLE_LINE} characters`);
        onLog(line);
        return null;
      },
    });
    this.add(RANDOM, randomMethods(hardware.random));
    this.add(CLOCK, clockMethods(hardware.clock));
    this.add(STORAGE, storageMethods(hardware.keyStorage));
    this.add(JOURNAL_STORAGE, storageMethods(hardware.journalStorage));
    this.add(CONFIG_STORAGE, storageMethods(hardware.configStorage));
    this.add(IDENTITY_STORAGE, storageMethods(hardware.identityStorage));
    this.add(KEYPAD, keypadMethods(hardware.keypad, emit));
    this.add(DISPLAY, displayMethods(hardware.display));
    this.add(INDICATORS, indicatorMethods(hardware.indicators));
    this.add(BLE, bleMethods(hardware.ble, emit));
    this.add(POWER, { restart: (a) => (arity(a, 0, "restart"), onRestart(), null) });
    if (hardware.battery) this.add(BATTERY, batteryMethods(hardware.battery));
    if (hardware.ota) this.add(OTA, otaMethods(hardware.ota, onRestart));
    addCardInterfaces(this, hardware, emit);
  }
}
