import { decodeFrame, encodeCreditFrame, FrameLink, fragmentMessage, frameBytesForMtu, INITIAL_CREDITS } from "../../kernel/protocol";

// docs/protocol.md, "Framing" and "Flow control": how the sender cuts a message while it goes out
// (kernel/protocol/frame-link.ts makes each frame only when a credit lets it leave, issue 10 item 5).

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

function message(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i & 0xff);
}

describe("framing: frames made as they go out", () => {
  it("the frames on the wire are fragmentMessage's, across a credit wait, and keep the frame size the message began with", async () => {
    const sent: Uint8Array[] = [];
    const link = new FrameLink({ attMtu: 23, send: async (f) => { sent.push(f); }, onMessage: () => undefined });
    const m = message(300);
    const done = link.sendMessage(m);
    await turn();
    expect(sent).toHaveLength(INITIAL_CREDITS);
    // An Exchange MTU while the message waits for credit applies to the next message only.
    link.setMtu(247);
    link.receiveFrame(encodeCreditFrame(INITIAL_CREDITS * 4));
    await expect(done).resolves.toBe(0);
    expect(sent).toEqual(fragmentMessage(0, m, frameBytesForMtu(23)));
    expect(link.stats.creditWaits).toBe(1);
    expect(link.stats.messagesSent).toBe(1);
    expect(link.stats.messageBytesSent).toBe(300);
    sent.length = 0;
    await expect(link.sendMessage(m)).resolves.toBe(1);
    expect(sent).toEqual(fragmentMessage(1, m, frameBytesForMtu(247)));
  });

  it("GATT that throws or rejects ends that message with its error; the messages behind it still go out", async () => {
    const sent: number[] = [];
    let calls = 0;
    const link = new FrameLink({
      attMtu: 23,
      send: (f) => {
        calls++;
        if (calls === 1) throw new Error("gatt: no buffer");
        if (calls === 2) return Promise.reject(new Error("gatt: disconnected"));
        const frame = decodeFrame(f);
        if (frame.kind === "data") sent.push(frame.message);
        return Promise.resolve();
      },
      onMessage: () => undefined,
    });
    const first = link.sendMessage(message(5));
    const second = link.sendMessage(message(5));
    const third = link.sendMessage(message(5));
    await expect(first).rejects.toThrow("gatt: no buffer");
    await expect(second).rejects.toThrow("gatt: disconnected");
    await expect(third).resolves.toBe(2);
    expect(sent).toEqual([2]);
    expect(link.pendingMessages).toBe(0);
  });

  it("a message over the limit ends as frame-too-large before any frame or number is spent", async () => {
    const sent: Uint8Array[] = [];
    const link = new FrameLink({ attMtu: 23, send: async (f) => { sent.push(f); }, onMessage: () => undefined });
    await expect(link.sendMessage(new Uint8Array(5000))).rejects.toMatchObject({ code: "frame-too-large" });
    expect(sent).toHaveLength(0);
    await expect(link.sendMessage(message(5))).resolves.toBe(0);
  });
});
