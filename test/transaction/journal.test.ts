import { softwareCrypto } from "../../kernel/crypto";
import {
  decodeJournalState, decodeReversals, encodeJournalState, encodeReversals, MAX_HELD_OUTCOMES, MAX_REVERSALS, owesReversal, TransactionError,
  TransactionJournal, type JournalEntry, type JournalEvent, type JournalState,
} from "../../kernel/transaction";
import { encodeTlv } from "../../kernel/tlv";
import { AtomicRecords } from "../../kernel/security/atomic-record";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { fromHex } from "../../kernel/bytes";

// The transaction log (issue 8, item 6): stored before each irreversible step, through the key
// store's atomic records; a power loss after the authorization request went out leaves a reversal;
// a reversal is queued once and kept until the phone takes it; a decided outcome is held for the
// phone, never reversed; stored bytes are checked like any input, and their format is versioned.

const envelope = { scheme: "aes-dukpt" as const, ksn: fromHex("123456789012D00100000001"), ciphertext: fromHex("00112233445566778899AABBCCDDEEFF"), mac: fromHex("0123456789ABCDEF0123456789ABCDEF") };
const authorisation = { maskedPan: "476173******0010", envelope, emvData: fromHex("9F2608A1B2C3D4E5F60718") };

async function open(storage = new MemoryStorage(), events: JournalEvent[] = []) {
  return TransactionJournal.open({ storage, crypto: softwareCrypto, observer: (e) => events.push(e) });
}

