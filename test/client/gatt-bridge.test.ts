import WebSocket from "ws";
import { BridgeTransport, MemoryCredentialStore, ReaderClient, type WebSocketLike } from "../../client";
import { ATT_ERRORS, SMP_ERRORS, type BridgeToPhone, type PhoneToBridge } from "../../client/transports/bridge-protocol";
import { COMMAND_CHARACTERISTIC_UUID, DEVICE_INFO_CHARACTERISTIC_UUID, EVENT_CHARACTERISTIC_UUID, SERVICE_UUID } from "../../kernel/protocol";
import { ScriptedPaymentEngine } from "../../host-sim/reader/scripted-engine";
import { startSimReader, type SimReader } from "../../host-sim/reader/sim-reader";

// Issue 9, item 6: the GATT bridge behaves like a BLE peripheral: Exchange MTU, reads, writes,
// notifications, link encryption with passkey pairing and bonding, disconnection.

/** A bare WebSocket phone that speaks the bridge protocol, one JSON message at a time. */
class RawPhone {
  readonly inbox: BridgeToPhone[] = [];
  private waiters: ((m: BridgeToPhone) => void)[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (d: Buffer) => {
      const m = JSON.parse(d.toString()) as BridgeToPhone;
      const w = this.waiters.shift();
      if (w) w(m); else this.inbox.push(m);
    });
  }
  static async open(url: string): Promise<RawPhone> {
    const ws = new WebSocket(url);
    const p = new RawPhone(ws);
    await new Promise((r) => ws.once("open", r));
    return p;
  }
  send(m: PhoneToBridge): void { this.ws.send(JSON.stringify(m)); }
  next(): Promise<BridgeToPhone> {
    const m = this.inbox.shift();
    return m ? Promise.resolve(m) : new Promise((r) => this.waiters.push(r));
  }
  async until(op: BridgeToPhone["op"]): Promise<BridgeToPhone> {
    for (;;) { const m = await this.next(); if (m.op === op) return m; }
  }
  close(): void { this.ws.close(); }
}

let reader: SimReader;
beforeEach(async () => { reader = await startSimReader({ engine: new ScriptedPaymentEngine() }); });
afterEach(async () => { await reader.close(); });

describe("GATT bridge: a BLE peripheral over WebSocket", () => {
  it("announces the service on connection and negotiates the ATT_MTU once (Core Spec Vol 3 Part F 3.4.2)", async () => {
    const phone = await RawPhone.open(reader.url);
    const hello = await phone.next();
    expect(hello).toMatchObject({ op: "connected", service: SERVICE_UUID });
    phone.send({ op: "exchange-mtu", mtu: 517 });
    expect(await phone.next()).toEqual({ op: "mtu", mtu: 247 });
    phone.close();
  });

  it("an unpaired phone reads the device information but may not write commands or enable notifications", async () => {
    const phone = await RawPhone.open(reader.url);
    await phone.until("connected");
    phone.send({ op: "read", id: 1, characteristic: DEVICE_INFO_CHARACTERISTIC_UUID });
    expect(await phone.next()).toMatchObject({ op: "result", id: 1, value: expect.stringMatching(/^DF8E20/) });
    phone.send({ op: "write", id: 2, characteristic: COMMAND_CHARACTERISTIC_UUID, value: "4200000001020304", withResponse: true });
    expect(await phone.next()).toMatchObject({ op: "error", id: 2, att: ATT_ERRORS.insufficientAuthentication });
    phone.send({ op: "subscribe", id: 3, characteristic: EVENT_CHARACTERISTIC_UUID, enabled: true });
    expect(await phone.next()).toMatchObject({ op: "error", id: 3, att: ATT_ERRORS.insufficientAuthentication });
    phone.send({ op: "read", id: 4, characteristic: COMMAND_CHARACTERISTIC_UUID });
    expect(await phone.next()).toMatchObject({ op: "error", id: 4, att: ATT_ERRORS.readNotPermitted });
    phone.close();
  });

  it("passkey entry: the reader displays the passkey; a wrong one fails (confirm value failed), the right one encrypts and bonds", async () => {
    const phone = await RawPhone.open(reader.url);
    await phone.until("connected");
    phone.send({ op: "pair", id: 1 });
    await phone.until("passkey-requested");
    expect(reader.display.passkey).toMatch(/^[0-9]{6}$/);
    phone.send({ op: "passkey", id: 1, passkey: reader.display.passkey === "123456" ? "654321" : "123456" });
    expect(await phone.next()).toMatchObject({ op: "error", id: 1, smp: SMP_ERRORS.confirmValueFailed });
    phone.send({ op: "pair", id: 2 });
    await phone.until("passkey-requested");
    phone.send({ op: "passkey", id: 2, passkey: reader.display.passkey! });
    expect(await phone.next()).toEqual({ op: "result", id: 2 });
    const security = await phone.next();
    expect(security).toMatchObject({ op: "security", encrypted: true, authenticated: true, bonded: true, bond: expect.stringMatching(/^[0-9A-F]{32}$/) });
    phone.close();
    // A later connection encrypts with the bond, without a passkey.
    const again = await RawPhone.open(reader.url);
    await again.until("connected");
    again.send({ op: "encrypt", id: 1, bond: (security as { bond: string }).bond });
    expect(await again.next()).toEqual({ op: "result", id: 1 });
    again.send({ op: "encrypt", id: 2, bond: "00".repeat(16) });
    expect(await again.until("error")).toMatchObject({ id: 2 });
    again.close();
  });

  it("a write longer than ATT_MTU - 3 is refused (Invalid Attribute Value Length)", async () => {
    const phone = await RawPhone.open(reader.url);
    await phone.until("connected");
    phone.send({ op: "pair", id: 1 });
    await phone.until("passkey-requested");
    phone.send({ op: "passkey", id: 1, passkey: reader.display.passkey! });
    await phone.until("security");
    phone.send({ op: "write", id: 2, characteristic: COMMAND_CHARACTERISTIC_UUID, value: "00".repeat(21), withResponse: true });
    expect(await phone.next()).toMatchObject({ op: "error", id: 2, att: ATT_ERRORS.invalidAttributeValueLength });
    phone.close();
  });
});

