import { softwareCrypto as c } from "../../kernel/crypto";
import { AtomicRecords } from "../../kernel/security/atomic-record";
import { MemoryStorage, PowerLossError, type PowerCutOutcome } from "../../host-sim/hardware/memory-storage";

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe("atomic records over a storage that can lose power", () => {
  it("two copies alternate, each with a sequence number; the newest valid copy is read", async () => {
    const storage = new MemoryStorage();
    const records = new AtomicRecords(storage, c);
    for (let i = 1; i <= 5; i++) await records.write("k", bytes(40, i));
    expect(storage.names()).toEqual(["k.a", "k.b"]);
    expect([...(await new AtomicRecords(storage, c).read("k"))!].every((b) => b === 5)).toBe(true);
  });

  it.each(["lost", "applied", "torn"] as PowerCutOutcome[])(
    "a cut during a write (%s) leaves either the old or the new value, never anything else", async (outcome) => {
      const storage = new MemoryStorage();
      await new AtomicRecords(storage, c).write("k", bytes(100, 1));
      await new AtomicRecords(storage, c).write("k", bytes(100, 2));
      storage.cutPowerAt(1, outcome);
      await expect(new AtomicRecords(storage, c).write("k", bytes(100, 3))).rejects.toBeInstanceOf(PowerLossError);
      // Off until it boots again.
      await expect(storage.read("k.a")).rejects.toBeInstanceOf(PowerLossError);
      storage.restorePower();
      const r = await new AtomicRecords(storage, c).readDetailed("k");
      expect(r.payload![0]).toBe(outcome === "applied" ? 3 : 2);
      expect(r.degraded).toBe(outcome === "torn");
    });

  it("a torn very first write reads as no record; both copies damaged is keystore-corrupt", async () => {
    const storage = new MemoryStorage();
    storage.cutPowerAt(1, "torn");
    await expect(new AtomicRecords(storage, c).write("k", bytes(64, 9))).rejects.toBeInstanceOf(PowerLossError);
    storage.restorePower();
    expect(await new AtomicRecords(storage, c).read("k")).toBeNull();
    const records = new AtomicRecords(storage, c);
    await records.write("k", bytes(64, 1));
    await records.write("k", bytes(64, 2));
    storage.corrupt("k.a", 30);
    storage.corrupt("k.b", 30);
    await expect(new AtomicRecords(storage, c).read("k")).rejects.toMatchObject({ code: "keystore-corrupt" });
  });

  it("a copy is bound to its record name: a copy moved under another name fails its check", async () => {
    const storage = new MemoryStorage();
    await new AtomicRecords(storage, c).write("k", bytes(16, 1));
    await storage.write("j.a", (await storage.read("k.a"))!);
    await storage.write("j.b", (await storage.read("k.a"))!);
    await expect(new AtomicRecords(storage, c).read("j")).rejects.toMatchObject({ code: "keystore-corrupt" });
  });
});