describe("journal records", () => {
  it("round-trip the state and the reversal queue", () => {
    const state: JournalState = {
      lastId: 7, current: { id: 7, phase: "answered", amount: 1234, currency: 840, reference: 0xabcdef, cardInterface: "contact", authorisation, answer: { arc: "00", approved: true } },
      held: [{ id: 6, reference: 41, amount: 500, currency: 978, outcome: "online-approved", cardInterface: "contactless", maskedPan: "541333******4111", arc: "00", timestamp: 1750000000 }],
    };
    expect(decodeJournalState(encodeJournalState(state))).toEqual(state);
    const completed: JournalState = {
      lastId: 2, held: [],
      current: { id: 2, phase: "completed", amount: 1, currency: 840, summary: { outcome: "online-declined", reason: "card-data", reversal: "declinedByCardAfterApproval" } },
    };
    expect(decodeJournalState(encodeJournalState(completed))).toEqual(completed);
    const reversals = [{ id: 3, reason: "noResponse" as const, amount: 500, currency: 978, ...authorisation, timestamp: 1750000000 }];
    expect(decodeReversals(encodeReversals(reversals))).toEqual(reversals);
  });

  it("refuse stored bytes that are not a journal record", () => {
    const cases = ["", "00", "E103DF0101", "E10BDF010400000001DF990100", "E4035F0100"];
    for (const hex of cases) {
      expect(() => decodeJournalState(fromHex(hex))).toThrow(TransactionError);
    }
    // A transaction id beyond the last one handed out cannot be.
    const bad = encodeJournalState({ lastId: 1, current: { id: 1, phase: "begun", amount: 1, currency: 840 }, held: [] });
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
  it("after an answer, only for an approval; never once the outcome was decided (its reversal, if any, is queued already)", () => {
    expect(owesReversal(entry({ phase: "answered", answer: { arc: "00", approved: true } }))).toBe(true);
    expect(owesReversal(entry({ phase: "answered", answer: { arc: "51", approved: false } }))).toBe(false);
    expect(owesReversal(entry({ phase: "completed", summary: { outcome: "online-approved" } }))).toBe(false);
    expect(owesReversal(entry({ phase: "completed", summary: { outcome: "approved" } }))).toBe(false);
    expect(owesReversal(entry({ phase: "completed", summary: { outcome: "online-declined", reversal: "declinedByCardAfterApproval" } }))).toBe(false);
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
    expect(recovery).toEqual({ interrupted: { transactionId: id, phase: "online", reversal: true, outcomeHeld: false } });
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

describe("a decided outcome is held for the phone, never reversed (issue 8: never report one payment twice)", () => {
  async function completed(storage: MemoryStorage, reference?: number) {
    const { journal } = await open(storage);
    const id = await journal.begin(1234, 840, reference);
    await journal.update({ phase: "online", cardInterface: "contact", authorisation });
    await journal.update({ phase: "answered", answer: { arc: "00", approved: true } });
    await journal.update({ phase: "completed", summary: { outcome: "online-approved", cardInterface: "contact", maskedPan: "476173******0010", arc: "00" } });
    return { journal, id };
  }

  it("a power loss after 'completed' holds the approval's outcome, masked, and queues no reversal", async () => {
    const storage = new MemoryStorage();
    const { id } = await completed(storage, 77);
    const events: JournalEvent[] = [];
    const { journal, recovery } = await open(storage, events);
    expect(recovery).toEqual({ interrupted: { transactionId: id, phase: "completed", reversal: false, outcomeHeld: true } });
    expect(journal.reversals().records).toEqual([]);
    expect(journal.outcomes().records).toEqual([
      { id, reference: 77, amount: 1234, currency: 840, outcome: "online-approved", cardInterface: "contact", maskedPan: "476173******0010", arc: "00" },
    ]);
    expect(JSON.stringify(journal.outcomes())).not.toMatch(/envelope|emvData|ciphertext/);
    // The hold and the close are one write.
    expect(events).toEqual([{ record: "state", transactionId: id, phase: "closed" }, { record: "outcome-held", transactionId: id }]);
  });

  it("a power loss during recovery holds it once", async () => {
    const storage = new MemoryStorage();
    await completed(storage);
    storage.cutPowerAt(1, "lost");
    await expect(open(storage)).rejects.toThrow(/power cut/);
    storage.restorePower();
    const { journal } = await open(storage);
    expect(journal.outcomes().records).toHaveLength(1);
    expect((await open(storage)).journal.outcomes().records).toHaveLength(1);
  });

  it("a close without the phone's confirmation holds the outcome; the phone clears held outcomes up to the id it knows", async () => {
    const storage = new MemoryStorage();
    const { journal } = await open(storage);
    for (const reference of [500, 501, 502]) {
      const id = await journal.begin(100, 840, reference);
      await journal.update({ phase: "completed", summary: { outcome: "declined" } });
      expect(await journal.close(id, { hold: true, nowEpochSeconds: 1750000000 })).toBe(true);
    }
    const id = await journal.begin(100, 840);
    await journal.update({ phase: "completed", summary: { outcome: "approved" } });
    expect(await journal.close(id)).toBe(false);
    expect(journal.outcomes(2)).toMatchObject({ records: [{ reference: 500, timestamp: 1750000000 }, { reference: 501 }], more: true });
    expect(await journal.clearOutcomes(999)).toBe(0);
    expect(await journal.clearOutcomes(501)).toBe(2);
    const again = (await open(storage)).journal;
    expect(again.outcomes().records.map((h) => h.reference)).toEqual([502]);
  });

  it("keeps at most MAX_HELD_OUTCOMES: a newer one pushes out the oldest, payments go on", async () => {
    const { journal } = await open();
    for (let i = 0; i < MAX_HELD_OUTCOMES + 2; i++) {
      const id = await journal.begin(100, 840);
      await journal.update({ phase: "completed", summary: { outcome: "approved" } });
      await journal.close(id, { hold: true });
    }
    expect(journal.outcomes().records.map((h) => h.id)).toEqual(Array.from({ length: MAX_HELD_OUTCOMES }, (_, i) => i + 3));
    expect(journal.full).toBe(false);
  });
});

describe("the log's record format is versioned", () => {
  // Bytes written by the version-1 encoder (the log before held outcomes, git 02264e3).
  const V1_STATE = "E18187DF010400000005E27EDF020400000005DF030103DF04060000000004D2DF05020348DF060100DF07103437363137332A2A2A2A2A2A30303130" +
    "E339DF100100DF110C123456789012D00100000001DF121000112233445566778899AABBCCDDEEFFDF13100123456789ABCDEF0123456789ABCDEF" +
    "DF08039F2701DF09023030DF0A0101DF0B0102";
  const V1_REVERSALS = "E43BE539DF020400000003DF0D0100DF04060000000001F4DF050203D2DF07103437363137332A2A2A2A2A2A30303130DF08039F2701DF0E04684EE180";

  it("a version-1 state record (no version, the outcome's kind alone) still decodes, and recovers as a held outcome", async () => {
    expect(decodeJournalState(fromHex(V1_STATE))).toEqual({
      lastId: 5, held: [],
      current: {
        id: 5, phase: "completed", amount: 1234, currency: 840, cardInterface: "contact", authorisation: { ...authorisation, emvData: fromHex("9F2701") },
        answer: { arc: "00", approved: true }, summary: { outcome: "online-approved", cardInterface: "contact" },
      },
    });
    // A reader updated with that record in its log: the approval is held for the phone, not reversed.
    const storage = new MemoryStorage();
    await new AtomicRecords(storage, softwareCrypto).write("txn-state", fromHex(V1_STATE));
    const { journal, recovery } = await open(storage);
    expect(recovery.interrupted).toEqual({ transactionId: 5, phase: "completed", reversal: false, outcomeHeld: true });
    expect(journal.outcomes().records).toEqual([{ id: 5, amount: 1234, currency: 840, outcome: "online-approved", cardInterface: "contact" }]);
    expect(await journal.begin(1, 840)).toBe(6);
  });

  it("a version-1 reversal queue still decodes", () => {
    expect(decodeReversals(fromHex(V1_REVERSALS))).toEqual([
      { id: 3, reason: "noResponse", amount: 500, currency: 978, maskedPan: "476173******0010", emvData: fromHex("9F2701"), timestamp: 1750000000 },
    ]);
  });

  it("a record of a later version fails with journal-version, not a guess", () => {
    const later = encodeTlv("E1", fromHex("DF0F0103" + "DF010400000001"));
    expect(() => decodeJournalState(later)).toThrow(expect.objectContaining({ code: "journal-version" }));
    expect(() => decodeReversals(encodeTlv("E4", fromHex("DF0F0109")))).toThrow(/version 9/);
    // Held outcomes cannot be in a version-1 record.
    expect(() => decodeJournalState(encodeTlv("E1", fromHex("DF010400000001E700")))).toThrow(TransactionError);
  });
});