describe("the SDK over the bridge", () => {
  const transport = (linkBond?: { load(): string | undefined; save(b: string): void }) => new BridgeTransport({
    url: reader.url, WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike, passkey: () => reader.display.nextPasskey(), linkBond,
  });

  it("connects, pairs, pays; the next connection resumes both bonds (link and application) without codes", async () => {
    let bond: string | undefined;
    const linkBond = { load: () => bond, save: (b: string) => { bond = b; } };
    const credentials = new MemoryCredentialStore(Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9));
    const client = new ReaderClient({ transport: transport(linkBond), fleetCaPublicKey: reader.fleet.fleetCaPublicKey, credentials, preferredMtu: 23 });
    await client.connect();
    await client.pair({ phoneName: "Till 2", code: () => reader.display.nextPairingCode() });
    const tx = await client.startTransaction({ amount: 500, currency: 978, transactionType: "purchase" }, { authorise: async () => ({ result: "answered", arc: "00" }) });
    await expect(tx.outcome).resolves.toMatchObject({ result: "approved" });
    expect(client.stats().mtu).toBe(23);
    await client.disconnect();
    expect(bond).toMatch(/^[0-9A-F]{32}$/);

    reader.display.passkey = null;
    const again = new ReaderClient({ transport: transport(linkBond), fleetCaPublicKey: reader.fleet.fleetCaPublicKey, credentials });
    await again.connect();
    expect(reader.display.passkey).toBeNull();
    expect(again.paired).toBe(true);
    await again.disconnect();
  });

  it("the same client and transport connect again after a disconnection, and are still paired", async () => {
    let bond: string | undefined;
    const client = new ReaderClient({
      transport: transport({ load: () => bond, save: (b) => { bond = b; } }), fleetCaPublicKey: reader.fleet.fleetCaPublicKey,
      credentials: new MemoryCredentialStore(Uint8Array.of(7, 7, 7, 7, 7, 7, 7, 7)),
    });
    await client.connect();
    await client.pair({ phoneName: "Till 4", code: () => reader.display.nextPairingCode() });
    await client.disconnect();
    await client.connect();
    expect(client.paired).toBe(true);
    await expect(client.getStatus()).resolves.toMatchObject({ transactionActive: false });
    await client.disconnect();
  });

  it("the reader ending the connection reaches the app as a ConnectionError on what waits", async () => {
    const client = new ReaderClient({ transport: transport(), fleetCaPublicKey: reader.fleet.fleetCaPublicKey, credentials: new MemoryCredentialStore(new Uint8Array(8)) });
    await client.connect();
    await client.pair({ phoneName: "Till 3", code: () => reader.display.nextPairingCode() });
    const tx = await client.startTransaction({ amount: 500, currency: 978, transactionType: "purchase" });
    reader.bridge.stop();
    await expect(tx.outcome).rejects.toMatchObject({ code: "disconnected" });
  });
});
