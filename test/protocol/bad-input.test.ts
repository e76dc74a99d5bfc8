import type { FrameLink } from "../../kernel/protocol";
import { decodeFrame, encodeDataFrame, Reassembler, RECORD_PROTECTED, MAX_MESSAGE_BYTES } from "../../kernel/protocol";
import { ScriptedPaymentEngine } from "../../host-sim/reader/scripted-engine";
import type { FrameDirection } from "../../host-sim/gatt/loopback";
import { pair, startTestReader, tick } from "./support";

// Issue 9, "Bad input": 10,000 malformed, truncated, oversized, duplicated and reordered frames and
// replayed messages. The reader answers with error codes or drops them, never crashes, holds no more
// than its bounds, never acts on a replay, and the next honest transaction succeeds.

/** xorshift32: a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

const PURCHASE = { amount: 2500, currency: 978, transactionType: "purchase" as const };

describe("bad input: 10,000 hostile frames and replays", () => {
  it("the reader drops or answers them all, acts on none, and the next honest payment succeeds", async () => {
    const honest: Uint8Array[] = [];
    let record = true;
    const tap = (direction: FrameDirection, frame: Uint8Array): Uint8Array[] => {
      if (direction === "to-reader" && record) honest.push(frame.slice());
      return [frame];
    };
    const engine = new ScriptedPaymentEngine();
    const reader = await startTestReader({ engine, tap });
    const { client, transport } = reader.phone({ mtu: 23 });
    await client.connect();
    await pair(reader, client);
    const first = await client.startTransaction(PURCHASE, { authorise: async () => ({ result: "answered", arc: "00" }) });
    await expect(first.outcome).resolves.toMatchObject({ result: "approved" });
    record = false;
    expect(engine.transactions).toBe(1);

    // The honest phone's records, as an eavesdropper on the phone would have them.
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const records: Uint8Array[] = [];
    for (const f of honest) {
      const frame = decodeFrame(f);
      if (frame.kind !== "data") continue;
      for (const x of r.receive(frame, f)) if (x.kind === "message") records.push(x.bytes);
    }
    const protectedRecords = records.filter((x) => x[0] === RECORD_PROTECTED);
    expect(protectedRecords.length).toBeGreaterThan(3);

    const connection = reader.service.connection(transport.connectionId)!;
    const link = (client as unknown as { link: FrameLink }).link;
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);

    const rnd = prng(0x9e3779b9);
    const pick = <T>(a: readonly T[]): T => a[rnd() % a.length];
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => rnd() & 0xff);
    let frames = 0;
    let replays = 0;
    const inject = (f: Uint8Array) => {
      frames++;
      expect(() => connection.onFrame(f)).not.toThrow();
    };
    while (frames < 10_000) {
      switch (rnd() % 8) {
        case 0: inject(bytes(rnd() % 300)); break; // random bytes
        case 1: { const f = pick(honest); inject(f.subarray(0, rnd() % f.length)); break; } // truncated
        case 2: { // oversized: a frame past any MTU, or a FIRST that announces 65535 bytes
          inject(rnd() % 2 === 0 ? bytes(245 + (rnd() % 2000)) : encodeDataFrame(rnd() & 0xff, 0, true, false, 0xffff, bytes(15)));
          break;
        }
        case 3: inject(pick(honest)); break; // duplicated
        case 4: { // reordered: a few honest frames in another order
          const start = rnd() % (honest.length - 4);
          for (const i of [2, 0, 3, 1]) inject(honest[start + i]);
          break;
        }
        case 5: { const f = pick(honest).slice(); f[rnd() % f.length] ^= 1 << (rnd() % 8); inject(f); break; } // bit flips
        case 6: { // well framed, garbage records (any record type, forged protected records)
          const body = rnd() % 2 === 0 ? Uint8Array.of(RECORD_PROTECTED, ...bytes(4 + (rnd() % 60))) : bytes(1 + (rnd() % 60));
          inject(encodeDataFrame(rnd() & 0xff, 0, true, true, body.length, body));
          break;
        }
        default: { // a replayed message, framed correctly by the phone's own link
          replays++;
          link.sendMessage(pick(protectedRecords)).catch(() => undefined);
          await tick();
        }
      }
      if (frames % 500 === 0) await tick();
    }
    for (let i = 0; i < 50; i++) await tick();
    process.off("unhandledRejection", onUnhandled);

    expect(unhandled).toEqual([]);
    expect(replays).toBeGreaterThan(500);
    // Never acted on a replay: no transaction, configuration or time change happened.
    expect(engine.transactions).toBe(1);
    expect(engine.configVersion).toBe(0);
    expect(engine.epochSeconds).toBeNull();
    // It answered (alerts) or dropped, and holds nothing beyond its bounds.
    expect(connection.counters.alertsSent).toBeGreaterThan(100);
    expect(connection.link.stats.framesDropped).toBeGreaterThan(1000);
    const d = reader.service.diagnostics();
    expect(d).toMatchObject({ connections: 1, transactionActive: false, queuedMessages: 0, backlog: 0 });
    expect(d.partialMessages).toBeLessThanOrEqual(1);

    // The next honest transaction succeeds on the same connection and session.
    const next = await client.startTransaction(PURCHASE, { authorise: async () => ({ result: "answered", arc: "00" }) });
    await expect(next.outcome).resolves.toMatchObject({ result: "approved" });
    expect(engine.transactions).toBe(2);
  });

  it("a replayed start-transaction is refused with alert replay and starts nothing", async () => {
    const captured: Uint8Array[] = [];
    const engine = new ScriptedPaymentEngine();
    const reader = await startTestReader({ engine, tap: (dir, f) => { if (dir === "to-reader") captured.push(f); return [f]; } });
    const { client, transport } = reader.phone();
    await client.connect();
    await pair(reader, client);
    captured.length = 0;
    const tx = await client.startTransaction(PURCHASE, { authorise: async () => ({ result: "answered", arc: "00" }) });
    await tx.outcome;
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const start = captured.map((f) => decodeFrame(f)).flatMap((f, i) => (f.kind === "data" ? r.receive(f, captured[i]) : []))
      .find((x) => x.kind === "message");
    const link = (client as unknown as { link: FrameLink }).link;
    const before = reader.service.connection(transport.connectionId)!.counters.alertsSent;
    await link.sendMessage((start as { bytes: Uint8Array }).bytes);
    for (let i = 0; i < 10; i++) await tick();
    expect(engine.transactions).toBe(1);
    expect(reader.service.connection(transport.connectionId)!.counters.alertsSent).toBe(before + 1);
  });
});
