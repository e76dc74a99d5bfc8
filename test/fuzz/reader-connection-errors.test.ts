import { randomFillSync } from "crypto";
import type { RandomSource } from "../../hal/random";
import { ReaderStatusError } from "../../client";
import { softwareCrypto } from "../../kernel/crypto";
import { MposError } from "../../kernel/errors";
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
import * as frameCodec from "../../kernel/protocol/frame";
import { pair, startTestReader, tick } from "../protocol/support";

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

// The same rule one layer down and one up: the framing layer (frame-link.ts) drops a frame that does
// not decode (a typed FramingError) but lets a bug out to the connection; a request handler
// (request-handlers.ts) answers an engine's typed error with its status but lets a bug out too. Both
// reach the hook; the reader service reports a transaction the engine failed with a bug as well.

/** A reader on the scripted engine with `plant` applied, a paired phone, and the bugs the hook got. */
async function pairedPhoneWith(plant: (engine: ScriptedPaymentEngine) => void) {
  const bugs: unknown[] = [];
  const engine = new ScriptedPaymentEngine({ offline: true });
  plant(engine);
  const reader = await startTestReader({ engine, onInternalError: (e) => bugs.push(e) });
  const phone = reader.phone();
  await phone.client.connect();
  await pair(reader, phone.client);
  const disconnected = { value: false };
  phone.transport.onDisconnect(() => { disconnected.value = true; });
  return { bugs, reader, phone, disconnected };
}

describe("request handlers and framing: hostile input apart from bugs", () => {
  afterEach(() => jest.restoreAllMocks());

  it("an engine's typed error ends in its status (tampered); no hook, and the connection serves the next request", async () => {
    const { bugs, reader, phone, disconnected } = await pairedPhoneWith((engine) => {
      engine.status = () => Promise.reject(new MposError("tampered", "key store: tampered"));
    });
    const refused = await phone.client.getStatus().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReaderStatusError);
    expect((refused as ReaderStatusError).status).toBe("tampered");
    expect(bugs).toEqual([]);
    expect((await phone.client.getInfo()).serial).toBe("MPOSR1SIM0001");
    expect(disconnected.value).toBe(false);
    reader.service.stop();
  });

  it("a bug in a request handler (the engine throws a TypeError): the hook gets it, the phone gets alert internal-error, the reader disconnects it", async () => {
    const { bugs, reader, phone, disconnected } = await pairedPhoneWith((engine) => {
      engine.status = () => { throw new TypeError("planted bug in status"); };
    });
    const refused = await phone.client.getStatus().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReaderStatusError);
    expect((refused as ReaderStatusError).status).toBe("internalError");
    for (let i = 0; i < 10 && !disconnected.value; i++) await tick();
    expect(bugs).toHaveLength(1);
    expect(bugs[0]).toBeInstanceOf(TypeError);
    expect(disconnected.value).toBe(true);
    expect(reader.service.diagnostics().connections).toBe(0);
    reader.service.stop();
  });

  it("an engine that fails a transaction with a bug: the phone gets outcome failed (internalError), the hook gets the error", async () => {
    const { bugs, reader, phone } = await pairedPhoneWith((engine) => {
      engine.runTransaction = () => Promise.reject(new RangeError("planted bug in the payment"));
    });
    const tx = await phone.client.startTransaction({ amount: 100, currency: 978, transactionType: "purchase" });
    expect(await tx.outcome).toEqual({ result: "failed", reason: "internalError", emvData: [] });
    expect(bugs).toHaveLength(1);
    expect(bugs[0]).toBeInstanceOf(RangeError);
    reader.service.stop();
  });

  it("an engine that ends a transaction with a typed error: outcome failed (internalError), no hook", async () => {
    const { bugs, reader, phone } = await pairedPhoneWith((engine) => {
      engine.runTransaction = () => Promise.reject(new MposError("no-key", "key store: no data key"));
    });
    const tx = await phone.client.startTransaction({ amount: 100, currency: 978, transactionType: "purchase" });
    expect((await tx.outcome).result).toBe("failed");
    expect(bugs).toEqual([]);
    reader.service.stop();
  });

  it("a frame that does not decode is dropped by the framing layer (counted), no hook, the connection goes on", async () => {
    const bugs: unknown[] = [];
    const reader = await readerWith(softwareSessionCrypto, (e) => bugs.push(e));
    const p = await reader.phone();
    const connection = reader.service.connection(1);
    connection?.onFrame(Uint8Array.of(0xff, 0xff, 0xff));
    expect(connection?.link.stats.framesDropped).toBe(1);
    await p.send(hello());
    expect(p.records[0][0]).toBe(RECORD_HANDSHAKE);
    expect(bugs).toEqual([]);
    expect(p.disconnected()).toBe(false);
  });

  it("a bug in the framing layer (the frame decoder throws a TypeError): the hook gets it, alert internal-error, the reader disconnects the phone", async () => {
    const bugs: unknown[] = [];
    const reader = await readerWith(softwareSessionCrypto, (e) => bugs.push(e));
    const p = await reader.phone();
    // Only the reader's next decode fails: the phone's side decodes the alert as usual.
    jest.spyOn(frameCodec, "decodeFrame").mockImplementationOnce(() => { throw new TypeError("planted bug in the frame decoder"); });
    await p.send(hello());
    expect(bugs).toHaveLength(1);
    expect(bugs[0]).toBeInstanceOf(TypeError);
    expect(Array.from(p.records[0])).toEqual([RECORD_ALERT, STATUS.internalError]);
    expect(p.disconnected()).toBe(true);
    expect(reader.service.diagnostics().connections).toBe(0);
  });
});
