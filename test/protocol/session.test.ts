import { ReaderClient, MemoryCredentialStore } from "../../client";
import { PhoneSession } from "../../client/phone-session";
import { fromHex } from "../../kernel/bytes";
import {
  CERTIFICATE_VERSION, decodeHelloReply, encodeHelloReply, encodeHelloReplyCore, keyId, MAX_HANDSHAKES_PER_CONNECTION, ReaderSession,
  RecordOpener, RecordSealer, signCertificate, softwareIdentity, softwareSessionCrypto as c, ATTEMPTS_PER_CODE, CODES_PER_CONNECTION,
  LOCKOUT_MS, verifyCertificate,
} from "../../kernel/protocol";
import { Secret } from "../../kernel/security/secret";
import { fleet, nodeRandom, pair, startTestReader } from "./support";

// docs/protocol.md, "Secure session" and "Pairing".

function phone(nowSeconds: number | null = 1_760_000_000, ca = fleet.fleetCaPublicKey): PhoneSession {
  return new PhoneSession({ crypto: c, random: nodeRandom, fleetCaPublicKey: ca, nowSeconds });
}

/** A code that is not the one on the display. */
const wrong = (code: string | null): string => (code === "000000" ? "111111" : "000000");

function otherCa(): { publicKey: Uint8Array; sign(d: Uint8Array): Uint8Array } {
  const pair = c.generateKeyPair(nodeRandom);
  return { publicKey: pair.publicKey, sign: (d) => c.sign(pair.secretKey, d) };
}

describe("secure session: handshake", () => {
  it("both sides derive the same keys: what one seals the other opens, in both directions", () => {
    const reader = new ReaderSession({ crypto: c, random: nodeRandom, identity: fleet.readerIdentity });
    const p = phone();
    const reply = reader.handleHello(p.start());
    expect(p.accept(reply, "MPOSR1SIM0001").subject).toBe("MPOSR1SIM0001");
    expect(reader.open(p.seal(Uint8Array.of(1, 2, 3)))).toEqual(Uint8Array.of(1, 2, 3));
    expect(p.open(reader.seal(Uint8Array.of(4, 5)))).toEqual(Uint8Array.of(4, 5));
  });

  it("a reply from a reader certified by another CA is refused (session-certificate)", () => {
    const ca = otherCa();
    const cert = signCertificate(ca.sign, { ...fleet.readerCertificate, issuerKeyId: keyId(c, ca.publicKey) });
    const impostor = new ReaderSession({ crypto: c, random: nodeRandom, identity: softwareIdentity(c, fromHex("FB42169F91F1FDC0CE2CF6B01E54006A98B4DA6E08B07D4B4AF7E81AFC78469F"), cert) });
    const p = phone();
    expect(() => p.accept(impostor.handleHello(p.start()), "MPOSR1SIM0001")).toThrow(expect.objectContaining({ code: "session-certificate" }));
  });

  it("a certificate issued to another serial, or outside its validity, is refused", () => {
    const cert = fleet.readerCertificate;
    expect(() => verifyCertificate(c, cert, fleet.fleetCaPublicKey, 1_760_000_000, "MPOSR1SIM0002")).toThrow(expect.objectContaining({ code: "session-certificate" }));
    expect(() => verifyCertificate(c, cert, fleet.fleetCaPublicKey, cert.notAfter + 1)).toThrow(expect.objectContaining({ code: "session-certificate" }));
    expect(() => verifyCertificate(c, cert, fleet.fleetCaPublicKey, cert.notBefore - 1)).toThrow(expect.objectContaining({ code: "session-certificate" }));
    expect(() => verifyCertificate(c, { ...cert, version: CERTIFICATE_VERSION + 1 }, fleet.fleetCaPublicKey, null)).toThrow(expect.objectContaining({ code: "session-certificate" }));
    const forged = { ...cert, notAfter: cert.notAfter + 1 };
    expect(() => verifyCertificate(c, forged, fleet.fleetCaPublicKey, null)).toThrow(expect.objectContaining({ code: "session-certificate" }));
  });

  it("a man in the middle who swaps the reader's ephemeral key breaks the signature (session-signature)", () => {
    const reader = new ReaderSession({ crypto: c, random: nodeRandom, identity: fleet.readerIdentity });
    const p = phone();
    const { reply } = decodeHelloReply(reader.handleHello(p.start()));
    const mitm = c.generateKeyPair(nodeRandom);
    const swapped = encodeHelloReply(encodeHelloReplyCore({ ...reply, ephemeralKey: mitm.publicKey }), reply.signature);
    expect(() => p.accept(swapped, "MPOSR1SIM0001")).toThrow(expect.objectContaining({ code: "session-signature" }));
  });

  it("a reader limits handshakes per connection: P-256 work once per connection, not per message", () => {
    const reader = new ReaderSession({ crypto: c, random: nodeRandom, identity: fleet.readerIdentity });
    for (let i = 0; i < MAX_HANDSHAKES_PER_CONNECTION; i++) reader.handleHello(phone().start());
    expect(() => reader.handleHello(phone().start())).toThrow(expect.objectContaining({ code: "session-limit" }));
  });

  it("ending a session zeroizes its keys", () => {
    const reader = new ReaderSession({ crypto: c, random: nodeRandom, identity: fleet.readerIdentity });
    reader.handleHello(phone().start());
    const keys = reader.sessionKeys!;
    reader.end();
    expect(keys.exporter.every((b) => b === 0)).toBe(true);
    expect(keys.phoneToReader.key.every((b) => b === 0)).toBe(true);
    expect(reader.established).toBe(false);
  });
});

