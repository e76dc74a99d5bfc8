import { MemoryStorage, type PowerCutOutcome } from "../../host-sim/hardware/memory-storage";
import { softwareCrypto } from "../../kernel/crypto";
import { AtomicRecords } from "../../kernel/security/atomic-record";
import { PIN_WINDOW_RECORD, PinRateLimit } from "../../kernel/transaction/pin-rate-limit";
import { decodePinWindow, encodePinWindow, MAX_PIN_WINDOW_ENTRIES, PinLimitError } from "../../kernel/transaction/pin-rate-limit-record";

// PCI PTS POI, exhaustive PIN determination: at most 120 PINs an hour, and a power cycle must not
// give fresh entries. The HAL clock restarts at every boot (each open() below is a new boot whose
// clock starts at 0); the reader's time switched off is never credited.

const HOUR = 3600000;
const crypto = softwareCrypto;

async function boot(storage: MemoryStorage, maxPerHour = 120, nowMs = 0) {
  return PinRateLimit.open({ storage, crypto, maxPerHour, nowMs });
}

describe("PIN entry limit across a reboot", () => {
  it("a reboot keeps the count: 120 PINs, a power cycle, and still no 121st", async () => {
    const storage = new MemoryStorage();
    const { limit } = await boot(storage);
    for (let i = 0; i < 120; i++) {
      expect(limit.allows(i * 1000)).toBe(true);
      await limit.record(i * 1000);
    }
    const after = await boot(storage);
    expect(after.problem).toBeNull();
    expect(after.limit.entries(0)).toBe(120);
    expect(after.limit.allows(0)).toBe(false);
  });

  it("time switched off does not count: the oldest entry leaves an hour of running time after its age at the last write", async () => {
    const storage = new MemoryStorage();
    const { limit } = await boot(storage, 3);
    await limit.record(0);
    await limit.record(600000);
    await limit.record(1200000); // ages at this write: 1200000, 600000, 0
    const after = await boot(storage, 3, 5000);
    expect(after.limit.allows(5000)).toBe(false);
    expect(after.limit.nextAllowedMs(5000)).toBe(5000 - 1200000 + HOUR);
    expect(after.limit.allows(5000 - 1200000 + HOUR - 1)).toBe(false);
    expect(after.limit.allows(5000 - 1200000 + HOUR)).toBe(true);
  });

  it("entries older than an hour at the last write are not stored", async () => {
    const storage = new MemoryStorage();
    const { limit } = await boot(storage, 2);
    await limit.record(0);
    await limit.record(HOUR + 1);
    expect((await boot(storage, 2)).limit.entries(0)).toBe(1);
  });

  it("a lower limit after a configuration change keeps the newest entries", async () => {
    const storage = new MemoryStorage();
    const { limit } = await boot(storage, 10);
    for (let i = 0; i < 10; i++) await limit.record(i * 60000);
    const after = await boot(storage, 4, 0);
    expect(after.limit.entries(0)).toBe(4);
    // The newest four had ages 180000..0: the oldest of them leaves first.
    expect(after.limit.nextAllowedMs(0)).toBe(HOUR - 180000);
  });
});

describe("PIN entry limit: a power cut at every write", () => {
  const outcomes: PowerCutOutcome[] = ["lost", "applied", "torn"];
  for (const outcome of outcomes) {
    it(`a cut (${outcome}) while storing entry n leaves n-1 or n entries, never fewer and never a damaged record`, async () => {
      for (let n = 1; n <= 8; n++) {
        const storage = new MemoryStorage();
        const { limit } = await boot(storage);
        for (let i = 1; i < n; i++) await limit.record(i * 1000);
        storage.cutPowerAt(1, outcome);
        await expect(limit.record(n * 1000)).rejects.toMatchObject({ code: "power-loss" });
        // The entry counts in memory even though its write failed (the PIN is discarded).
        expect(limit.entries(n * 1000)).toBe(n);
        storage.restorePower();
        const after = await boot(storage);
        expect(after.problem).toBeNull();
        const kept = after.limit.entries(0);
        expect(outcome === "applied" ? [n] : [n - 1]).toContain(kept);
      }
    });
  }
});

describe("PIN entry limit: a damaged record", () => {
  it("both copies failing their check is refused with PinLimitError, and the window starts full: damage never gives fresh PINs", async () => {
    const storage = new MemoryStorage();
    const { limit } = await boot(storage);
    await limit.record(0);
    await limit.record(1000);
    storage.corrupt(`${PIN_WINDOW_RECORD}.a`, 3);
    storage.corrupt(`${PIN_WINDOW_RECORD}.b`, 3);
    const after = await boot(storage, 120, 0);
    expect(after.problem).toBeInstanceOf(PinLimitError);
    expect(after.problem?.code).toBe("pin-limit-corrupt");
    expect(after.limit.allows(0)).toBe(false);
    expect(after.limit.allows(HOUR - 1)).toBe(false);
    expect(after.limit.allows(HOUR)).toBe(true);
    // The full window was written back: the next boot reads it without a problem, still full.
    const again = await boot(storage, 120, 0);
    expect(again.problem).toBeNull();
    expect(again.limit.allows(0)).toBe(false);
  });

  it("a record that passes its check but breaks the layout is refused the same way", async () => {
    const storage = new MemoryStorage();
    await new AtomicRecords(storage, crypto).write(PIN_WINDOW_RECORD, Uint8Array.of(0x02, 0x00));
    const after = await boot(storage, 5, 0);
    expect(after.problem?.code).toBe("pin-limit-corrupt");
    expect(after.limit.entries(0)).toBe(5);
  });

  it("one damaged copy falls back to the other (a torn write), without a problem", async () => {
    const storage = new MemoryStorage();
    const { limit } = await boot(storage);
    await limit.record(0);
    await limit.record(1000);
    storage.corrupt(`${PIN_WINDOW_RECORD}.b`, 3);
    const after = await boot(storage);
    expect(after.problem).toBeNull();
    expect(after.limit.entries(0)).toBe(1);
  });
});

describe("PIN window record layout", () => {
  it("is bounded: 120 entries are 482 bytes, a 121st is refused on encode and decode", () => {
    const ages = new Array<number>(MAX_PIN_WINDOW_ENTRIES).fill(0);
    expect(encodePinWindow(ages).length).toBe(482);
    expect(() => encodePinWindow(ages.concat([0]))).toThrow();
    const big = new Uint8Array(2 + 4 * 121);
    big[0] = 1;
    big[1] = 121;
    expect(() => decodePinWindow(big)).toThrow(PinLimitError);
  });

  it("refuses a wrong length, an age of an hour or more, and ages out of order", () => {
    expect(() => decodePinWindow(Uint8Array.of(1, 1, 0, 0, 0))).toThrow(PinLimitError);
    expect(() => decodePinWindow(Uint8Array.of(1, 1, 0x00, 0x36, 0xee, 0x80))).toThrow(PinLimitError); // 3600000
    expect(() => decodePinWindow(Uint8Array.of(1, 2, 0, 0, 0, 1, 0, 0, 0, 2))).toThrow(PinLimitError);
    expect(decodePinWindow(Uint8Array.of(1, 2, 0, 0, 0, 2, 0, 0, 0, 1))).toEqual([2, 1]);
  });
});
