import { ReaderStatusError } from "../../client";
import { softwareCrypto } from "../../kernel/crypto";
import type { StartTransaction } from "../../kernel/protocol";
import { TransactionError, TransactionJournal } from "../../kernel/transaction";
import { MemoryStorage } from "../../host-sim/hardware/memory-storage";
import { ScriptedPaymentEngine } from "../../host-sim/reader/scripted-engine";
import { pair, startTestReader, tick, type TestReader } from "./support";

// Issue 8, "the reader never reports one payment twice": the phone keys a payment on the transaction
// id START-TRANSACTION answers (client/outcome-ledger.ts), so the id must be unique for the reader's
// life, not for one start of it. The reader service takes it from the engine's transaction log
// (PaymentEngine.nextTransactionId: kernel/transaction/journal.ts, reserveId), which stores it
// before it goes out (docs/protocol.md, START-TRANSACTION).

const PURCHASE: StartTransaction = { amount: 1234, currency: 978, transactionType: "purchase" };

/** The scripted engine whose ids come from a transaction log, as the firmware's engine takes them. */
class LoggedEngine extends ScriptedPaymentEngine {
  constructor(readonly journal: TransactionJournal) {
    super({ offline: true });
  }

  nextTransactionId(): Promise<number> {
    return this.journal.reserveId();
  }
}

/** Starts a reader over `storage` (a reboot when the storage was used before) and a paired phone on it. */
async function bootAndPair(storage: MemoryStorage): Promise<{ reader: TestReader; engine: LoggedEngine; pay(): Promise<number> }> {
  const { journal } = await TransactionJournal.open({ storage, crypto: softwareCrypto });
  const engine = new LoggedEngine(journal);
  const reader = await startTestReader({ engine });
  const { client } = reader.phone();
  await client.connect();
  await pair(reader, client);
  return {
    reader, engine,
    pay: async () => {
      const tx = await client.startTransaction(PURCHASE);
      expect((await tx.outcome).result).toBe("approved");
      return tx.id;
    },
  };
}

describe("transaction ids: unique for the reader's life", () => {
  it("a reboot (a new reader service over the same storage) never hands out an id again, though no payment began in the log with it", async () => {
    const storage = new MemoryStorage();
    const first = await bootAndPair(storage);
    const before = [await first.pay(), await first.pay(), await first.pay()];
    first.reader.service.stop();

    const second = await bootAndPair(storage);
    const after = [await second.pay(), await second.pay()];
    second.reader.service.stop();

    const ids = before.concat(after);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
    // Each id was stored before it went out: the log's counter is the last one the phone got.
    expect(second.engine.journal.lastId).toBe(ids[ids.length - 1]);
    const reopened = await TransactionJournal.open({ storage, crypto: softwareCrypto });
    expect(reopened.journal.lastId).toBe(ids[ids.length - 1]);
  });

  it("a payment that begins in the log with the id START-TRANSACTION gave keeps it as the log's own id (reversals and held outcomes carry the same number)", async () => {
    const storage = new MemoryStorage();
    const { journal } = await TransactionJournal.open({ storage, crypto: softwareCrypto });
    const given = await journal.reserveId();
    expect(await journal.begin(1234, 978, given)).toBe(given);
    await journal.close(given);
    // A reference that is not the reserved id is kept beside a fresh id of the log.
    const next = await journal.begin(1234, 978, 7);
    expect(next).toBe(given + 1);
    expect(journal.current?.reference).toBe(7);
  });

  it("while one phone's START-TRANSACTION waits for its id, a second phone's is busy (one transaction at a time)", async () => {
    let release!: (id: number) => void;
    const engine = new ScriptedPaymentEngine({ offline: true });
    Object.assign(engine, { nextTransactionId: () => new Promise<number>((resolve) => { release = resolve; }) });
    const reader = await startTestReader({ engine });
    const a = reader.phone().client;
    const b = reader.phone().client;
    await a.connect();
    await pair(reader, a);
    await b.connect();
    await pair(reader, b);
    const started = a.startTransaction(PURCHASE);
    for (let i = 0; i < 20 && release === undefined; i++) await tick();
    await expect(b.startTransaction(PURCHASE)).rejects.toMatchObject({ status: "busy" });
    expect(reader.service.diagnostics().transactionActive).toBe(true);
    release(41);
    const tx = await started;
    expect(tx.id).toBe(41);
    expect((await tx.outcome).result).toBe("approved");
    reader.service.stop();
  });

  it("the log's ids exhausted (a typed error): START-TRANSACTION answers a status, no transaction is active, the connection goes on", async () => {
    const bugs: unknown[] = [];
    const engine = new ScriptedPaymentEngine({ offline: true });
    Object.assign(engine, { nextTransactionId: () => Promise.reject(new TransactionError("journal-full", "transaction log: transaction ids exhausted")) });
    const reader = await startTestReader({ engine, onInternalError: (e) => bugs.push(e) });
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    const refused = await client.startTransaction(PURCHASE).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReaderStatusError);
    expect((refused as ReaderStatusError).status).toBe("internalError");
    expect(reader.service.diagnostics().transactionActive).toBe(false);
    expect(bugs).toEqual([]);
    expect((await client.getStatus()).transactionActive).toBe(false);
    reader.service.stop();
  });
});
