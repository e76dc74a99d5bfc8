import type { Clock } from "../../hal/clock";
import type { ContactSlot, LineSettings, ResetKind } from "../../hal/contact-slot";
import type { MagstripeHead } from "../../hal/magstripe-head";
import type { NfcController, RfConfiguration, TransceiveOptions } from "../../hal/nfc-controller";
import type { RandomSource } from "../../hal/random";
import type { SecureStorage } from "../../hal/secure-storage";
import type { TamperMonitor } from "../../hal/tamper";
import { CONTACT_SLOT } from "../../hal/xs-bridge/contact-slot";
import { MAGSTRIPE_HEAD } from "../../hal/xs-bridge/magstripe-head";
import { NFC, NFC_ISO_DEP } from "../../hal/xs-bridge/nfc-controller";
import { TAMPER } from "../../hal/xs-bridge/tamper";
import {
  BridgeWireError, describeError, fromWire, toWire, type BridgeReply, type BridgeRequest,
} from "../../hal/xs-bridge/wire";

// The host side of the XS bridge: serves the firmware's HAL requests (hal/xs-bridge/) from the
// simulator's mock hardware (firmware-hal-server.ts puts the reader's devices together). Only the methods in the tables below can be called, each with its
// arguments checked: the firmware on the other side is code under test, and a request that does
// not fit is refused with an error, never passed on to the hardware.

/** The card interfaces and tamper sensors of a simulation, as HAL objects. */
export interface SimulatedCardInterfaces {
  contactSlot?: ContactSlot;
  magstripeHead?: MagstripeHead;
  nfc?: NfcController;
  tamper?: TamperMonitor;
}

/** Sends an event the hardware raised to the firmware. */
export type EventSink = (device: string, event: string, args: unknown[]) => void;

export type Method = (args: unknown[]) => unknown;

/** The longest byte string one request may ask of the random source (a whole DUKPT or RSA pad is far less). */
const MAX_RANDOM_BYTES = 4096;

export function fail(message: string): never {
  throw new BridgeWireError(message);
}

export function arity(args: unknown[], n: number, what: string): void {
  if (args.length !== n) fail(`${what} takes ${n} argument${n === 1 ? "" : "s"}`);
}

export function int(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) fail(`${what} must be an integer ${min} to ${max}`);
  return v;
}

export function num(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(`${what} must be a non-negative number`);
  return v;
}

export function bytes(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(`${what} must be bytes`);
  return v;
}

export function str(v: unknown, what: string): string {
  if (typeof v !== "string") fail(`${what} must be a string`);
  return v;
}

export function obj<T>(v: unknown, what: string): T {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(`${what} must be an object`);
  return v as T;
}

export function contactSlotMethods(slot: ContactSlot): Record<string, Method> {
  return {
    clockHz: (a) => (arity(a, 0, "clockHz"), slot.clockHz),
    cardPresent: (a) => (arity(a, 0, "cardPresent"), slot.cardPresent()),
    activate: (a) => {
      arity(a, 2, "activate");
      if (a[0] !== "cold" && a[0] !== "warm") fail("activate: kind must be cold or warm");
      return slot.activate(a[0] as ResetKind, int(a[1], "activate: firstCharClocks", 0, 1_000_000));
    },
    configure: (a) => {
      arity(a, 1, "configure");
      const s = obj<Record<string, unknown>>(a[0], "configure: settings");
      const settings: LineSettings = {
        Fi: int(s.Fi, "Fi", 1, 2048), Di: int(s.Di, "Di", 1, 64), terminalCharEtu: int(s.terminalCharEtu, "terminalCharEtu", 11, 267),
        turnaroundEtu: int(s.turnaroundEtu, "turnaroundEtu", 0, 1000), repeats: int(s.repeats, "repeats", 0, 10),
      };
      slot.configure(settings);
      return null;
    },
    send: (a) => (arity(a, 1, "send"), slot.send(bytes(a[0], "send: bytes"))),
    receive: (a) => (arity(a, 2, "receive"), slot.receive(int(a[0], "receive: count", 0, 65_536), num(a[1], "receive: timeoutEtu"))),
    deactivate: (a) => (arity(a, 0, "deactivate"), slot.deactivate()),
  };
}

export function magstripeMethods(head: MagstripeHead): Record<string, Method> {
  return {
    tracks: (a) => (arity(a, 0, "tracks"), head.tracks.slice()),
    nextSwipe: (a) => (arity(a, 0, "nextSwipe"), head.nextSwipe()),
    cancel: (a) => (arity(a, 0, "cancel"), head.cancel(), null),
  };
}

