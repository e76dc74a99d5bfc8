import {
  decodeFrame, encodeAbortFrame, encodeCreditFrame, encodeDataFrame, FrameLink, fragmentCount, fragmentMessage, frameBytesForMtu,
  FramingError, INITIAL_CREDITS, maxMessageBytes, MAX_MESSAGE_BYTES, Reassembler, type Frame, type ReceiveResult,
} from "../../kernel/protocol";

// docs/protocol.md, "Framing" and "Flow control".

function message(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function data(frame: Uint8Array): Extract<Frame, { kind: "data" }> {
  const f = decodeFrame(frame);
  if (f.kind !== "data") throw new Error("not a data frame");
  return f;
}

function feed(r: Reassembler, frames: Uint8Array[]): ReceiveResult[] {
  const out: ReceiveResult[] = [];
  for (const f of frames) out.push(...r.receive(data(f), f));
  return out;
}

describe("framing: fragments fit the ATT_MTU", () => {
  it.each([23, 100, 185, 247])("no frame is longer than ATT_MTU - 3 at ATT_MTU %i (Core Spec Vol 3 Part F 3.4.7.1)", (mtu) => {
    const frameBytes = frameBytesForMtu(mtu);
    expect(frameBytes).toBe(mtu - 3);
    for (const length of [1, frameBytes - 5, frameBytes - 4, frameBytes, 3 * frameBytes + 7, maxMessageBytes(frameBytes)]) {
      const frames = fragmentMessage(7, message(length), frameBytes);
      expect(frames.length).toBe(fragmentCount(length, frameBytes));
      for (const f of frames) expect(f.length).toBeLessThanOrEqual(frameBytes);
    }
  });

  it("an ATT_MTU outside 23 to 517 is refused", () => {
    expect(() => frameBytesForMtu(22)).toThrow(FramingError);
    expect(() => frameBytesForMtu(518)).toThrow(FramingError);
  });

  it("the message size is bounded: 256 fragments, at most MAX_MESSAGE_BYTES", () => {
    expect(maxMessageBytes(20)).toBe(MAX_MESSAGE_BYTES);
    expect(() => fragmentMessage(0, message(MAX_MESSAGE_BYTES + 1), 244)).toThrow(expect.objectContaining({ code: "frame-too-large" }));
    expect(() => fragmentMessage(0, new Uint8Array(0), 244)).toThrow(expect.objectContaining({ code: "frame-length" }));
  });

  it("the FIRST fragment announces the length, the last carries LAST", () => {
    const frames = fragmentMessage(3, message(50), 20);
    expect(frames[0][0]).toBe(0x42); // version 01, data, FIRST
    expect((frames[0][3] << 8) | frames[0][4]).toBe(50);
    expect(frames[frames.length - 1][0]).toBe(0x41); // LAST
    for (const f of frames.slice(1, -1)) expect(f[0]).toBe(0x40);
    expect(frames.map((f) => f[2])).toEqual(frames.map((_, i) => i));
  });
});

describe("framing: reassembly", () => {
  it.each([20, 244])("every length from 1 to 700 comes back whole at %i-byte frames", (frameBytes) => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    for (let length = 1, n = 0; length <= 700; length += 7, n = (n + 1) & 0xff) {
      const m = message(length, length);
      const results = feed(r, fragmentMessage(n, m, frameBytes));
      const done = results.filter((x) => x.kind === "message");
      expect(done).toEqual([{ kind: "message", bytes: m }]);
    }
  });

  it("a duplicated fragment is dropped silently and the message still completes", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const frames = fragmentMessage(0, message(60), 20);
    const results = feed(r, [frames[0], frames[0], frames[1], frames[1], frames[2], frames[3]]);
    expect(results.filter((x) => x.kind === "duplicate")).toHaveLength(2);
    expect(results[results.length - 1]).toEqual({ kind: "message", bytes: message(60) });
  });

  it("a repeated whole message is a duplicate, not a second delivery", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const frames = fragmentMessage(0, message(10), 20);
    expect(feed(r, frames)).toEqual([{ kind: "message", bytes: message(10) }]);
    expect(feed(r, frames)).toEqual([{ kind: "duplicate" }]);
  });

  it("a lost fragment aborts the message (sequence) and the next message is accepted", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const frames = fragmentMessage(0, message(60), 20);
    const results = feed(r, [frames[0], frames[2], frames[3]]);
    expect(results[1]).toEqual({ kind: "abort", message: 0, reason: "sequence" });
    expect(results[2]).toEqual({ kind: "duplicate" });
    expect(feed(r, fragmentMessage(1, message(30), 20)).pop()).toEqual({ kind: "message", bytes: message(30) });
  });

  it("reordered fragments abort the message", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const frames = fragmentMessage(0, message(60), 20);
    const results = feed(r, [frames[0], frames[2], frames[1], frames[3]]);
    expect(results).toContainEqual({ kind: "abort", message: 0, reason: "sequence" });
    expect(results.some((x) => x.kind === "message")).toBe(false);
  });

  it("a skipped message number is counted as lost, and the sender's new message is accepted", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    feed(r, fragmentMessage(0, message(5), 20));
    expect(feed(r, fragmentMessage(2, message(6), 20))).toEqual([{ kind: "message", bytes: message(6) }]);
    expect(r.lost).toBe(1);
  });

  it("a message that repeats the previous one's number with other bytes is a new message, not a duplicate", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    feed(r, fragmentMessage(4, message(5, 1), 20));
    expect(feed(r, fragmentMessage(4, message(5, 2), 20))).toEqual([{ kind: "message", bytes: message(5, 2) }]);
  });

  it("one injected frame cannot desynchronise the honest sender: its next message still arrives", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    feed(r, fragmentMessage(0, message(5), 20));
    for (const n of [77, 200, 3]) feed(r, [encodeDataFrame(n, 0, true, true, 9, message(9, n))]);
    expect(feed(r, fragmentMessage(1, message(30), 20)).pop()).toEqual({ kind: "message", bytes: message(30) });
  });

  it("the announced length is bounded: too-large is refused before any byte is kept", () => {
    const r = new Reassembler(100);
    expect(r.receive(data(encodeDataFrame(0, 0, true, false, 101, message(15))))).toEqual([{ kind: "abort", message: 0, reason: "tooLarge" }]);
  });

  it("fragments that disagree with the announced length abort (length)", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    expect(r.receive(data(encodeDataFrame(0, 0, true, true, 16, message(15))))).toEqual([{ kind: "abort", message: 0, reason: "length" }]);
    expect(feed(r, [encodeDataFrame(1, 0, true, false, 20, message(15)), encodeDataFrame(1, 1, false, false, 0, message(15))]))
      .toEqual([{ kind: "partial" }, { kind: "abort", message: 1, reason: "length" }]);
  });

  it("a stray frame with a far message number does not knock out the message in progress", () => {
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const frames = fragmentMessage(0, message(60), 20);
    const results = feed(r, [frames[0], encodeDataFrame(200, 3, false, false, 0, message(5)), frames[1], frames[2], frames[3]]);
    expect(results[1]).toEqual({ kind: "abort", message: 200, reason: "sequence" });
    expect(results[results.length - 1]).toEqual({ kind: "message", bytes: message(60) });
  });
});

