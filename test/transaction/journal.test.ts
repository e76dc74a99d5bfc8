import { softwareCrypto } from "../../kernel/crypto";
import {
  decodeJournalState, decodeReversals, encodeJournalState, encodeReversals, MAX_REVERSALS, owesReversal, TransactionError,
  TransactionJournal, type JournalEntry, type JournalEvent,
} from "../../kernel/transaction";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { fromHex } from "../../kernel/bytes";

// The transaction log (issue 8, item 6): stored before each irreversible step, through the key
// store's atomic records; a power loss after the authorization request went out leaves a reversal;
// a reversal is queued once and kept until the phone takes it; stored bytes are checked like any
// input.

const envelope = { scheme: "aes-dukpt" as const, ksn: fromHex("123456789012D00100000001"), ciphertext: fromHex("00112233445566778899AABBCCDDEEFF"), mac: fromHex("0123456789ABCDEF0123456789ABCDEF") };
const authorisation = { maskedPan: "476173******0010", envelope, emvData: fromHex("9F2608A1B2C3D4E5F60718") };

async function open(storage = new MemoryStorage(), events: JournalEvent[] = []) {
  return TransactionJournal.open({ storage, crypto: softwareCrypto, observer: (e) => events.push(e) });
}

describe("journal records", () => {
  it("round-trip the state and the reversal queue", () => {
    const state = { lastId: 7, current: { id: 7, phase: "answered" as const, amount: 1234, currency: 840, cardInterface: "contact" as const, authorisation, answer: { arc: "00", approved: true } } };
    expect(decodeJournalState(encodeJournalState(state))).toEqual(state);
    const reversals = [{ id: 3, reason: "noResponse" as const, amount: 500, currency: 978, ...authorisation, timestamp: 1750000000 }];
    expect(decodeReversals(encodeReversals(reversals))).toEqual(reversals);
  });

  it("refuse stored bytes that are not a journal record", () => {
    const cases = ["", "00", "E103DF0101", "E10BDF010400000001DF990100", "E4035F0100"];
    for (const hex of cases) {
      expect(() => decodeJournalState(fromHex(hex))).toThrow(TransactionError);
    }
    // A transaction id beyond the last one handed out cannot be.
    const bad = encodeJournalState({ lastId: 1, current: { id: 1, phase: "begun", amount: 1, currency: 840 } });
    const at = bad.findIndex((b, i) => b === 0xdf && bad[i + 1] === 0x02 && bad[i + 2] === 0x04);
    bad[at + 6] = 0x09; // the current transaction's id -> 9
    expect(() => decodeJournalState(bad)).toThrow(/journal|transaction log/);
    expect(() => decodeReversals(fromHex("E405E503DF0201"))).toThrow(TransactionError);
  });
});

describe("when a reversal is owed after a power loss", () => {
  const entry = (over: Partial<JournalEntry>): JournalEntry => ({ id: 1, phase: "begun", amount: 100, currency: 840, ...over });
  it("nothing before the request leaves; always once it may have left", () => {
    expect(owesReversal(entry({ phase: "begun" }))).toBe(false);
    expect(owesReversal(entry({ phase: "online" }))).toBe(true);
  });
  it("after an answer, only for an approval; after completion, only for an online approval not reported", () => {
    expect(owesReversal(entry({ phase: "answered", answer: { arc: "00", approved: true } }))).toBe(true);
    expect(owesReversal(entry({ phase: "answered", answer: { arc: "51", approved: false } }))).toBe(false);
    expect(owesReversal(entry({ phase: "completed", outcome: "online-approved" }))).toBe(true);
    expect(owesReversal(entry({ phase: "completed", outcome: "approved" }))).toBe(false);
    expect(owesReversal(entry({ phase: "completed", outcome: "online-declined" }))).toBe(false);
  });
});

describe("the journal over storage", () => {
  it("hands out ids that survive a restart and are never reused", async () => {
    const storage = new MemoryStorage();
    const { journal } = await open(storage);
    expect(await journal.begin(100, 840)).toBe(1);
    await journal.close(1);
    const again = (await open(storage)).journal;
    expect(await again.begin(100, 840)).toBe(2);
  });

  it("at start-up, queues a reversal for a request that went out, once, and closes the transaction", async () => {
    const storage = new MemoryStorage();
    const { journal } = await open(storage);
    const id = await journal.begin(1234, 840);
    await journal.update({ phase: "online", cardInterface: "contact", authorisation });
    const events: JournalEvent[] = [];
    const { journal: after, recovery } = await open(storage, events);
    expect(recovery).toEqual({ interrupted: { transactionId: id, phase: "online", reversal: true } });
    expect(after.current).toBeNull();
    expect(after.reversals().records).toMatchObject([{ id, reason: "powerLoss", amount: 1234, maskedPan: "476173******0010" }]);
    // A second start-up finds nothing more to do.
    const third = await open(storage);
    expect(third.recovery).toEqual({});
    expect(third.journal.reversals().records).toHaveLength(1);
  });

  it("a cut between queuing the reversal and closing does not queue it twice", async () => {
    const storage = new MemoryStorage();
    const { journal } = await open(storage);
    await journal.begin(1234, 840);
    await journal.update({ phase: "online", authorisation });
    storage.cutPowerAt(2, "lost"); // the reversal write goes through, the close is lost
    await expect(open(storage)).rejects.toThrow(/power cut/);
    storage.restorePower();
    const { journal: after } = await open(storage);
    expect(after.reversals().records).toHaveLength(1);
  });

  it("keeps reversals until the phone takes them, and refuses new payments while the queue is full", async () => {
    const { journal } = await open();
    for (let i = 0; i < MAX_REVERSALS; i++) {
      const id = await journal.begin(100, 840);
      await journal.update({ phase: "online", authorisation });
      await journal.addReversal(journal.current!, "noResponse");
      await journal.close(id);
    }
    await expect(journal.begin(100, 840)).rejects.toMatchObject({ code: "journal-full" });
    expect(await journal.clearReversals(2)).toBe(2);
    expect(journal.reversals().records.map((r) => r.id)).toEqual([3, 4, 5, 6]);
    expect(await journal.begin(100, 840)).toBe(MAX_REVERSALS + 1);
  });
});
