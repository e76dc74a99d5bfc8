import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { AtomicRecords } from "../../kernel/security/atomic-record";
import { dukptTdesIpek } from "../../kernel/security/dukpt-tdes";
import { encodeKeyRecord } from "../../kernel/security/key-record";
import { KeyStore } from "../../kernel/security/key-store";
import { keyCheckValue } from "../../kernel/security/kcv";
import { wrapKeyBlock } from "../../kernel/security/tr31";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { SimulatedHsm } from "../../host-sim/hsm/hsm";
import type { RandomSource } from "../../hal/random";
import { loadVectors } from "../support/vectors";
import { seededRandom, tdesStateAt } from "./support";

const aesV = loadVectors("dukpt-aes.json");
const tdesV = loadVectors("dukpt-tdes.json");
const pinV = loadVectors("pinblock.json");

const KBPK_AES = fromHex("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6");
const KBPK_TDES = fromHex("1D22BF32387C600AD97F9B97A51311AC");
const ascii = (s: string) => new TextEncoder().encode(s);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e: any) { return e.code; }
  return "none";
}

function setup(random: RandomSource = seededRandom(3)) {
  const storage = new MemoryStorage();
  const hsm = new SimulatedHsm({ crypto: c, random, aesBdk: fromHex(aesV.initialKeys[0].bdk), tdesBdk: fromHex(tdesV.bdk) });
  const open = () => KeyStore.open({ storage, crypto: c, random });
  return { storage, hsm, open };
}

