import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { KeyStore } from "../../kernel/security/key-store";
import { MemoryStorage, PowerLossError, type PowerCutOutcome } from "../../host-sim/hardware/memory-storage";
import { SimulatedHsm } from "../../host-sim/hsm/hsm";
import { seededRandom } from "./support";

// Issue 3, "Bad input and faults": power is cut at every write of the key store during 1,000
// transactions; no KSN is ever used twice and no key is lost or corrupted.
describe("key store under power cuts", () => {
  it("a cut at every write of 1,000 transactions (lost, applied or torn) never reuses a KSN nor loses a key", async () => {
    const random = seededRandom(2024);
    const storage = new MemoryStorage();
    const kbpk = random.bytes(32);
    const hsm = new SimulatedHsm({ crypto: c, random, aesBdk: random.bytes(16), tdesBdk: random.bytes(16) });
    const open = () => KeyStore.open({ storage, crypto: c, random });
    let store = await open();
    await store.loadKbpk(kbpk, "A");
    await store.injectKeyBlock("data", hsm.initialKeyBlock("aes-dukpt", fromHex("A1B2C3D4E5F60708"), kbpk, "A"));
    await store.injectKeyBlock("pin", hsm.initialKeyBlock("tdes-dukpt", fromHex("FFFF0102030405E00000"), kbpk, "A"));
    const expected = await store.status();

    const usedKsns = new Set<string>();
    const outcomes: PowerCutOutcome[] = ["lost", "applied", "torn"];
    const pan = "4761739001010010";
    const items = [{ tag: "5A", value: fromHex(pan) }, { tag: "5F24", value: fromHex("251231") }];
    let cuts = 0;
    let outputs = 0;

    /** One transaction: a P2PE envelope, then an online PIN block (two key-store writes). */
    async function transaction(): Promise<void> {
      const envelope = await store.protect(items);
      record(toHex(envelope.ksn));
      expect(toHex(hsm.openEnvelope(envelope)[0].value)).toBe(pan);
      const pin = await store.encryptPin(new TextEncoder().encode("4315"), pan);
      record(toHex(pin.ksn));
      expect(hsm.verifyPin(pin, pan, new TextEncoder().encode("4315"))).toBe(true);
    }
    function record(ksn: string): void {
      expect(usedKsns.has(ksn)).toBe(false); // never twice
      usedKsns.add(ksn);
      outputs++;
    }
    async function reboot(): Promise<void> {
      storage.restorePower();
      store = await open();
      // No key lost or corrupted: the same KBPK and the same keys in both slots after every boot.
      const s = await store.status();
      expect(s.state).toBe("ready");
      expect(s.kbpk).toEqual(expected.kbpk);
      expect(s.slots.map((x) => [x.slot, x.scheme, x.kcv])).toEqual(expected.slots.map((x) => [x.slot, x.scheme, x.kcv]));
    }

    for (let t = 0; t < 1000; t++) {
      // Each write of the transaction gets its own cut, then the transaction runs to the end.
      for (let write = 1; write <= 2; write++) {
        storage.cutPowerAt(write, outcomes[cuts % 3]);
        cuts++;
        await expect(transaction()).rejects.toBeInstanceOf(PowerLossError);
        await reboot();
      }
      await transaction();
    }
    expect(cuts).toBe(2000);
    // 1,000 complete transactions plus every envelope released before a cut hit the PIN write.
    expect(outputs).toBeGreaterThanOrEqual(2000);
    expect(usedKsns.size).toBe(outputs);
  });
});
