import { ConnectionError, MemoryCredentialStore, ReaderStatusError, type ReaderEvent } from "../../client";
import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import type { ReaderConfiguration } from "../../kernel/protocol";
import { ScriptedPaymentEngine } from "../../host-sim/reader/scripted-engine";
import { fleet, pair, startTestReader, tick } from "./support";

// The whole protocol over the in-memory GATT link: a phone connects, secures the link with the
// passkey the reader shows, hand-shakes, pairs with the 6-digit code, and pays.

const PURCHASE = { amount: 1234, currency: 978, transactionType: "purchase" as const };

async function collect(events: AsyncIterable<ReaderEvent>): Promise<ReaderEvent[]> {
  const out: ReaderEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe("reader service: a payment from a paired phone", () => {
  it.each([23, 247])("at ATT_MTU %i: prompts, card, PIN digits, online authorisation, approved outcome", async (mtu) => {
    const reader = await startTestReader();
    const { client } = reader.phone({ mtu });
    const info = await client.connect();
    expect(info).toMatchObject({ model: "MPOS-R1", serial: "MPOSR1SIM0001" });
    expect(client.paired).toBe(false);
    await pair(reader, client);
    expect(client.paired).toBe(true);
    const tx = await client.startTransaction(PURCHASE, { authorise: async () => ({ result: "answered", arc: "00" }) });
    const events = await collect(tx.events);
    const outcome = await tx.outcome;
    expect(outcome).toMatchObject({ result: "approved", maskedPan: "476173******0119", cardInterface: "contact" });
    expect(outcome.envelope?.ksn).toHaveLength(12);
    expect(events.map((e) => e.kind)).toEqual([
      "prompt", "card-detected", "prompt", "pin-entry", "pin-entry", "pin-entry", "pin-entry", "prompt", "prompt", "online-request", "prompt", "outcome",
    ]);
    expect(events.filter((e) => e.kind === "pin-entry").map((e) => (e as { digits: number }).digits)).toEqual([1, 2, 3, 4]);
    const online = events.find((e) => e.kind === "online-request") as Extract<ReaderEvent, { kind: "online-request" }>;
    expect(online.authorisation.pinBlock?.format).toBe(4);
    expect(client.stats().mtu).toBe(mtu);
    expect(client.stats().frames).toBeGreaterThan(0);
  });

  it("a declining host makes a declined outcome (data, not an exception)", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const tx = await client.startTransaction(PURCHASE, { authorise: async () => ({ result: "answered", arc: "51" }) });
    await expect(tx.outcome).resolves.toMatchObject({ result: "declined", reason: "declinedByIssuer" });
  });

  it("a phone that does not relay the host's answer in time: the reader completes as unable to go online", async () => {
    const reader = await startTestReader({ onlineTimeoutMs: 30_000 });
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const tx = await client.startTransaction(PURCHASE);
    for await (const e of tx.events) if (e.kind === "online-request") break;
    reader.clock.advance(30_000);
    await expect(tx.outcome).resolves.toMatchObject({ result: "declined", reason: "unableToGoOnline" });
  });

  it("cancel stops a transaction that waits for a card; a second start while one runs is busy", async () => {
    const reader = await startTestReader({ engine: new ScriptedPaymentEngine({ waitForCancel: true }) });
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const tx = await client.startTransaction(PURCHASE);
    await expect(client.startTransaction(PURCHASE)).rejects.toMatchObject({ status: "busy" });
    await tx.cancel();
    await expect(tx.outcome).resolves.toMatchObject({ result: "cancelled" });
    await expect(client.cancel()).rejects.toMatchObject({ status: "noTransaction" });
  });

  it("an online response for another transaction id is refused (noTransaction)", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const tx = await client.startTransaction(PURCHASE);
    for await (const e of tx.events) if (e.kind === "online-request") break;
    await expect(client.sendOnlineResponse(tx.id + 1, { result: "answered", arc: "00" })).rejects.toMatchObject({ status: "noTransaction" });
    await client.sendOnlineResponse(tx.id, { result: "answered", arc: "00" });
    await expect(tx.outcome).resolves.toMatchObject({ result: "approved" });
  });

  it.each([
    ["a zero amount", { ...PURCHASE, amount: 0 }],
    ["cash back without Amount, Other", { ...PURCHASE, transactionType: "cashback" as const }],
    ["Amount, Other above Amount, Authorised", { ...PURCHASE, transactionType: "cashback" as const, otherAmount: 2000 }],
    ["Amount, Other on a purchase", { ...PURCHASE, otherAmount: 100 }],
    ["no interface", { ...PURCHASE, interfaces: [] }],
  ])("start transaction with %s is invalidParameter", async (_name, request) => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    await expect(client.startTransaction(request)).rejects.toMatchObject({ status: "invalidParameter" });
  });

  it("get info (keys and KSNs), get status, set time", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const info = await client.getInfo();
    expect(info).toMatchObject({ model: "MPOS-R1", firmwareVersion: "1.0.0", configurationVersion: 0 });
    expect(info.keys.map((k) => k.usage)).toEqual(["pin", "data"]);
    expect(Array.from(info.protocolVersions)).toEqual([1]);
    expect(await client.getStatus()).toMatchObject({ batteryPercent: 87, keysLoaded: true, timeSet: false, transactionActive: false });
    await client.setTime(1_760_000_000);
    expect(await client.getStatus()).toMatchObject({ timeSet: true });
  });
});