describe("key store: key injection and the two services", () => {
  it("an AES DUKPT key injected under the KBPK gives the published X9.24-3 format 4 PIN block for KSN ...0001", async () => {
    // The published example's random PIN field fill is the second half of its PIN field.
    const fill = fromHex(pinV.aesDukptPinBlock.pinField.slice(16));
    const random: RandomSource = { fill(out) { out.fill(0); out.set(fill.subarray(0, Math.min(8, out.length))); } };
    const { hsm, open } = setup(random);
    const store = await open();
    await store.loadKbpk(KBPK_AES, "A");
    const block = hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A");
    const injected = await store.injectKeyBlock("pin", block);
    expect(injected.ksn).toBe("123456789012345600000001");
    expect(injected.kcv).toBe(toHex(keyCheckValue(c, "aes", fromHex(aesV.initialKeys[0].initialKey))));
    const r = await store.encryptPin(ascii(pinV.aesDukptPinBlock.pin), pinV.aesDukptPinBlock.pan);
    expect(r.format).toBe(4);
    expect(toHex(r.ksn)).toBe(pinV.aesDukptPinBlock.ksn);
    expect(toHex(r.block)).toBe(pinV.aesDukptPinBlock.block);
  });

  it("a TDES DUKPT key injected (version B, KS block) gives the published X9.24-1 format 0 PIN block for KSN ...E00001", async () => {
    const { hsm, open } = setup();
    const store = await open();
    await store.loadKbpk(KBPK_TDES, "T");
    await store.injectKeyBlock("pin", hsm.initialKeyBlock("tdes-dukpt", fromHex(tdesV.initialKsn), KBPK_TDES, "T"));
    const p = tdesV.pinBlocks[0];
    const r = await store.encryptPin(ascii(p.pin), p.pan);
    expect(r.format).toBe(0);
    expect(toHex(r.ksn)).toBe(p.ksn);
    expect(toHex(r.block)).toBe(p.encryptedBlock);
  });

  it("P2PE: the data slot's envelopes open at the HSM into the card data, each under a new KSN", async () => {
    const { hsm, open } = setup();
    const store = await open();
    await store.loadKbpk(KBPK_AES, "A");
    await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A"));
    const items = [{ tag: "5A", value: fromHex("4111111111111111") }, { tag: "DF8F02", value: ascii(";4111111111111111=25121011234567890?") }];
    const e1 = await store.protect(items);
    const e2 = await store.protect(items);
    expect(toHex(e1.ksn)).toBe("123456789012345600000001");
    expect(toHex(e2.ksn)).toBe("123456789012345600000002");
    expect(toHex(e1.ciphertext)).not.toBe(toHex(e2.ciphertext));
    expect(hsm.openEnvelope(e1).map((i) => [i.tag, toHex(i.value)])).toEqual(items.map((i) => [i.tag, toHex(i.value)]));
  });

  it("the DUKPT counter persists: a store reopened over the same storage continues with the next KSN", async () => {
    const { hsm, open } = setup();
    let store = await open();
    await store.loadKbpk(KBPK_TDES, "T");
    await store.injectKeyBlock("data", hsm.initialKeyBlock("tdes-dukpt", fromHex(tdesV.initialKsn), KBPK_TDES, "T"));
    for (let i = 0; i < 5; i++) await store.protect([{ tag: "57", value: fromHex("4012345678909D2512") }]);
    store = await open();
    const e = await store.protect([{ tag: "57", value: fromHex("4012345678909D2512") }]);
    expect(toHex(e.ksn)).toBe("FFFF9876543210E00006");
    expect((await store.status()).slots[0]).toMatchObject({ slot: "data", scheme: "tdes-dukpt", nextKsn: "FFFF9876543210E00007", exhausted: false });
  });

  it("bad input spends no counter: a 3-digit PIN or a PAN with a letter is refused before the KSN advances", async () => {
    const { hsm, open } = setup();
    const store = await open();
    await store.loadKbpk(KBPK_AES, "A");
    await store.injectKeyBlock("pin", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A"));
    expect(await codeOf(store.encryptPin(ascii("123"), "4111111111111111"))).toBe("pin");
    expect(await codeOf(store.encryptPin(ascii("1234"), "41111111111x1111"))).toBe("pan");
    expect(await codeOf(store.protect([]))).toBe("p2pe-format");
    expect((await store.status()).slots[0].nextKsn).toBe("123456789012345600000001");
  });

  it("concurrent requests never share a KSN: they run one at a time in call order", async () => {
    const { hsm, open } = setup();
    const store = await open();
    await store.loadKbpk(KBPK_AES, "A");
    await store.injectKeyBlock("pin", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A"));
    const results = await Promise.all(Array.from({ length: 10 }, () => store.encryptPin(ascii("1234"), "4111111111111111")));
    expect(results.map((r) => toHex(r.ksn).slice(-2))).toEqual(["01", "02", "03", "04", "05", "06", "07", "08", "09", "0A"]);
    for (const r of results) expect(hsm.verifyPin(r, "4111111111111111", ascii("1234"))).toBe(true);
  });

  it("keys are separated by usage: PIN and data slots hold independent keys, and no API encrypts arbitrary data", async () => {
    const { hsm, open } = setup();
    const store = await open();
    await store.loadKbpk(KBPK_AES, "A");
    await store.injectKeyBlock("pin", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A"));
    expect(await codeOf(store.protect([{ tag: "5A", value: fromHex("4111111111111111") }]))).toBe("no-key");
    // The whole surface: the only operations under a working key are "PIN block of this PIN and
    // PAN" and "envelope of this card data"; the rest is key loading, status and erase. A new
    // method fails this test until it is reviewed against that rule.
    const publicApi = ["encryptPin", "erase", "injectKeyBlock", "isTampered", "loadKbpk", "protect", "status", "updateInitialKey", "toJSON", "toString"];
    const privateHelpers = ["commit", "dropMemory", "dukpt", "exclusive", "load", "loadInitialKey", "readRecord", "ready", "skipOneCounter", "transact", "advance", "store"];
    expect(Object.getOwnPropertyNames(KeyStore.prototype).filter((n) => n !== "constructor").sort()).toEqual([...publicApi, ...privateHelpers].sort());
    expect(JSON.stringify({ store })).toBe('{"store":"[redacted]"}');
    expect(require("util").inspect(store)).toBe("[redacted]");
    expect(JSON.stringify(hsm)).not.toContain(aesV.initialKeys[0].bdk);
    expect(JSON.stringify(hsm)).toContain("[redacted]");
  });

  it("X9.24-3 6.5: the AES DUKPT update key carries a new initial key to the reader", async () => {
    const { hsm, open } = setup();
    const store = await open();
    await store.loadKbpk(KBPK_AES, "A");
    await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A"));
    await store.protect([{ tag: "5A", value: fromHex("4111111111111111") }]);
    const r = await store.updateInitialKey("data", hsm.updateKeyBlock(fromHex("1234567890123456"), fromHex("1234567800000042")));
    expect(r.ksn).toBe("123456780000004200000001");
    const e = await store.protect([{ tag: "5A", value: fromHex("4111111111111111") }]);
    expect(toHex(e.ksn)).toBe("123456780000004200000001");
    expect(toHex(hsm.openEnvelope(e)[0].value)).toBe("4111111111111111");
    // A block under the KBPK is not an update-key block.
    expect(await codeOf(store.updateInitialKey("data", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567800000043"), KBPK_AES, "A")))).toBe("tr31-mac");
  });

  it("injection refuses what is not an initial DUKPT key under this KBPK", async () => {
    const { hsm, open } = setup();
    const store = await open();
    const good = hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A");
    expect(await codeOf(store.injectKeyBlock("pin", good))).toBe("no-key");
    await store.loadKbpk(KBPK_AES, "A");
    const random = seededRandom(5);
    const p0 = wrapKeyBlock(c, KBPK_AES, random.bytes(16), { version: "D", usage: "P0", algorithm: "A", modeOfUse: "E", keyVersion: "00", exportability: "N", random });
    expect(await codeOf(store.injectKeyBlock("pin", p0))).toBe("keystore-usage");
    const noId = wrapKeyBlock(c, KBPK_AES, random.bytes(16), { version: "D", usage: "B1", algorithm: "A", modeOfUse: "X", keyVersion: "00", exportability: "N", random });
    expect(await codeOf(store.injectKeyBlock("pin", noId))).toBe("keystore-usage");
    expect(await codeOf(store.injectKeyBlock("pin", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), fromHex("00".repeat(32)), "A")))).toBe("tr31-mac");
    expect(await codeOf(store.injectKeyBlock("pin", hsm.initialKeyBlock("tdes-dukpt", fromHex(tdesV.initialKsn), KBPK_TDES, "T")))).toBe("keystore-usage");
    expect(await codeOf(store.injectKeyBlock("pin", good.slice(0, -1)))).toBe("tr31-length");
    expect(await codeOf(store.injectKeyBlock("mac" as any, good))).toBe("keystore-usage");
    expect(await codeOf(store.loadKbpk(new Uint8Array(15), "A"))).toBe("keystore-usage");
    expect((await store.status()).state).toBe("no-keys");
  });

  it("an exhausted DUKPT key refuses to transact (the counter past the last usable one)", async () => {
    const { storage, open } = setup();
    const ipek = dukptTdesIpek(c, fromHex(tdesV.bdk), fromHex(tdesV.initialKsn));
    const state = tdesStateAt(ipek, fromHex(tdesV.initialKsn), 0x1ff800);
    await new AtomicRecords(storage, c).write("dukpt-data", encodeKeyRecord({ kind: "dukpt", kcv: new Uint8Array(3), state }));
    const store = await open();
    const e = await store.protect([{ tag: "5A", value: fromHex("4111111111111111") }]);
    expect(toHex(e.ksn)).toBe("FFFF9876543210FFF800");
    expect(await codeOf(store.protect([{ tag: "5A", value: fromHex("4111111111111111") }]))).toBe("dukpt-exhausted");
    expect((await store.status())).toMatchObject({ state: "no-keys", slots: [{ slot: "data", exhausted: true }] });
  });

  it("a damaged newest copy falls back to the older one and skips a counter, so no KSN is used twice", async () => {
    const { storage, hsm, open } = setup();
    let store = await open();
    await store.loadKbpk(KBPK_AES, "A");
    await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", fromHex("1234567890123456"), KBPK_AES, "A"));
    const used = new Set<string>();
    for (let i = 0; i < 3; i++) used.add(toHex((await store.protect([{ tag: "5A", value: fromHex("4111111111111111") }])).ksn));
    // The newest copy is the one written last; damage one byte of it.
    const names = storage.names().filter((n) => n.startsWith("dukpt-data"));
    const seqOf = (n: string) => { const r = (storage as any).records.get(n) as Uint8Array; return (r[2] << 24) | (r[3] << 16) | (r[4] << 8) | r[5]; };
    const newest = names.sort((a, b) => seqOf(b) - seqOf(a))[0];
    storage.corrupt(newest, 20);
    store = await open();
    const next = toHex((await store.protect([{ tag: "5A", value: fromHex("4111111111111111") }])).ksn);
    expect(used.has(next)).toBe(false);
    // Both copies damaged: the store refuses to open rather than guess.
    for (const n of names) storage.corrupt(n, 20);
    expect(await codeOf(open())).toBe("keystore-corrupt");
  });

  it("status tells what is loaded without any secret: KCVs, next KSNs", async () => {
    const { hsm, open } = setup();
    const store = await open();
    expect(await store.status()).toEqual({ state: "no-keys", kbpk: null, slots: [] });
    const { kcv } = await store.loadKbpk(KBPK_TDES, "T");
    expect(kcv).toBe(toHex(keyCheckValue(c, "tdes", KBPK_TDES)));
    await store.injectKeyBlock("pin", hsm.initialKeyBlock("tdes-dukpt", fromHex(tdesV.initialKsn), KBPK_TDES, "T"));
    const status = await store.status();
    expect(status).toEqual({
      state: "ready",
      kbpk: { algorithm: "T", kcv },
      slots: [{ slot: "pin", scheme: "tdes-dukpt", kcv: toHex(keyCheckValue(c, "tdes", fromHex(tdesV.ipek))), nextKsn: "FFFF9876543210E00001", exhausted: false }],
    });
  });
});
