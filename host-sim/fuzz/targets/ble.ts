import type { BlePeripheral, BlePeripheralEvents, ConnectionId } from "../../../hal/ble-peripheral";
import type { RandomSource } from "../../../hal/random";
import { fromHex, toHex } from "../../../kernel/bytes";
import { softwareCrypto } from "../../../kernel/crypto";
import { MemoryBondStore, ReaderService, type SessionCrypto } from "../../../kernel/protocol";
import { loadFleet } from "../../fleet/fleet";
import { Prng } from "../../magstripe/prng";
import { ModeledClock } from "../../picc/modeled-clock";
import { ScriptedPaymentEngine } from "../../reader/scripted-engine";
import type { FuzzTarget } from "../fuzz-target";
import corpus from "./corpus/ble.json";
import { isTypedError, joinRecords, splitRecords } from "./outcome";

// Frames from a phone through the reader's side of the BLE protocol (kernel/protocol: framing with
// credits, reassembly, the messages, the secure session, pairing; docs/protocol.md). One reader
// serves every input, as a reader in the field serves connection after connection: each input is
// one connection (connect, MTU 247, an encrypted and authenticated link, notifications on), its frames written to the command
// characteristic (one record each, a one-byte length first, see outcome.ts), then the phone goes.
//
// Defined: the reader answers (alerts) or drops, and after the disconnect holds nothing of the
// connection (no connection, no queued or partial message, no transaction). A throw out of the
// GATT callback, a bug the connection reports through its onInternalError hook (an exception that
// is not a typed MposError: the reader stays up, but the phone got internal-error for hostile
// input, which is a bug), or anything held after the phone left, is a finding: the memory of a reader that
// keeps what hostile phones send grows until it stops. Seeds (corpus/ble.json) are the frames an
// honest phone (the client SDK) sends while it connects, pairs and asks for the device information,
// recorded by test/stress with the loopback GATT of host-sim/gatt.

/** Frames one input may write (a phone can write as fast as the link allows; 64 is several messages). */
const MAX_FRAMES = 64;
/** Microtask turns to let the reader finish with an input's frames (its work is promise chains, no timers). */
const SETTLE_TURNS = 64;

class FuzzPeripheral implements BlePeripheral {
  events: BlePeripheralEvents | null = null;
  notified = 0;
  start(_options: unknown, events: BlePeripheralEvents): void {
    this.events = events;
  }
  async notify(): Promise<void> {
    this.notified++;
  }
  disconnect(connection: ConnectionId): void {
    this.events?.onDisconnect(connection);
  }
  stop(): void {
    this.events = null;
  }
}

/** Deterministic randomness for the rig (session keys of a fuzzing reader protect nothing). */
function seededRandom(seed: number): RandomSource {
  const prng = new Prng(seed);
  return { fill: (bytes) => { for (let i = 0; i < bytes.length; i++) bytes[i] = prng.int(0, 255); } };
}

interface Rig {
  service: ReaderService;
  peripheral: FuzzPeripheral;
  events: BlePeripheralEvents;
  next: number;
  /** Bugs the reader reported while the current input ran (ReaderServiceOptions.onInternalError). */
  bugs: unknown[];
}

async function readerRig(crypto: SessionCrypto | undefined): Promise<Rig> {
  const fleet = loadFleet();
  const peripheral = new FuzzPeripheral();
  const bugs: unknown[] = [];
  const service = new ReaderService({
    peripheral, engine: new ScriptedPaymentEngine(), identity: fleet.readerIdentity, bonds: new MemoryBondStore(),
    trustedConfigurationKeys: fleet.trustedConfigurationKeys, sha1: (d) => softwareCrypto.sha1(d), random: seededRandom(12),
    clock: new ModeledClock(), crypto, display: { showPasskey: () => undefined, showPairingCode: () => undefined },
    onInternalError: (e) => { bugs.push(e); },
  });
  await service.start();
  if (!peripheral.events) throw new Error("ble fuzz: the reader did not start its GATT service");
  return { service, peripheral, events: peripheral.events, next: 1, bugs };
}

async function settle(): Promise<void> {
  for (let i = 0; i < SETTLE_TURNS; i++) await Promise.resolve();
}

/** The first bug the reader reported for an input, as a finding's text, or null. */
export function reportedBug(bugs: readonly unknown[]): string | null {
  if (bugs.length === 0) return null;
  const e = bugs[0];
  return `ble: the reader reported an internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
}

/** What the reader holds now, as a finding's text, or null when it holds nothing of gone phones. */
export function heldAfterDisconnect(service: ReaderService): string | null {
  const d = service.diagnostics();
  if (d.connections !== 0 || d.queuedMessages !== 0 || d.backlog !== 0 || d.partialMessages !== 0 || d.transactionActive) {
    return `ble: the reader still holds ${JSON.stringify(d)} after the phone left`;
  }
  return null;
}

/**
 * The target over a reader of its own. `crypto` replaces the session's crypto provider (a test
 * plants a bug in it to show the target reports what the reader's hook reports).
 */
export function bleFuzzTarget(options: { crypto?: SessionCrypto } = {}): FuzzTarget & { notifications(): number } {
  let rig: Rig | null = null;
  return {
    name: "ble-frames",
    seeds: () => (corpus as { seeds: string[] }).seeds.map(fromHex),
    maxLength: 4096,
    async run(input) {
      rig ??= await readerRig(options.crypto);
      const r = rig;
      const id = r.next++;
      r.bugs.length = 0;
      r.events.onConnect(id);
      r.events.onMtu(id, 247);
      // The link as the BLE stack hands it over after passkey pairing (LE Secure Connections).
      r.events.onSecurity(id, { encrypted: true, authenticated: true, bonded: false });
      r.events.onSubscribe(id, true);
      try {
        for (const frame of splitRecords(input, MAX_FRAMES)) r.events.onCommand(id, frame.slice());
        await settle();
      } finally {
        r.events.onDisconnect(id);
        await settle();
      }
      const finding = reportedBug(r.bugs) ?? heldAfterDisconnect(r.service);
      if (finding) throw new Error(finding);
    },
    isDefinedError: isTypedError,
    notifications: () => (rig ? rig.peripheral.notified : 0),
  };
}

export const bleTarget = bleFuzzTarget();

/** Notifications the reader sent to fuzzing phones so far (a test checks the reader really answered). */
export function bleNotifications(): number {
  return bleTarget.notifications();
}

/** Joins recorded frames into one seed (the recorder lives in the test: it needs the phone SDK on Node). */
export function bleSeed(frames: Uint8Array[]): string {
  return toHex(joinRecords(frames.slice(0, MAX_FRAMES)));
}
