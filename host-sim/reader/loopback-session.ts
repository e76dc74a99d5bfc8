import type { Clock } from "../../hal/clock";
import { MemoryCredentialStore, ReaderClient, type BleStats } from "../../client";
import { PhoneSession } from "../../client/phone-session";
import { fromHex, toHex, writeUint } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import {
  MemoryBondStore, ReaderService, ReaderSession, softwareSessionCrypto, type AuthorisationData, type OnlineAnswer, type PaymentEngine,
  type ReaderEvent,
} from "../../kernel/protocol";
import { loadFleet, type SimulatedFleet } from "../fleet/fleet";
import { LoopbackPeripheral } from "../gatt/loopback";
import { SeededRandom } from "../sim/seeded-random";
import { ScriptedPaymentEngine } from "./scripted-engine";

// Whole protocol runs in memory, repeatable from a seed, for the XS services and the bench: the
// reader service and the phone SDK over the loopback GATT link, with the scripted payment engine.
// Pure TypeScript with no timers: a run completes within one XS crank, and gives the same answer on
// Node and on XS.

/** A clock that never moves (a run does not wait on time). */
const stillClock: Clock = { nowMs: () => 0, sleep: () => new Promise<void>(() => undefined) };
const noTimer = (): (() => void) => () => undefined;

let fleetCache: SimulatedFleet | null = null;
function fleet(): SimulatedFleet {
  if (fleetCache === null) fleetCache = loadFleet();
  return fleetCache;
}

function seeded(seed: number, domain: number): SeededRandom {
  return new SeededRandom(softwareCrypto, Uint8Array.from([...writeUint(seed >>> 0, 4), domain]));
}

export interface LoopbackPaymentResult {
  result: string;
  maskedPan: string | null;
  events: ReaderEvent["kind"][];
  /** The payment alone (start transaction to outcome). */
  ble: BleStats;
  /** Connecting, securing the link, the handshake and pairing. */
  setup: BleStats;
  /** The payment's bytes as frames, and as the messages (records) they carried: framing overhead. */
  framing: { frameBytes: number; messageBytes: number };
}

export interface LoopbackPaymentOptions {
  mtu: number;
  seed: number;
  amount?: number;
  /** ISO 4217 numeric (default 978). */
  currency?: number;
  /** Default: the scripted engine. */
  engine?: PaymentEngine;
  /** The acquirer (default: approves with ARC 00). */
  authorise?(data: AuthorisationData): Promise<OnlineAnswer>;
}

/** Connects a phone, pairs it, and runs one approved payment at `mtu`. */
export async function runLoopbackPayment(args: LoopbackPaymentOptions): Promise<LoopbackPaymentResult> {
  const f = fleet();
  const display = { passkey: "", code: "" };
  const peripheral = new LoopbackPeripheral({ random: seeded(args.seed, 1) });
  const service = new ReaderService({
    peripheral, engine: args.engine ?? new ScriptedPaymentEngine(), identity: f.readerIdentity, bonds: new MemoryBondStore(),
    trustedConfigurationKeys: f.trustedConfigurationKeys, sha1: (d) => softwareCrypto.sha1(d), random: seeded(args.seed, 2), clock: stillClock,
    display: { showPasskey: (p) => { display.passkey = p ?? ""; }, showPairingCode: (c) => { display.code = c ?? ""; } },
  });
  await service.start();
  const client = new ReaderClient({
    transport: peripheral.transport(async () => display.passkey), fleetCaPublicKey: f.fleetCaPublicKey,
    credentials: new MemoryCredentialStore(fromHex("0102030405060708")), random: seeded(args.seed, 3), preferredMtu: args.mtu,
    setTimer: noTimer, nowSeconds: () => null,
  });
  await client.connect();
  await client.pair({ phoneName: "loopback", code: async () => display.code });
  const setup = client.stats();
  const setupLink = client.linkStats()!;
  const tx = await client.startTransaction({ amount: args.amount ?? 1234, currency: args.currency ?? 978, transactionType: "purchase" },
    { authorise: args.authorise ?? (async () => ({ result: "answered", arc: "00" })) });
  const events: ReaderEvent["kind"][] = [];
  for await (const e of tx.events) events.push(e.kind);
  const outcome = await tx.outcome;
  const all = client.stats();
  const link = client.linkStats()!;
  await client.disconnect();
  service.stop();
  return {
    result: outcome.result,
    maskedPan: outcome.maskedPan ?? null,
    events,
    ble: { mtu: all.mtu, frames: all.frames - setup.frames, bytes: all.bytes - setup.bytes, roundTrips: all.roundTrips - setup.roundTrips },
    setup,
    framing: {
      frameBytes: link.bytesSent + link.bytesReceived - setupLink.bytesSent - setupLink.bytesReceived,
      messageBytes: link.messageBytesSent + link.messageBytesReceived - setupLink.messageBytesSent - setupLink.messageBytesReceived,
    },
  };
}

/** The phone's HELLO for a seed (to hand to readerHandshake on either engine). */
export function phoneHello(seed: number): string {
  return toHex(new PhoneSession({ crypto: softwareSessionCrypto, random: seeded(seed, 4), fleetCaPublicKey: fleet().fleetCaPublicKey, nowSeconds: null }).start());
}

/**
 * The reader's side of one session setup: a fresh ephemeral key, ECDH, the signature of the
 * transcript, the key schedule. What the XS meter of this call measures is the public-key cost of
 * one connection.
 */
export function readerHandshake(args: { hello: string; seed: number }): { reply: string } {
  const session = new ReaderSession({ crypto: softwareSessionCrypto, random: seeded(args.seed, 5), identity: fleet().readerIdentity });
  const reply = session.handleHello(fromHex(args.hello));
  session.end();
  return { reply: toHex(reply) };
}