describe("secure session: records", () => {
  const keys = { key: fromHex("000102030405060708090A0B0C0D0E0F"), iv: fromHex("A0A1A2A3A4A5A6A7A8A9AAAB") };

  it("a replayed record is refused before decryption (session-replay)", () => {
    const sealer = new RecordSealer(c, keys);
    const opener = new RecordOpener(c, keys);
    const r1 = sealer.seal(Uint8Array.of(1));
    opener.open(r1);
    expect(() => opener.open(r1)).toThrow(expect.objectContaining({ code: "session-replay" }));
  });

  it("records out of order are refused; a gap (a record the framing dropped) is allowed", () => {
    const sealer = new RecordSealer(c, keys);
    const opener = new RecordOpener(c, keys);
    const r1 = sealer.seal(Uint8Array.of(1));
    const r2 = sealer.seal(Uint8Array.of(2));
    const r3 = sealer.seal(Uint8Array.of(3));
    expect(opener.open(r2)).toEqual(Uint8Array.of(2));
    expect(() => opener.open(r1)).toThrow(expect.objectContaining({ code: "session-replay" }));
    expect(opener.open(r3)).toEqual(Uint8Array.of(3));
  });

  it("a record whose counter, tag or ciphertext was changed does not open (session-decrypt)", () => {
    const sealer = new RecordSealer(c, keys);
    const record = sealer.seal(Uint8Array.of(9, 9, 9));
    for (const i of [4, 6, record.length - 1]) {
      const bad = record.slice();
      bad[i] ^= 0x02;
      expect(() => new RecordOpener(c, keys).open(bad)).toThrow(expect.objectContaining({ code: "session-decrypt" }));
    }
    expect(() => new RecordOpener(c, keys).open(record.subarray(0, 20))).toThrow(expect.objectContaining({ code: "session-decrypt" }));
  });

  it("the two directions use different keys: a reader record reflected back does not open", () => {
    const reader = new ReaderSession({ crypto: c, random: nodeRandom, identity: fleet.readerIdentity });
    const p = phone();
    p.accept(reader.handleHello(p.start()), "MPOSR1SIM0001");
    expect(() => reader.open(reader.seal(Uint8Array.of(1)))).toThrow(expect.objectContaining({ code: "session-decrypt" }));
  });
});

