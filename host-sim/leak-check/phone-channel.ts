import { MemoryCredentialStore, ReaderClient } from "../../client";
import type { Clock } from "../../hal/clock";
import { fromHex, writeUint } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { MemoryBondStore, ReaderService } from "../../kernel/protocol";
import { loadFleet } from "../fleet/fleet";
import { LoopbackPeripheral } from "../gatt/loopback";
import { issuerWithWallets } from "../picc/run-contactless";
import { authorizationRequest, onlineAnswer } from "../reader/acquirer";
import { SimPaymentEngine, type PresentedCard } from "../reader/sim-payment-engine";
import { SeededRandom } from "../sim/seeded-random";
import { valueAsText } from "./channel-scanner";
import { bytesAsText, scanText, type LeakHit, type SecretSet } from "./scan";

// The BLE channel of the leak check: a phone (the client SDK) pays on the simulated reader (the
// reader service over the simulator's payment engine, real cards, the issuer host online) over the
// loopback GATT link. Scanned: every frame in both directions as it crosses the air (hex), and
// everything the phone receives once the session decrypts it (events, prompts, the authorisation
// request it relays, the outcome), as the phone's app would see it.

const stillClock: Clock = { nowMs: () => 0, sleep: () => new Promise<void>(() => undefined) };

function seeded(seed: number, domain: number): SeededRandom {
  return new SeededRandom(softwareCrypto, Uint8Array.from([...writeUint(seed >>> 0, 4), domain]));
}

const text = valueAsText;

export async function scanPhonePayments(secrets: SecretSet, cards: PresentedCard[]): Promise<{ payments: number; frames: number; leaks: LeakHit[] }> {
  const fleet = loadFleet();
  const leaks: LeakHit[] = [];
  let frames = 0;
  for (let i = 0; i < cards.length; i++) {
    const issuer = issuerWithWallets();
    const presented = cards[i];
    const engine = new SimPaymentEngine({ presentCard: () => presented, issuer, model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "0.1.0" });
    const display = { passkey: "", code: "" };
    const peripheral = new LoopbackPeripheral({
      random: seeded(i, 1),
      tap: (direction, frame) => {
        frames++;
        for (const hit of scanText(secrets, `BLE frame ${direction}`, bytesAsText(frame))) leaks.push(hit);
        return [frame];
      },
    });
    const service = new ReaderService({
      peripheral, engine, identity: fleet.readerIdentity, bonds: new MemoryBondStore(), trustedConfigurationKeys: fleet.trustedConfigurationKeys,
      sha1: (d) => softwareCrypto.sha1(d), random: seeded(i, 2), clock: stillClock,
      display: { showPasskey: (p) => { display.passkey = p ?? ""; }, showPairingCode: (c) => { display.code = c ?? ""; } },
    });
    await service.start();
    const client = new ReaderClient({
      transport: peripheral.transport(async () => display.passkey), fleetCaPublicKey: fleet.fleetCaPublicKey,
      credentials: new MemoryCredentialStore(fromHex("0102030405060708")), random: seeded(i, 3), preferredMtu: 185,
      setTimer: () => () => undefined, nowSeconds: () => null,
    });
    await client.connect();
    await client.pair({ phoneName: "leak check", code: async () => display.code });
    const tx = await client.startTransaction({ amount: 1234, currency: 840, transactionType: "purchase" }, {
      authorise: async (data) => {
        for (const hit of scanText(secrets, "authorisation request the phone relays", text(data))) leaks.push(hit);
        return onlineAnswer(await issuer.authorize(authorizationRequest(data)));
      },
    });
    for await (const e of tx.events) for (const hit of scanText(secrets, "BLE event to the phone", text(e))) leaks.push(hit);
    const outcome = await tx.outcome;
    for (const hit of scanText(secrets, "BLE outcome to the phone", text(outcome))) leaks.push(hit);
    for (const hit of scanText(secrets, "device information", text(await client.getInfo()))) leaks.push(hit);
    await client.disconnect();
    service.stop();
  }
  return { payments: cards.length, frames, leaks };
}