describe("reader service: configuration signed by the fleet key", () => {
  const capk = {
    // EMV Book 2 test CA key shape: RID A000000003, index 92 (a 176-byte modulus), exponent 3.
    rid: fromHex("A000000003"), index: 0x92, modulus: new Uint8Array(176).fill(0xc1), exponent: fromHex("03"),
  };
  const config = (version: number): ReaderConfiguration => ({
    version,
    terminalData: [{ tag: "9F1A", value: fromHex("0978") }, { tag: "9F35", value: fromHex("22") }],
    aids: [{ aid: fromHex("A0000000031010"), partialSelection: true, floorLimit: 0 }],
    capks: [{ ...capk, checksum: softwareCrypto.sha1(new Uint8Array([...capk.rid, capk.index, ...capk.modulus, ...capk.exponent])) }],
  });

  it("a configuration signed by the fleet key installs; an older or equal version is stale", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    expect(await client.configure(fleet.signConfiguration(config(3)))).toBe(3);
    expect((await client.getInfo()).configurationVersion).toBe(3);
    await expect(client.configure(fleet.signConfiguration(config(3)))).rejects.toMatchObject({ status: "staleConfiguration" });
  });

  it("a configuration whose signature does not verify is refused (badSignature)", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const signed = fleet.signConfiguration(config(4));
    const forged = { ...signed, payload: signed.payload.slice() };
    forged.payload[forged.payload.length - 1] ^= 1;
    await expect(client.configure(forged)).rejects.toMatchObject({ status: "badSignature" });
    await expect(client.configure({ ...signed, signerKeyId: new Uint8Array(8) })).rejects.toMatchObject({ status: "badSignature" });
  });

  it("a CA key with a wrong checksum (EMV Book 2, 11.2.2) is refused", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const bad = config(5);
    bad.capks[0].checksum = new Uint8Array(20);
    await expect(client.configure(fleet.signConfiguration(bad))).rejects.toMatchObject({ status: "invalidParameter" });
  });
});

describe("reader service: reversal log", () => {
  it("download in pages and clear up to a transaction", async () => {
    const engine = new ScriptedPaymentEngine();
    for (let i = 1; i <= 5; i++) {
      engine.reversalLog.push({ transactionId: 100 + i, reason: "noResponse", amount: 1000 + i, currency: 978, maskedPan: "476173******0119", emvData: [] });
    }
    const reader = await startTestReader({ engine });
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const page = await client.fetchReversals(3);
    expect(page.more).toBe(true);
    expect(page.records.map((r) => r.transactionId)).toEqual([101, 102, 103]);
    expect(await client.clearReversals(103)).toBe(3);
    expect((await client.fetchReversals()).records.map((r) => r.transactionId)).toEqual([104, 105]);
  });
});

describe("reader service: connections", () => {
  it("a disconnection during the online request makes the reader complete as unable to go online", async () => {
    const engine = new ScriptedPaymentEngine();
    const reader = await startTestReader({ engine });
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const tx = await client.startTransaction(PURCHASE);
    for await (const e of tx.events) if (e.kind === "online-request") break;
    await client.disconnect();
    await expect(tx.outcome).rejects.toBeInstanceOf(ConnectionError);
    await tick();
    expect(reader.service.diagnostics()).toMatchObject({ connections: 0, transactionActive: false });
  });

  it("a phone that cannot type the passkey never gets a secured link", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone({ wrongPasskey: true });
    await expect(client.connect()).rejects.toMatchObject({ code: "link-security" });
  });

  it("reboot answers ok, and is refused while a transaction runs", async () => {
    const reader = await startTestReader({ engine: new ScriptedPaymentEngine({ waitForCancel: true }) });
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    await client.reboot();
    const tx = await client.startTransaction(PURCHASE);
    await expect(client.reboot()).rejects.toBeInstanceOf(ReaderStatusError);
    await tx.cancel();
    await tx.outcome;
  });

  it("phones keep their bonds in their own credential store", async () => {
    const reader = await startTestReader();
    const credentials = new MemoryCredentialStore(fromHex("0102030405060708"));
    const first = reader.phone({ credentials });
    await first.client.connect();
    await pair(reader, first.client);
    await first.client.disconnect();
    const again = reader.phone({ credentials });
    await again.client.connect();
    expect(again.client.paired).toBe(true);
  });
});