export function nfcMethods(nfc: NfcController): Record<string, Method> {
  return {
    describe: (a) => (arity(a, 0, "describe"), { capabilities: nfc.capabilities, isoDep: nfc.isoDep !== undefined }),
    fieldOn: (a) => (arity(a, 0, "fieldOn"), nfc.fieldOn()),
    fieldOff: (a) => (arity(a, 0, "fieldOff"), nfc.fieldOff()),
    configure: (a) => (arity(a, 1, "configure"), nfc.configure(obj<RfConfiguration>(a[0], "configure: configuration"))),
    transceive: (a) => {
      arity(a, 2, "transceive");
      const o = obj<Record<string, unknown>>(a[1], "transceive: options");
      const options: TransceiveOptions = { crc: o.crc === true, timeoutUs: num(o.timeoutUs, "timeoutUs") };
      if (o.txBits !== undefined && o.txBits !== null) options.txBits = int(o.txBits, "txBits", 1, 8 * 1024);
      return nfc.transceive(bytes(a[0], "transceive: frame"), options);
    },
  };
}

export function isoDepMethods(nfc: NfcController): Record<string, Method> {
  const engine = nfc.isoDep;
  if (engine === undefined) return {};
  return {
    activate: (a) => (arity(a, 1, "activate"), engine.activate(num(a[0], "activate: timeoutMs"))),
    exchange: (a) => (arity(a, 1, "exchange"), engine.exchange(bytes(a[0], "exchange: apdu"))),
    deselect: (a) => (arity(a, 0, "deselect"), engine.deselect()),
  };
}

export function storageMethods(storage: SecureStorage): Record<string, Method> {
  return {
    maxRecordBytes: (a) => (arity(a, 0, "maxRecordBytes"), storage.maxRecordBytes),
    read: (a) => (arity(a, 1, "read"), storage.read(str(a[0], "read: name"))),
    write: (a) => (arity(a, 2, "write"), storage.write(str(a[0], "write: name"), bytes(a[1], "write: data"))),
    remove: (a) => (arity(a, 1, "remove"), storage.remove(str(a[0], "remove: name"))),
    eraseAll: (a) => (arity(a, 0, "eraseAll"), storage.eraseAll()),
  };
}

export function tamperMethods(tamper: TamperMonitor, emit: EventSink): Record<string, Method> {
  return {
    listen: (a) => (arity(a, 0, "listen"), tamper.onTamper((event) => emit(TAMPER, "tamper", [event])), null),
    latched: (a) => (arity(a, 0, "latched"), tamper.latched()),
    rearm: (a) => (arity(a, 0, "rearm"), tamper.rearm()),
  };
}

/** Serves the firmware's requests from a table of devices, each a table of methods that check their arguments. */
export class DeviceServer {
  private readonly devices = new Map<string, Record<string, Method>>();

  /** Offers `methods` as `device` (replacing a device of that name). */
  add(device: string, methods: Record<string, Method>): void {
    this.devices.set(device, methods);
  }

  /** The devices this server offers (the firmware builds its HAL from them). */
  deviceNames(): string[] {
    return Array.from(this.devices.keys());
  }

  /** Serves one request: the hardware's answer, or the error it (or the check) raised. */
  async serve(request: unknown): Promise<BridgeReply> {
    try {
      const r = obj<BridgeRequest>(request, "a bridge request");
      const methods = this.devices.get(str(r.device, "device"));
      if (methods === undefined) fail(`no device ${String(r.device)} in this simulation`);
      const method = Object.prototype.hasOwnProperty.call(methods, r.method) ? methods[r.method] : undefined;
      if (method === undefined) fail(`${r.device} has no method ${String(r.method)}`);
      if (!Array.isArray(r.args)) fail("args must be a list");
      const args = r.args.map((a) => fromWire(a));
      return { ok: true, value: toWire(await method(args)) };
    } catch (e) {
      return { ok: false, error: describeError(e) };
    }
  }
}

export function randomMethods(random: RandomSource): Record<string, Method> {
  return {
    fill: (a) => {
      arity(a, 1, "fill");
      const out = new Uint8Array(int(a[0], "fill: length", 0, MAX_RANDOM_BYTES));
      random.fill(out);
      return out;
    },
  };
}

export function clockMethods(clock: Clock): Record<string, Method> {
  return {
    nowMs: (a) => (arity(a, 0, "nowMs"), clock.nowMs()),
    sleep: (a) => (arity(a, 1, "sleep"), clock.sleep(num(a[0], "sleep: ms"))),
  };
}

/** The card interfaces and the tamper sensors a simulation has, on `server`. */
export function addCardInterfaces(server: DeviceServer, hardware: SimulatedCardInterfaces,
    emit: EventSink): void {
  if (hardware.contactSlot) server.add(CONTACT_SLOT, contactSlotMethods(hardware.contactSlot));
  if (hardware.magstripeHead) server.add(MAGSTRIPE_HEAD, magstripeMethods(hardware.magstripeHead));
  if (hardware.nfc) {
    server.add(NFC, nfcMethods(hardware.nfc));
    if (hardware.nfc.isoDep) server.add(NFC_ISO_DEP, isoDepMethods(hardware.nfc));
  }
  if (hardware.tamper) server.add(TAMPER, tamperMethods(hardware.tamper, emit));
}
