import { decodeFrame, encodeCreditFrame, FrameLink, fragmentCount, INITIAL_CREDITS } from "../../kernel/protocol";

// docs/protocol.md, "Framing" and "Flow control": the sender's outbox (kernel/protocol/frame-link.ts)
// - messages leave in the order they were queued, a message's fragments never interleave with
// another's, a message waits for credit only at the head of the line, and the outbox is bounded.

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

function bytes(length: number, fill: number): Uint8Array {
  return new Uint8Array(length).fill(fill);
}

/** The message number of every data frame sent, in order. */
function messageNumbers(frames: Uint8Array[]): number[] {
  return frames.map((f) => decodeFrame(f)).filter((f) => f.kind === "data").map((f) => (f as { message: number }).message);
}

describe("framing: the bounded outbox", () => {
  it("posted and awaited messages leave in queue order, each message's fragments together, across a credit wait", async () => {
    const sent: Uint8Array[] = [];
    const link = new FrameLink({ attMtu: 23, send: async (f) => { sent.push(f); }, onMessage: () => undefined });
    const ended: Array<[unknown, number]> = [];
    // The second message is longer than the window left after the first: it waits for credit.
    link.post(bytes(50, 1), (error, n) => ended.push([error, n]));
    const second = link.sendMessage(bytes(110, 2));
    link.post(bytes(5, 3), (error, n) => ended.push([error, n]));
    expect(link.pendingMessages).toBe(3);
    await turn();
    expect(sent).toHaveLength(INITIAL_CREDITS);
    link.receiveFrame(encodeCreditFrame(INITIAL_CREDITS));
    await expect(second).resolves.toBe(1);
    await turn();
    const run = (n: number, count: number): number[] => new Array<number>(count).fill(n);
    expect(fragmentCount(50, 20) + fragmentCount(110, 20)).toBeGreaterThan(INITIAL_CREDITS);
    expect(messageNumbers(sent)).toEqual([...run(0, fragmentCount(50, 20)), ...run(1, fragmentCount(110, 20)), 2]);
    expect(ended).toEqual([[undefined, 0], [undefined, 2]]);
    expect(link.pendingMessages).toBe(0);
  });

  it("a full outbox refuses the next message with frame-backlog, never synchronously, and keeps the queued ones", async () => {
    const sent: Uint8Array[] = [];
    const link = new FrameLink({ attMtu: 23, send: async (f) => { sent.push(f); }, onMessage: () => undefined, maxQueuedMessages: 2 });
    const ended: unknown[] = [];
    link.post(bytes(5, 1), (e) => ended.push(e));
    link.post(bytes(5, 2), (e) => ended.push(e));
    let refused: unknown = null;
    link.post(bytes(5, 3), (e) => { refused = e; });
    expect(refused).toBeNull();
    expect(link.pendingMessages).toBe(2);
    await turn();
    expect(refused).toMatchObject({ code: "frame-backlog" });
    expect(ended).toEqual([undefined, undefined]);
    expect(messageNumbers(sent)).toEqual([0, 1]);
    await expect(link.sendMessage(bytes(5, 4))).resolves.toBe(2);
  });

  it("closing the link ends every queued message with frame-closed, in order", async () => {
    const link = new FrameLink({ attMtu: 23, send: async () => undefined, onMessage: () => undefined });
    const ended: Array<[string, number]> = [];
    link.post(bytes(400, 1), (e) => ended.push([(e as { code: string }).code, 1]));
    link.post(bytes(5, 2), (e) => ended.push([(e as { code: string }).code, 2]));
    await turn();
    link.close();
    await turn();
    expect(ended).toEqual([["frame-closed", 1], ["frame-closed", 2]]);
    expect(link.pendingMessages).toBe(0);
  });

  it("a send that GATT rejects ends that message with GATT's error and the next one still goes out", async () => {
    const sent: Uint8Array[] = [];
    let fail = true;
    const link = new FrameLink({
      attMtu: 23, onMessage: () => undefined,
      send: async (f) => {
        if (fail) { fail = false; throw new Error("gatt down"); }
        sent.push(f);
      },
    });
    await expect(link.sendMessage(bytes(5, 1))).rejects.toThrow("gatt down");
    await expect(link.sendMessage(bytes(5, 2))).resolves.toBe(1);
    expect(sent).toHaveLength(1);
  });
});
