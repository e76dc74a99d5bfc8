// The firmware's entry point on the XS engine of the simulator (xsnap-worker): the same reader
// application as firmware/main.ts runs on the ESP32, with the hal/xs-bridge drivers in place of
// hal/esp32, so that its hardware is the simulator's mock hardware on the host. The host drives it
// through globalThis.handleCommand (host-sim/xs-bridge/firmware-engine.ts), one JSON message a crank:
//
//   {"boot":{"devices":[...],"measureHeap":true}}   build the HAL from the devices the host serves
//   {"run":<control command>}                       start a command (firmware/app/control.ts)
//   {"resume":{"id":N,"reply":{...}}}               the host's answer to parked request N
//   {"event":{"device":"tamper","event":"tamper","args":[...]}}   hardware raised an event
//
// Every crank answers, once its jobs are drained, {"done":value} or {"failed":error} when the
// command ended, else {"waiting":[requests]} with what the firmware waits for, else {"idle":true}.
// With measureHeap the engine collects garbage before it answers, so the XS meter's heap count is
// the live heap at that moment: the firmware's heap while it waits for hardware.
import type { ReaderHal } from "./app/reader-hal";
import { ReaderControl } from "./app/control";
import { BridgeAcquirer } from "../hal/xs-bridge/acquirer";
import { BridgeCardholder } from "../hal/xs-bridge/cardholder";
import { BridgeClock } from "../hal/xs-bridge/clock";
import { BridgeContactSlot, CONTACT_SLOT } from "../hal/xs-bridge/contact-slot";
import { BridgeContactlessUi, CONTACTLESS_UI } from "../hal/xs-bridge/contactless-ui";
import { XsnapHostLink, type XsnapGlobals } from "../hal/xs-bridge/host-link";
import { BridgeMagstripeHead, MAGSTRIPE_HEAD } from "../hal/xs-bridge/magstripe-head";
import { BridgeNfcController, NFC } from "../hal/xs-bridge/nfc-controller";
import { BridgeRandom } from "../hal/xs-bridge/random";
import { BridgeSecureStorage } from "../hal/xs-bridge/secure-storage";
import { BridgeTamper, TAMPER } from "../hal/xs-bridge/tamper";
import { BridgeWireError, decodeJson, describeError, encodeJson, toWire } from "../hal/xs-bridge/wire";

declare const globalThis: XsnapGlobals & { handleCommand?: (message: ArrayBuffer) => { readonly result: ArrayBuffer } };

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

const link = new XsnapHostLink(globalThis);
let control: ReaderControl | null = null;
let measureHeap = false;
let running = false;
let settled: Settled | null = null;

function boot(options: { devices?: unknown; measureHeap?: unknown }): void {
  const devices = Array.isArray(options.devices) ? options.devices.filter((d): d is string => typeof d === "string") : [];
  const has = (d: string) => devices.indexOf(d) >= 0;
  const hal: ReaderHal = {
    random: new BridgeRandom(link),
    clock: new BridgeClock(link),
    storage: new BridgeSecureStorage(link),
    cardholder: new BridgeCardholder(link),
  };
  if (has(CONTACT_SLOT)) hal.contactSlot = new BridgeContactSlot(link);
  if (has(MAGSTRIPE_HEAD)) hal.magstripeHead = new BridgeMagstripeHead(link);
  if (has(NFC)) hal.nfc = new BridgeNfcController(link);
  if (has(CONTACTLESS_UI)) hal.contactlessUi = new BridgeContactlessUi(link);
  if (has(TAMPER)) hal.tamper = new BridgeTamper(link);
  control = new ReaderControl(hal, new BridgeAcquirer(link));
  measureHeap = options.measureHeap === true;
}

function run(command: unknown): void {
  if (control === null) throw new BridgeWireError("boot the firmware before running a command");
  if (running) throw new BridgeWireError("a command is already running");
  running = true;
  control.handle(command).then(
    (value) => { settled = { ok: true, value }; running = false; },
    (error) => { settled = { ok: false, error }; running = false; },
  );
}

function dispatch(message: Record<string, unknown>): void {
  if (message.boot !== undefined) boot(message.boot as Record<string, unknown>);
  else if (message.run !== undefined) run(message.run);
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
  let state: unknown;
  if (settled !== null) {
    const s: Settled = settled;
    settled = null;
    state = s.ok ? { done: toWire(s.value) } : { failed: describeError(s.error) };
  } else {
    const waiting = link.waiting();
    state = waiting.length > 0 ? { waiting } : { idle: true };
  }
  if (measureHeap && typeof globalThis.gc === "function") globalThis.gc();
  return encodeJson(state);
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
