import { randomFillSync } from "crypto";
import type { TamperEvent, TamperMonitor } from "../../hal/tamper";
import { MemoryStorage, type PowerCutOutcome } from "../../host-sim/hardware/memory-storage";
import { softwareCrypto } from "../../kernel/crypto";
import { BOND_RECORD, BondStoreError, decodeBonds, encodeBonds, StoredBondStore } from "../../kernel/protocol/bond-store";
import { MAX_BONDS, type Bond } from "../../kernel/protocol/bonds";
import { AtomicRecords } from "../../kernel/security/atomic-record";
import { KeyStore } from "../../kernel/security/key-store";
import { Secret } from "../../kernel/security/secret";
import { TamperResponse } from "../../kernel/security/tamper";

// The reader's bonded phones (docs/protocol.md, "Pairing") in the key store's storage: they survive
// a reboot and a power cut at any write, a damaged list is never trusted, the count is bounded, and
// the tamper response takes the bond keys with the other keys (PCI PTS POI A1).

const crypto = softwareCrypto;
const random = { fill: (b: Uint8Array) => { randomFillSync(b); } };

function bond(n: number, name = `Till ${n}`): Bond {
  return { phoneId: Uint8Array.of(0x50, 0x48, 0, 0, 0, 0, 0, n), phoneName: name, key: new Secret(new Uint8Array(32).fill(n)) };
}

async function open(storage: MemoryStorage) {
  return StoredBondStore.open({ storage, crypto });
}

async function names(s: StoredBondStore): Promise<string[]> {
  return (await s.list()).map((b) => b.phoneName);
}

describe("stored bonds", () => {
  it("survive a restart with their keys", async () => {
    const storage = new MemoryStorage();
    const { store } = await open(storage);
    await store.save(bond(1));
    await store.save(bond(2, "Back office"));
    const { store: after, problem } = await open(storage);
    expect(problem).toBeNull();
    expect(await names(after)).toEqual(["Till 1", "Back office"]);
    const found = await after.find(bond(2).phoneId);
    expect(found?.key.copy()).toEqual(new Uint8Array(32).fill(2));
  });

  it("a removal survives a restart, and the removed key is zeroized", async () => {
    const storage = new MemoryStorage();
    const { store } = await open(storage);
    const b = bond(1);
    await store.save(b);
    expect(await store.remove(b.phoneId)).toBe(true);
    expect(b.key.destroyed).toBe(true);
    expect(await store.remove(b.phoneId)).toBe(false);
    expect(await names((await open(storage)).store)).toEqual([]);
  });

  it(`is bounded to ${MAX_BONDS} phones: the oldest is evicted (and zeroized), in memory and in storage`, async () => {
    const storage = new MemoryStorage();
    const { store } = await open(storage);
    const all = Array.from({ length: MAX_BONDS + 2 }, (_, i) => bond(i + 1));
    for (const b of all) await store.save(b);
    expect(store.size).toBe(MAX_BONDS);
    expect(all[0].key.destroyed && all[1].key.destroyed).toBe(true);
    expect(await names((await open(storage)).store)).toEqual(all.slice(2).map((b) => b.phoneName));
  });

  it("saving a phone again replaces its bond", async () => {
    const storage = new MemoryStorage();
    const { store } = await open(storage);
    const first = bond(1);
    await store.save(first);
    await store.save(bond(1, "Renamed"));
    expect(first.key.destroyed).toBe(true);
    expect(await names((await open(storage)).store)).toEqual(["Renamed"]);
  });
});

