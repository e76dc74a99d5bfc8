import { MemoryCredentialStore, OutcomeLedger, collectHeldOutcomes, REMEMBERED_OUTCOMES, type HeldOutcomeRecord } from "../../client";
import { decodeMessage, decodeResponse, encodeResponse } from "../../kernel/protocol";
import { ScriptedPaymentEngine } from "../../host-sim/reader/scripted-engine";
import { pair, startTestReader } from "../protocol/support";

// Issue 8: "the reader never reports one payment twice". The reader holds an outcome the phone may
// have missed (kernel/transaction/journal.ts) until the phone acknowledges it; the SDK collects the
// held outcomes after every session opens (GET-OUTCOMES / CLEAR-OUTCOMES), hands the app each one
// it never had, once, and drops a copy of one it had (client/outcome-ledger.ts).

/** The scripted engine with a held-outcome list, as the firmware's engine keeps it. */
class HoldingEngine extends ScriptedPaymentEngine {
  readonly held: HeldOutcomeRecord[] = [];
  async outcomes(max: number): Promise<{ records: HeldOutcomeRecord[]; more: boolean }> {
    return { records: this.held.slice(0, max), more: this.held.length > max };
  }
  async clearOutcomes(transactionId: number): Promise<number> {
    const i = this.held.findIndex((h) => h.transactionId === transactionId);
    return i < 0 ? 0 : this.held.splice(0, i + 1).length;
  }
}

const held = (transactionId: number): HeldOutcomeRecord => ({
  transactionId, amount: 1234, currency: 978, result: "approved", cardInterface: "contact", maskedPan: "476173******0119",
  emvData: [{ tag: "8A", value: Uint8Array.of(0x30, 0x30) }], timestamp: 1750000000,
});

describe("missed outcomes: GET-OUTCOMES and CLEAR-OUTCOMES", () => {
  it("a held outcome round-trips the wire with its masked PAN; a PAN in clear is refused", () => {
    const bytes = encodeResponse("get-outcomes", 4, "ok", { records: [held(9)], more: false });
    expect(decodeResponse(decodeMessage(bytes)).body).toEqual({ records: [held(9)], more: false });
    const clear = encodeResponse("get-outcomes", 4, "ok", { records: [{ ...held(9), maskedPan: "4761739001010119" }], more: false });
    expect(() => decodeResponse(decodeMessage(clear))).toThrow();
  });

  it("an outcome held while the phone was away reaches the app once after the session opens; the reader then forgets it", async () => {
    const engine = new HoldingEngine();
    engine.held.push(held(7), held(8));
    const reader = await startTestReader({ engine });
    const got: number[] = [];
    const { client, credentials } = reader.phone({ onMissedOutcome: (r) => { got.push(r.transactionId); } });
    await client.connect();
    await pair(reader, client);
    expect(got).toEqual([7, 8]);
    expect(engine.held).toEqual([]);
    // The reader held it again (a phone's acknowledgement lost with the link): the next session drops it.
    engine.held.push(held(8));
    await client.disconnect();
    const again = reader.phone({ credentials, onMissedOutcome: (r) => { got.push(r.transactionId); } }).client;
    await again.connect();
    expect(got).toEqual([7, 8]);
    expect(engine.held).toEqual([]);
    expect(await credentials.reportedOutcomes("MPOSR1SIM0001")).toEqual([7, 8]);
  });

  it("the outcome the app had live is not reported again when the reader holds a copy", async () => {
    const engine = new HoldingEngine();
    const reader = await startTestReader({ engine });
    const missed: number[] = [];
    const { client, credentials } = reader.phone({ onMissedOutcome: (r) => { missed.push(r.transactionId); } });
    await client.connect();
    await pair(reader, client);
    const tx = await client.startTransaction({ amount: 1234, currency: 978, transactionType: "purchase" }, { authorise: async () => ({ result: "answered", arc: "00" }) });
    expect((await tx.outcome).result).toBe("approved");
    engine.held.push(held(tx.id));
    await client.disconnect();
    await reader.phone({ credentials, onMissedOutcome: (r) => { missed.push(r.transactionId); } }).client.connect();
    expect(missed).toEqual([]);
    expect(engine.held).toEqual([]);
  });

  it("an app that fails on an outcome gets it again at the next connection: the reader keeps it until then", async () => {
    const engine = new HoldingEngine();
    engine.held.push(held(5));
    const reader = await startTestReader({ engine });
    const { client, credentials } = reader.phone({ onMissedOutcome: () => { throw new Error("app storage full"); } });
    await client.connect();
    await expect(pair(reader, client)).rejects.toThrow(/app storage full/);
    expect(engine.held).toHaveLength(1);
    await client.disconnect();
    const got: number[] = [];
    await reader.phone({ credentials, onMissedOutcome: (r) => { got.push(r.transactionId); } }).client.connect();
    expect(got).toEqual([5]);
    expect(engine.held).toEqual([]);
  });

  it("an engine that holds no outcomes answers an empty list", async () => {
    const reader = await startTestReader({ engine: new ScriptedPaymentEngine() });
    const { client } = reader.phone();
    await client.connect();
    await pair(reader, client);
    expect(await client.collectMissedOutcomes()).toEqual([]);
  });
});

describe("the outcome ledger", () => {
  it("lets each id through once per reader, and remembers the last REMEMBERED_OUTCOMES in the app's store", async () => {
    const store = new MemoryCredentialStore(new Uint8Array(8));
    const ledger = new OutcomeLedger(store);
    expect(await ledger.remember("A", 1)).toBe(true);
    expect(await ledger.remember("A", 1)).toBe(false);
    expect(await ledger.remember("B", 1)).toBe(true);
    for (let id = 2; id <= REMEMBERED_OUTCOMES + 1; id++) await ledger.remember("A", id);
    const stored = await store.reportedOutcomes("A");
    expect(stored).toHaveLength(REMEMBERED_OUTCOMES);
    expect(stored[0]).toBe(2);
    // A new run of the app reads what the last one remembered.
    expect(await new OutcomeLedger(store).wasReported("A", REMEMBERED_OUTCOMES + 1)).toBe(true);
  });

  it("a reader that never forgets cannot keep the phone collecting forever", async () => {
    let fetches = 0;
    const port = { fetch: async () => { fetches++; return { records: [{ transactionId: 1 }], more: true }; }, clear: async () => 0 };
    const r = await collectHeldOutcomes(port, new OutcomeLedger(), "A", () => undefined);
    expect(r).toEqual({ reported: 1, dropped: 7 });
    expect(fetches).toBe(8);
  });
});
