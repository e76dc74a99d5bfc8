import { chunkBytesForMtu, DEFAULT_BLE_LINK, modelTransferTime, pduAirtimeUs } from "../../kernel/firmware-update";
import { encodeRequest, fragmentMessage, frameBytesForMtu } from "../../kernel/protocol";
import { firmwareChunkLayout } from "../../kernel/protocol/firmware-messages";
import { PROTECTED_OVERHEAD } from "../../kernel/protocol/record";

// The bench figure of issue 13: a 1 MB image over the modeled BLE link at ATT_MTU 23 and 247.

describe("chunk layout: a chunk fills whole protocol frames at the ATT_MTU", () => {
  for (const mtu of [23, 27, 50, 100, 185, 247, 251, 517]) {
    it(`ATT_MTU ${mtu}: the sealed chunk message takes exactly the frames the layout says`, () => {
      const layout = firmwareChunkLayout(mtu);
      const message = encodeRequest("firmware-chunk", 7, { offset: 123_456, data: new Uint8Array(layout.chunkBytes) });
      const frames = fragmentMessage(0, new Uint8Array(message.length + PROTECTED_OVERHEAD), frameBytesForMtu(mtu));
      expect(frames.length).toBe(layout.frames);
      expect(frames.reduce((n, f) => n + f.length, 0)).toBe(layout.frameBytes);
      expect(frames.every((f) => f.length <= mtu - 3)).toBe(true);
      expect(layout.chunkBytes).toBeLessThanOrEqual(512);
      if (layout.frames === 1) {
        // One more image byte would not fit the frame.
        const bigger = encodeRequest("firmware-chunk", 7, { offset: 123_456, data: new Uint8Array(layout.chunkBytes + 1) });
        expect(fragmentMessage(0, new Uint8Array(bigger.length + PROTECTED_OVERHEAD), frameBytesForMtu(mtu)).length).toBe(2);
      }
    });
  }

  it("single-frame chunks from ATT_MTU 185 up; at 23 a chunk spans frames so the 40-odd header bytes are paid once", () => {
    expect(firmwareChunkLayout(247)).toMatchObject({ frames: 1, chunkBytes: 202 });
    expect(firmwareChunkLayout(23).frames).toBeGreaterThan(1);
    expect(firmwareChunkLayout(23).chunkBytes).toBeGreaterThan(400);
    expect(chunkBytesForMtu(247)).toBe(202);
  });
});

describe("transfer-time model", () => {
  it("LL packet airtime matches the Core spec's connMaxTxTime bounds on LE 1M: 328 us for 27 octets, 2120 us for 251 (Vol 6 Part B 4.5.10)", () => {
    expect(pduAirtimeUs(27, "1M", true)).toBe(328);
    expect(pduAirtimeUs(251, "1M", true)).toBe(2120);
    // LE 2M: a 2-octet preamble and half the time per bit (Vol 6 Part B 2.1, Part A 3.2).
    expect(pduAirtimeUs(251, "2M", true)).toBe((2 + 4 + 2 + 251 + 4 + 3) * 4);
    expect(pduAirtimeUs(0, "2M", true)).toBe((2 + 4 + 2 + 3) * 4); // an empty PDU carries no MIC
  });

  it("an ATT_MTU outside 23 to 517 is a fw-field error", () => {
    expect(() => modelTransferTime({ bytes: 1, mtu: 22 })).toThrow(expect.objectContaining({ code: "fw-field" }));
    expect(() => modelTransferTime({ bytes: 1, mtu: 518 })).toThrow(expect.objectContaining({ code: "fw-field" }));
    expect(() => modelTransferTime({ bytes: -1, mtu: 247 })).toThrow(expect.objectContaining({ code: "fw-field" }));
  });

  it("1 MB at ATT_MTU 247 on 2M PHY with a 15 ms connection interval: under the 60 s goal", () => {
    const t = modelTransferTime({ bytes: 1 << 20, mtu: 247 });
    expect(t.assumptions).toMatchObject({ phy: "2M", connectionIntervalMs: 15, llMaxPayloadBytes: 251, encrypted: true });
    expect(t.chunks).toBe(Math.ceil((1 << 20) / t.chunkBytes));
    // The phone's window of 6 chunks per two-event round trip is the limit: 3 chunks an event.
    expect(t).toMatchObject({ limitedBy: "window", chunksPerEvent: 3, framesPerChunk: 1 });
    expect(t.linkMs).toBe(Math.round((t.chunks / 3) * 15));
    // 256 sectors of 4 KB, erased and programmed while the reader takes no message.
    expect(t.flashMs).toBe(Math.round(256 * (45 + 16 * 0.4)));
    expect(t.ms).toBe(Math.round((t.chunks / 3) * 15 + 256 * (45 + 16 * 0.4) + 3 * 2 * 15));
    expect(t.ms).toBeLessThan(60_000);
  });

  it("1 MB at ATT_MTU 23: 20-byte frames, paced by the protocol's credits, several times slower", () => {
    const small = modelTransferTime({ bytes: 1 << 20, mtu: 23 });
    const large = modelTransferTime({ bytes: 1 << 20, mtu: 247 });
    expect(small.limitedBy).toBe("credits");
    expect(small.ms).toBeGreaterThan(5 * large.ms);
  });

  it("with a wider window and more credits, airtime becomes the limit", () => {
    const t = modelTransferTime({ bytes: 1 << 20, mtu: 247, assumptions: { windowChunks: 64, creditFrames: 64 } });
    expect(t.limitedBy).toBe("airtime");
    expect(t.exchangesPerEvent).toBe(DEFAULT_BLE_LINK.maxPacketsPerEvent);
  });

  it("resent chunks count: a session's own chunk count overrides the ideal one", () => {
    const ideal = modelTransferTime({ bytes: 1 << 20, mtu: 247 });
    const resent = modelTransferTime({ bytes: 1 << 20, mtu: 247, chunks: ideal.chunks + 300 });
    expect(resent.linkMs - ideal.linkMs).toBe(1500);
  });
});
