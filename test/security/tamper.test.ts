import { fromHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { KeyStore } from "../../kernel/security/key-store";
import { TamperResponse } from "../../kernel/security/tamper";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { SimulatedHsm } from "../../host-sim/hsm/hsm";
import { FakeTamperMonitor, seededRandom } from "./support";

async function codeOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e: any) { return e.code; }
  return "none";
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe("tamper response", () => {
  const random = seededRandom(77);
  const kbpk = random.bytes(16);
  const pan = "4000000000000002";
  const items = [{ tag: "5A", value: fromHex(pan) }];
  const pin = new TextEncoder().encode("1234");

  async function provisioned() {
    const storage = new MemoryStorage();
    const hsm = new SimulatedHsm({ crypto: c, random, aesBdk: random.bytes(32), tdesBdk: random.bytes(16) });
    const store = await KeyStore.open({ storage, crypto: c, random });
    await store.loadKbpk(kbpk, "T");
    await store.injectKeyBlock("pin", hsm.initialKeyBlock("tdes-dukpt", fromHex("FFFF0000000001E00000"), kbpk, "T"));
    await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", fromHex("0102030405060708"), kbpk, "T"));
    const monitor = new FakeTamperMonitor();
    const response = new TamperResponse({ monitor, keyStore: store });
    await response.start();
    return { storage, hsm, store, monitor, response };
  }

  it("a tamper event erases every secret key at once and the reader refuses to transact", async () => {
    const { storage, store, monitor, response } = await provisioned();
    await store.protect(items);
    const before = storage.rawContents();
    expect(contains(before, kbpk)).toBe(true);
    monitor.fire("mesh");
    // Synchronously, before any storage work: every key in memory is gone and service is refused.
    expect(store.isTampered).toBe(true);
    await response.settled();
    expect(storage.names()).toEqual(["tamper.a"]);
    expect(contains(storage.rawContents(), kbpk)).toBe(false);
    expect(storage.rawContents().length).toBeLessThan(32);
    expect(await codeOf(store.protect(items))).toBe("tampered");
    expect(await codeOf(store.encryptPin(pin, pan))).toBe("tampered");
    expect(await codeOf(store.injectKeyBlock("pin", "B0000"))).toBe("tampered");
    expect(await store.status()).toEqual({ state: "tampered", kbpk: null, slots: [], tamperCause: "mesh" });
  });

  it("the refusal survives a reboot, and ends only when a KBPK and keys are loaded again", async () => {
    const { storage, hsm, monitor, response } = await provisioned();
    monitor.fire("enclosure");
    await response.settled();
    let store = await KeyStore.open({ storage, crypto: c, random });
    expect((await store.status()).state).toBe("tampered");
    expect(await codeOf(store.protect(items))).toBe("tampered");
    // Re-commissioning at a secure facility: a new KBPK, then new initial keys.
    const newKbpk = random.bytes(24);
    await store.loadKbpk(newKbpk, "T");
    expect((await store.status()).state).toBe("no-keys");
    expect(await codeOf(store.protect(items))).toBe("no-key");
    await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", fromHex("0102030405060709"), newKbpk, "T"));
    const e = await store.protect(items);
    expect(hsm.openEnvelope(e)[0].value).toEqual(fromHex(pan));
    store = await KeyStore.open({ storage, crypto: c, random });
    expect((await store.status()).state).toBe("ready");
  });

  it("an operation already requested when the tamper fires fails, and writes no key back", async () => {
    const { storage, store, monitor, response } = await provisioned();
    const inFlight = store.encryptPin(pin, pan);
    monitor.fire("voltage");
    expect(await codeOf(inFlight)).toBe("tampered");
    await response.settled();
    expect(storage.names()).toEqual(["tamper.a"]);
  });

  it("a tamper latched while the reader was off is acted on at start-up", async () => {
    const { storage } = await provisioned();
    const store = await KeyStore.open({ storage, crypto: c, random });
    const monitor = new FakeTamperMonitor();
    monitor.latchedCause = "temperature";
    const erasedFor: string[] = [];
    await new TamperResponse({ monitor, keyStore: store, onErased: (e) => erasedFor.push(e.cause) }).start();
    expect(erasedFor).toEqual(["temperature"]);
    expect((await store.status()).state).toBe("tampered");
    expect(contains(storage.rawContents(), kbpk)).toBe(false);
  });
});
