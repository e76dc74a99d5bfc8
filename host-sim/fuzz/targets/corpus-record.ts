import { MemoryCredentialStore, ReaderClient } from "../../../client";
import type { RandomSource } from "../../../hal/random";
import { softwareCrypto } from "../../../kernel/crypto";
import { MemoryBondStore, ReaderService } from "../../../kernel/protocol";
import { loadFleet } from "../../fleet/fleet";
import { LoopbackPeripheral } from "../../gatt/loopback";
import { Prng } from "../../magstripe/prng";
import { ModeledClock } from "../../picc/modeled-clock";
import { ScriptedPaymentEngine } from "../../reader/scripted-engine";
import { bleSeed } from "./ble";
import { recordContactlessFrameSeeds, recordContactlessResponseSeeds } from "./contactless";
import { recordEmvResponseSeeds } from "./emv-responses";
import { recordIsoDepSeeds } from "./iso14443";

// Records the seed corpora of corpus/*.json from the simulator's honest devices (Node only: the
// phone SDK's recording runs here). test/stress/fuzz-targets.test.ts records them again and compares
// with the files, and prints the new JSON when a device's behaviour changed on purpose.

function seededRandom(seed: number): RandomSource {
  const prng = new Prng(seed);
  return { fill: (bytes) => { for (let i = 0; i < bytes.length; i++) bytes[i] = prng.int(0, 255); } };
}

/** The frames an honest phone writes while it connects, pairs and reads the device information. */
export async function recordBleSeeds(): Promise<string[]> {
  const fleet = loadFleet();
  const frames: Uint8Array[] = [];
  const display = { passkey: "", code: "" };
  const peripheral = new LoopbackPeripheral({
    random: seededRandom(1),
    tap: (direction, frame) => {
      if (direction === "to-reader") frames.push(frame.slice());
      return [frame];
    },
  });
  const service = new ReaderService({
    peripheral, engine: new ScriptedPaymentEngine(), identity: fleet.readerIdentity, bonds: new MemoryBondStore(),
    trustedConfigurationKeys: fleet.trustedConfigurationKeys, sha1: (d) => softwareCrypto.sha1(d), random: seededRandom(2),
    clock: new ModeledClock(),
    display: { showPasskey: (p) => { display.passkey = p ?? ""; }, showPairingCode: (c) => { display.code = c ?? ""; } },
  });
  await service.start();
  const seeds: string[] = [];
  for (const mtu of [23, 247]) {
    frames.length = 0;
    const client = new ReaderClient({
      transport: peripheral.transport(async () => display.passkey), credentials: new MemoryCredentialStore(Uint8Array.of(0x50, 0x48, 0x4f, 0x4e, 0x45, 0, 0, mtu)),
      fleetCaPublicKey: fleet.fleetCaPublicKey, random: seededRandom(3), preferredMtu: mtu, requestTimeoutMs: 5000,
    });
    await client.connect();
    await client.pair({ phoneName: "Till 1", code: async () => display.code });
    await client.getInfo();
    await client.disconnect();
    seeds.push(bleSeed(frames));
  }
  service.stop();
  return seeds;
}

/** Every recorded corpus, by file name. */
export async function recordCorpora(): Promise<Record<string, string[]>> {
  return {
    "iso-dep.json": await recordIsoDepSeeds(),
    "emv-responses.json": await recordEmvResponseSeeds(),
    "ble.json": await recordBleSeeds(),
    "contactless-responses.json": await recordContactlessResponseSeeds(),
    "contactless-frames.json": await recordContactlessFrameSeeds(),
  };
}
