import { randomFillSync } from "crypto";
import { ManualClock } from "../support/manual-clock";
import type { RandomSource } from "../../hal/random";
import { MemoryCredentialStore, ReaderClient, type ReaderClientOptions } from "../../client";
import { softwareCrypto } from "../../kernel/crypto";
import { MemoryBondStore, ReaderService, type PaymentEngine } from "../../kernel/protocol";
import { loadFleet } from "../../host-sim/fleet/fleet";
import { LoopbackPeripheral, type FrameTap, type LoopbackTransport } from "../../host-sim/gatt/loopback";
import { ScriptedPaymentEngine } from "../../host-sim/reader/scripted-engine";

// A reader and phones joined in memory (host-sim/gatt/loopback.ts), with the simulated fleet's TEST
// keys: what the protocol tests build on.

export const fleet = loadFleet();
export const nodeRandom: RandomSource = { fill: (b) => { randomFillSync(b); } };

export { ManualClock };

export interface Display {
  passkey: string | null;
  pairingCode: string | null;
  codes: string[];
}

export interface TestReader {
  service: ReaderService;
  peripheral: LoopbackPeripheral;
  engine: PaymentEngine;
  display: Display;
  clock: ManualClock;
  bonds: MemoryBondStore;
  /** A phone: its transport and SDK client (the passkey and pairing code typed from the display). */
  phone(options?: {
    credentials?: MemoryCredentialStore; mtu?: number; wrongPasskey?: boolean; requestTimeoutMs?: number;
  } & Pick<ReaderClientOptions, "onMissedOutcome" | "onInternalError">):
    { client: ReaderClient; transport: LoopbackTransport; credentials: MemoryCredentialStore };
}

export async function startTestReader(
  options: { engine?: PaymentEngine; tap?: FrameTap; onlineTimeoutMs?: number; onInternalError?: (e: unknown) => void } = {},
): Promise<TestReader> {
  const display: Display = { passkey: null, pairingCode: null, codes: [] };
  const clock = new ManualClock();
  const peripheral = new LoopbackPeripheral({ random: nodeRandom, tap: options.tap });
  const engine = options.engine ?? new ScriptedPaymentEngine();
  const bonds = new MemoryBondStore();
  const service = new ReaderService({
    peripheral, engine, identity: fleet.readerIdentity, bonds, trustedConfigurationKeys: fleet.trustedConfigurationKeys,
    sha1: (d) => softwareCrypto.sha1(d), random: nodeRandom, clock, onlineTimeoutMs: options.onlineTimeoutMs, onInternalError: options.onInternalError,
    display: {
      showPasskey: (p) => { display.passkey = p; },
      showPairingCode: (c) => { display.pairingCode = c; if (c !== null) display.codes.push(c); },
    },
  });
  await service.start();
  let phones = 0;
  return {
    service, peripheral, engine, display, clock, bonds,
    phone(o = {}) {
      phones++;
      const credentials = o.credentials ?? new MemoryCredentialStore(Uint8Array.of(0x50, 0x48, 0x4f, 0x4e, 0x45, 0, 0, phones));
      const transport = peripheral.transport(async () => (o.wrongPasskey === true ? "000000" : display.passkey ?? ""));
      const client = new ReaderClient({
        transport, credentials, fleetCaPublicKey: fleet.fleetCaPublicKey, random: nodeRandom, preferredMtu: o.mtu ?? 247, requestTimeoutMs: o.requestTimeoutMs ?? 5000,
        onMissedOutcome: o.onMissedOutcome, onInternalError: o.onInternalError,
      });
      return { client, transport, credentials };
    },
  };
}

/** Pairs a connected client, typing the code the reader shows. */
export async function pair(reader: TestReader, client: ReaderClient): Promise<void> {
  await client.pair({ phoneName: "Till 1", code: async () => reader.display.pairingCode ?? "" });
}

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