describe("pairing and authentication", () => {
  it("an unpaired phone reads the device information and nothing else (notAuthenticated)", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    expect(client.device).toMatchObject({ model: "MPOS-R1", serial: "MPOSR1SIM0001", firmwareVersion: "1.0.0" });
    await expect(client.getInfo()).rejects.toMatchObject({ status: "notAuthenticated" });
    await expect(client.getStatus()).rejects.toMatchObject({ status: "notAuthenticated" });
    await expect(client.startTransaction({ amount: 1, currency: 978, transactionType: "purchase" })).rejects.toMatchObject({ status: "notAuthenticated" });
    await expect(client.fetchReversals()).rejects.toMatchObject({ status: "notAuthenticated" });
  });

  it("the reader shows a 6-digit code; a wrong code costs an attempt, the right one bonds", async () => {
    const reader = await startTestReader();
    const { client, credentials } = reader.phone();
    await client.connect();
    const tried: number[] = [];
    await client.pair({
      phoneName: "Till 1",
      code: async (attemptsLeft) => {
        tried.push(attemptsLeft);
        return tried.length === 1 ? wrong(reader.display.pairingCode) : reader.display.pairingCode!;
      },
    });
    expect(tried).toEqual([ATTEMPTS_PER_CODE, ATTEMPTS_PER_CODE - 1]);
    expect(reader.display.codes[0]).toMatch(/^[0-9]{6}$/);
    expect(reader.display.pairingCode).toBeNull();
    expect(await credentials.bondKey("MPOSR1SIM0001")).toHaveLength(32);
    expect((await reader.bonds.list()).map((b) => b.phoneName)).toEqual(["Till 1"]);
  });

  it("after the codes of a connection are used up, pairing is locked on every connection until LOCKOUT_MS passed", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    for (let i = 0; i < CODES_PER_CONNECTION; i++) {
      await expect(client.pair({ phoneName: "Mallory", code: async () => wrong(reader.display.pairingCode) }))
        .rejects.toMatchObject({ status: "pairingFailed", attemptsLeft: 0 });
    }
    await expect(client.pair({ phoneName: "Mallory", code: async () => "000000" })).rejects.toMatchObject({ status: "pairingLocked" });
    const other = reader.phone();
    await other.client.connect();
    await expect(pair(reader, other.client)).rejects.toMatchObject({ status: "pairingLocked" });
    reader.clock.advance(LOCKOUT_MS);
    await pair(reader, other.client);
    expect(other.client.paired).toBe(true);
  });

  it("a bonded phone authenticates on reconnection without a code; a wrong bond key is refused", async () => {
    const reader = await startTestReader();
    const credentials = new MemoryCredentialStore(fromHex("1111111111111111"));
    const first = reader.phone({ credentials });
    await first.client.connect();
    await pair(reader, first.client);
    await first.client.disconnect();
    const second = reader.phone({ credentials });
    await second.client.connect();
    expect(second.client.paired).toBe(true);
    await expect(second.client.getStatus()).resolves.toMatchObject({ keysLoaded: true });
    await second.client.disconnect();
    // Another phone claims the same phone id with a key it guessed: refused, and the app forgets it.
    const thief = new MemoryCredentialStore(fromHex("1111111111111111"));
    await thief.saveBond("MPOSR1SIM0001", new Uint8Array(32).fill(7));
    const third = reader.phone({ credentials: thief });
    await third.client.connect();
    expect(third.client.paired).toBe(false);
    expect(await thief.bondKey("MPOSR1SIM0001")).toBeUndefined();
  });

  it("unpair removes the bond on both sides", async () => {
    const reader = await startTestReader();
    const { client, credentials } = reader.phone();
    await client.connect();
    await pair(reader, client);
    await client.unpair();
    expect(client.paired).toBe(false);
    expect(await reader.bonds.list()).toEqual([]);
    expect(await credentials.bondKey("MPOSR1SIM0001")).toBeUndefined();
    await expect(client.getInfo()).rejects.toMatchObject({ status: "notAuthenticated" });
  });

  it("the client refuses a reader whose certificate is not from the pinned fleet CA", async () => {
    const reader = await startTestReader();
    const transport = reader.peripheral.transport(async () => reader.display.passkey ?? "");
    const client = new ReaderClient({
      transport, credentials: new MemoryCredentialStore(new Uint8Array(8)), fleetCaPublicKey: otherCa().publicKey, random: nodeRandom,
    });
    await expect(client.connect()).rejects.toMatchObject({ code: "reader-identity" });
  });

  it("bond keys are Secrets: a bond list or a JSON dump never shows them", async () => {
    const reader = await startTestReader();
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const bond = await reader.bonds.find(Uint8Array.of(0x50, 0x48, 0x4f, 0x4e, 0x45, 0, 0, 1));
    expect(bond?.key).toBeInstanceOf(Secret);
    expect(JSON.stringify(bond)).toContain("[redacted]");
  });
});
