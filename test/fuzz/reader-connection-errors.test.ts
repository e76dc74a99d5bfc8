import { randomFillSync } from "crypto";
import type { RandomSource } from "../../hal/random";
import { softwareCrypto } from "../../kernel/crypto";
import {
  encodeHello, FrameLink, MemoryBondStore, PROTOCOL_VERSION, ReaderService, RECORD_ALERT, RECORD_HANDSHAKE, softwareSessionCrypto, STATUS,
  type SessionCrypto,
} from "../../kernel/protocol";
import { fuzzTarget } from "../../host-sim/fuzz/run-fuzz";
import { bleFuzzTarget } from "../../host-sim/fuzz/targets/ble";
import { loadFleet } from "../../host-sim/fleet/fleet";
import { LoopbackPeripheral } from "../../host-sim/gatt/loopback";
import { ModeledClock } from "../../host-sim/picc/modeled-clock";
import { ScriptedPaymentEngine } from "../../host-sim/reader/scripted-engine";

// Issue 12, item 1 (a fuzzer must see bugs): kernel/protocol/reader-connection.ts keeps hostile
// input (a typed MposError: alert, the connection goes on) apart from a bug of the reader (any other
// exception: reported through onInternalError, alert internal-error, the connection ended), and the
// BLE fuzz target turns a reported bug into a finding. The bug is planted in the session crypto's
// point check, which every HELLO that decodes reaches.

const fleet = loadFleet();
const random: RandomSource = { fill: (b) => { randomFillSync(b); } };

/** The software session crypto with a bug that `armed.on` switches on. */
function plantedBug(armed: { on: boolean }): SessionCrypto {
  return {
    ...softwareSessionCrypto,
    validPublicKey: (key) => {
      if (armed.on) throw new TypeError("planted bug in the point check");
      return softwareSessionCrypto.validPublicKey(key);
    },
  };
}

function hello(): Uint8Array {
  const pair = softwareSessionCrypto.generateKeyPair(random);
  const nonce = new Uint8Array(16);
  random.fill(nonce);
  return Uint8Array.of(RECORD_HANDSHAKE, ...encodeHello({ protocolVersions: Uint8Array.of(PROTOCOL_VERSION), ephemeralKey: pair.publicKey, nonce }));
}

const turns = async (): Promise<void> => { for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r)); };

async function readerWith(crypto: SessionCrypto, onInternalError?: (e: unknown) => void) {
  const peripheral = new LoopbackPeripheral({ random });
  let passkey = "";
  const service = new ReaderService({
    peripheral, engine: new ScriptedPaymentEngine(), identity: fleet.readerIdentity, bonds: new MemoryBondStore(),
    trustedConfigurationKeys: fleet.trustedConfigurationKeys, sha1: (d) => softwareCrypto.sha1(d), random, clock: new ModeledClock(), crypto,
    display: { showPasskey: (k) => { if (k !== null) passkey = k; }, showPairingCode: () => undefined }, onInternalError,
  });
  await service.start();
  /** A phone on a secured link that sends whole records and keeps the records it gets back. */
  async function phone() {
    const transport = peripheral.transport(async () => passkey);
    const { attMtu } = await transport.connect({ preferredMtu: 247 });
    await transport.secureLink();
    const records: Uint8Array[] = [];
    let disconnected = false;
    transport.onDisconnect(() => { disconnected = true; });
    const link = new FrameLink({ attMtu, send: (f) => transport.write(f, false), onMessage: (b) => records.push(b) });
    await transport.subscribe((f) => link.receiveFrame(f));
    return {
      records,
      disconnected: () => disconnected,
      send: async (record: Uint8Array) => { await link.sendMessage(record); await turns(); },
    };
  }
  return { service, phone };
}

describe("reader connection: hostile input apart from bugs", () => {
  it("hostile input (a HELLO that does not decode) ends in alert malformed and the connection goes on", async () => {
    const bugs: unknown[] = [];
    const reader = await readerWith(plantedBug({ on: false }), (e) => bugs.push(e));
    const p = await reader.phone();
    await p.send(hello().subarray(0, 12)); // cut inside its key share
    expect(Array.from(p.records[0])).toEqual([RECORD_ALERT, STATUS.malformed]);
    // The same connection then serves an honest HELLO.
    await p.send(hello());
    expect(p.records[1][0]).toBe(RECORD_HANDSHAKE);
    expect(p.disconnected()).toBe(false);
    expect(bugs).toEqual([]);
    expect(reader.service.diagnostics().connections).toBe(1);
  });

  it("a bug while a record is processed: the hook gets the error, the phone gets alert internal-error, the reader disconnects it and stays up", async () => {
    const bugs: unknown[] = [];
    const armed = { on: true };
    const reader = await readerWith(plantedBug(armed), (e) => bugs.push(e));
    const p = await reader.phone();
    await p.send(hello());
    expect(bugs).toHaveLength(1);
    expect(bugs[0]).toBeInstanceOf(TypeError);
    expect(Array.from(p.records[0])).toEqual([RECORD_ALERT, STATUS.internalError]);
    expect(p.disconnected()).toBe(true);
    expect(reader.service.diagnostics()).toMatchObject({ connections: 0, queuedMessages: 0, backlog: 0 });
    // The reader serves the next phone.
    armed.on = false;
    const next = await reader.phone();
    await next.send(hello());
    expect(next.records[0][0]).toBe(RECORD_HANDSHAKE);
  });

  it("without a hook a bug still ends in alert internal-error and a disconnect, never an exception", async () => {
    const reader = await readerWith(plantedBug({ on: true }));
    const p = await reader.phone();
    await p.send(hello());
    expect(Array.from(p.records[0])).toEqual([RECORD_ALERT, STATUS.internalError]);
    expect(p.disconnected()).toBe(true);
  });

  it("the BLE fuzz target records a bug the reader reports as a finding", async () => {
    const target = bleFuzzTarget({ crypto: plantedBug({ on: true }) });
    const report = await fuzzTarget(target, 30, 5);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings[0].error).toBe("Error: ble: the reader reported an internal error: TypeError: planted bug in the point check");
  });
});