describe("framing: frame headers", () => {
  it("control frames are exactly 3 bytes", () => {
    expect(decodeFrame(encodeCreditFrame(4))).toEqual({ kind: "credit", credits: 4 });
    expect(decodeFrame(encodeAbortFrame(9, "length"))).toEqual({ kind: "abort", message: 9, reason: "length" });
    expect(() => decodeFrame(Uint8Array.of(0x50, 0, 4, 0))).toThrow(FramingError);
    expect(() => decodeFrame(Uint8Array.of(0x50, 0, 0))).toThrow(FramingError);
  });

  it.each([
    ["shorter than 3 bytes", [0x42, 0]],
    ["another framing version", [0x82, 0, 0, 0, 1, 9]],
    ["reserved control bits", [0x4a, 0, 0, 0, 1, 9]],
    ["a FIRST without its length", [0x43, 0, 0, 0]],
    ["a message of 0 bytes", [0x43, 0, 0, 0, 0]],
    ["reserved kind 3", [0x70, 0, 0]],
    ["an unknown abort reason", [0x60, 0, 9]],
  ])("a frame with %s is refused", (_name, bytes) => {
    expect(() => decodeFrame(Uint8Array.from(bytes as number[]))).toThrow(expect.objectContaining({ code: "frame-malformed" }));
  });
});

describe("framing: credit-based flow control", () => {
  it("a sender stops after INITIAL_CREDITS frames and resumes on a credit frame", async () => {
    const sent: Uint8Array[] = [];
    const link = new FrameLink({ attMtu: 23, send: async (f) => { sent.push(f); }, onMessage: () => undefined });
    const done = link.sendMessage(message(400));
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(INITIAL_CREDITS);
    expect(link.stats.creditWaits).toBe(1);
    link.receiveFrame(encodeCreditFrame(30));
    await done;
    expect(sent).toHaveLength(fragmentCount(400, 20));
  });

  it("two links exchange messages longer than the window at MTU 23 and 247 without deadlock", async () => {
    for (const mtu of [23, 247]) {
      const gotA: Uint8Array[] = [];
      const gotB: Uint8Array[] = [];
      const links: FrameLink[] = [];
      const a = new FrameLink({ attMtu: mtu, send: async (f) => { queueMicrotask(() => links[1].receiveFrame(f)); }, onMessage: (m) => gotA.push(m) });
      const b = new FrameLink({ attMtu: mtu, send: async (f) => { queueMicrotask(() => a.receiveFrame(f)); }, onMessage: (m) => gotB.push(m) });
      links.push(a, b);
      const sizes = [1, 300, 1200, 4000, 17];
      await Promise.all([...sizes.map((s) => a.sendMessage(message(s, s))), ...sizes.map((s) => b.sendMessage(message(s, s + 1)))]);
      await new Promise((r) => setImmediate(r));
      expect(gotB).toEqual(sizes.map((s) => message(s, s)));
      expect(gotA).toEqual(sizes.map((s) => message(s, s + 1)));
      expect(a.stats.framesDropped + b.stats.framesDropped).toBe(0);
    }
  });

  it("a forged credit frame cannot raise the window without bound", async () => {
    const sent: Uint8Array[] = [];
    const link = new FrameLink({ attMtu: 23, send: async (f) => { sent.push(f); }, onMessage: () => undefined });
    for (let i = 0; i < 100; i++) link.receiveFrame(encodeCreditFrame(255));
    link.sendMessage(message(4000)).catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(sent.length).toBeLessThanOrEqual(4 * INITIAL_CREDITS + INITIAL_CREDITS);
    link.close();
  });

  it("closing the link fails a send that waits for credit (frame-closed)", async () => {
    const link = new FrameLink({ attMtu: 23, send: async () => undefined, onMessage: () => undefined });
    const p = link.sendMessage(message(400));
    await new Promise((r) => setImmediate(r));
    link.close();
    await expect(p).rejects.toMatchObject({ code: "frame-closed" });
  });
});