describe("stored bonds: a power cut at every write", () => {
  // Each step and the list it leaves.
  const steps: { run: (s: StoredBondStore) => Promise<unknown>; after: string[] }[] = [
    { run: (s) => s.save(bond(1)), after: ["Till 1"] },
    { run: (s) => s.save(bond(2)), after: ["Till 1", "Till 2"] },
    { run: (s) => s.remove(bond(1).phoneId), after: ["Till 2"] },
    { run: (s) => s.save(bond(3)), after: ["Till 2", "Till 3"] },
  ];
  const outcomes: PowerCutOutcome[] = ["lost", "applied", "torn"];
  for (const outcome of outcomes) {
    it(`a cut (${outcome}) leaves the list before the change or after it, never damaged`, async () => {
      for (let cutAt = 0; cutAt < steps.length; cutAt++) {
        const storage = new MemoryStorage();
        const { store } = await open(storage);
        for (let i = 0; i < cutAt; i++) await steps[i].run(store);
        storage.cutPowerAt(1, outcome);
        await expect(steps[cutAt].run(store)).rejects.toMatchObject({ code: "power-loss" });
        // The store in memory did not take a change its storage may not have.
        expect(await names(store)).toEqual(cutAt === 0 ? [] : steps[cutAt - 1].after);
        storage.restorePower();
        const { store: after, problem } = await open(storage);
        expect(problem).toBeNull();
        const before = cutAt === 0 ? [] : steps[cutAt - 1].after;
        expect(outcome === "applied" ? steps[cutAt].after : before).toEqual(await names(after));
      }
    });
  }

  it("a failed save zeroizes the new key: a bond not stored is not kept", async () => {
    const storage = new MemoryStorage();
    const { store } = await open(storage);
    const b = bond(1);
    storage.cutPowerAt(1, "lost");
    await expect(store.save(b)).rejects.toThrow();
    expect(b.key.destroyed).toBe(true);
    expect(await store.find(b.phoneId)).toBeUndefined();
  });
});

describe("stored bonds: a damaged list", () => {
  it("both copies failing their check: BondStoreError, no bonds (phones pair again), and the damaged copies removed", async () => {
    const storage = new MemoryStorage();
    const { store } = await open(storage);
    await store.save(bond(1));
    await store.save(bond(2));
    storage.corrupt(`${BOND_RECORD}.a`, 10);
    storage.corrupt(`${BOND_RECORD}.b`, 10);
    const { store: after, problem } = await open(storage);
    expect(problem).toBeInstanceOf(BondStoreError);
    expect(problem?.code).toBe("bond-store-corrupt");
    expect(after.size).toBe(0);
    expect(storage.names()).toEqual([]);
    expect((await open(storage)).problem).toBeNull();
  });

  it("a list that passes its check but breaks the layout is refused the same way", async () => {
    const storage = new MemoryStorage();
    await new AtomicRecords(storage, crypto).write(BOND_RECORD, Uint8Array.of(0x01, 0x01, 0x00));
    const { store, problem } = await open(storage);
    expect(problem?.code).toBe("bond-store-corrupt");
    expect(store.size).toBe(0);
  });

  it("the record layout refuses too many bonds, a bad name, a repeated phone id and trailing bytes", () => {
    const one = encodeBonds([bond(1)]);
    expect(one.length).toBe(2 + 8 + 32 + 1 + 6);
    const nine = new Uint8Array(2);
    nine[0] = 1;
    nine[1] = MAX_BONDS + 1;
    expect(() => decodeBonds(nine)).toThrow(BondStoreError);
    const badName = one.slice();
    badName[2 + 8 + 32 + 1] = 0x07;
    expect(() => decodeBonds(badName)).toThrow(BondStoreError);
    const twice = encodeBonds([bond(1), bond(2)]);
    twice.set(bond(1).phoneId, 2 + 8 + 32 + 1 + 6);
    expect(() => decodeBonds(twice)).toThrow(BondStoreError);
    expect(() => decodeBonds(Uint8Array.of(...one, 0))).toThrow(BondStoreError);
    expect(() => encodeBonds([bond(1, "")])).toThrow();
  });
});

describe("stored bonds: tamper response", () => {
  it("a tamper event zeroizes the bond keys in memory at once and the erase of the key storage takes the record", async () => {
    const storage = new MemoryStorage();
    const keys = await KeyStore.open({ storage, crypto, random });
    const { store } = await open(storage);
    const b = bond(1);
    await store.save(b);
    let handler: ((e: TamperEvent) => void) | null = null;
    const monitor: TamperMonitor = { onTamper: (h) => { handler = h; }, latched: async () => null, rearm: async () => undefined };
    const response = new TamperResponse({ monitor, keyStore: keys, zeroize: () => store.erase() });
    await response.start();
    handler!({ cause: "enclosure" });
    // Synchronously, before the storage erase completes.
    expect(b.key.destroyed).toBe(true);
    expect(store.size).toBe(0);
    await response.settled();
    expect(storage.names().filter((n) => n.startsWith(BOND_RECORD))).toEqual([]);
    expect((await open(storage)).store.size).toBe(0);
  });
});
