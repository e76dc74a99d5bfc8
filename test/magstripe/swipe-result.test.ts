import { completeSwipe, crossCheckTracks, readSwipe, readTrackBits, encodeTrackBits, stringToAscii, TRACK_FORMATS,
  MagstripeError, TrackData, type TrackRead } from "../../kernel/magstripe";
import type { CardDataProtector, P2peEnvelope, SensitiveItem } from "../../kernel/security/p2pe";
import { Prng } from "../../host-sim/magstripe/prng";
import { simulateSwipe } from "../../host-sim/magstripe/virtual-head";
import { CHIP_CARD, STRIPE_CARD } from "./fixtures";

/** Records what it was given (as text, copied before the caller zeroizes) and returns a fixed envelope. */
class FakeProtector implements CardDataProtector {
  given: { tag: string; text: string }[] = [];
  calls = 0;
  items: SensitiveItem[] = [];
  async protect(items: SensitiveItem[]): Promise<P2peEnvelope> {
    this.calls++;
    this.items = items;
    this.given = items.map((i) => ({ tag: i.tag, text: String.fromCharCode(...i.value) }));
    return { scheme: "aes-dukpt", ksn: new Uint8Array(12).fill(0x11), ciphertext: new Uint8Array(48).fill(0x22),
      mac: new Uint8Array(16).fill(0x33) };
  }
}

const rng = new Prng(77);
function swipeOf(card: typeof STRIPE_CARD | typeof CHIP_CARD, direction: "forward" | "reverse" = "forward") {
  return readSwipe(simulateSwipe(card, { speedIps: 25, acceleration: 0.2, direction, jitter: 0.05 }, rng));
}

describe("the swipe's data path: tracks into the P2PE envelope, only masked data in clear", () => {
  it("a stripe card: masked PAN, expiry, service code, the envelope; raw tracks went in as ASCII under DF8F01-03", async () => {
    const protector = new FakeProtector();
    const outcome = await completeSwipe(swipeOf(STRIPE_CARD, "reverse"), { chipFailed: false }, protector);
    expect(outcome).toMatchObject({ kind: "read", fallback: false, maskedPan: "411111******1111", expiry: "2812",
      serviceCode: "101", tracks: [1, 2, 3] });
    expect(protector.given).toEqual([
      { tag: "DF8F01", text: STRIPE_CARD.track1 },
      { tag: "DF8F02", text: STRIPE_CARD.track2 },
      { tag: "DF8F03", text: STRIPE_CARD.track3 },
    ]);
  });

  it("nothing of the track leaves in clear: the outcome serializes without PAN, name or discretionary data", async () => {
    const outcome = await completeSwipe(swipeOf(STRIPE_CARD), { chipFailed: false }, new FakeProtector());
    const json = JSON.stringify(outcome);
    expect(json).not.toContain("4111111111111111");
    expect(json).not.toContain("DOE");
    expect(json).not.toContain("10000000000000");
  });

  it("the track bytes handed to the protector are zeroized once it returns, and so are the reads", async () => {
    const protector = new FakeProtector();
    const read = swipeOf(STRIPE_CARD);
    await completeSwipe(read, { chipFailed: false }, protector);
    for (const item of protector.items) expect(item.value.every((b) => b === 0)).toBe(true);
    for (const t of read.tracks) expect(t.ok && t.data.ascii().every((b) => b === 0)).toBe(true);
  });

  it("a chip card (service code 2xx) whose chip has not failed: use the chip, nothing encrypted", async () => {
    const protector = new FakeProtector();
    expect(await completeSwipe(swipeOf(CHIP_CARD), { chipFailed: false }, protector)).toEqual({ kind: "use-chip" });
    expect(protector.calls).toBe(0);
  });

  it("the same chip card after its chip failed: read, flagged as fallback", async () => {
    const outcome = await completeSwipe(swipeOf(CHIP_CARD), { chipFailed: true }, new FakeProtector());
    expect(outcome).toMatchObject({ kind: "read", fallback: true, maskedPan: "555555******4444", serviceCode: "201" });
  });

  it("neither track 1 nor track 2 good: a bad read with the reasons, nothing encrypted", async () => {
    const protector = new FakeProtector();
    const read = readSwipe({ tracks: [{ track: 1, kind: "flux", intervalsUs: [] }, { track: 2, kind: "flux", intervalsUs: [] }] });
    expect(await completeSwipe(read, { chipFailed: false }, protector)).toEqual({ kind: "bad-read",
      failures: [{ track: 1, reason: "blank" }, { track: 2, reason: "blank" }] });
    expect(protector.calls).toBe(0);
  });

  it("track 2 alone is enough", async () => {
    const read = readSwipe(simulateSwipe({ track2: STRIPE_CARD.track2 }, { speedIps: 8 }, rng));
    expect(await completeSwipe(read, { chipFailed: false }, new FakeProtector())).toMatchObject({ kind: "read", tracks: [2] });
  });
});

describe("tracks of one swipe must agree", () => {
  function goodTrack(track: 1 | 2 | 3, text: string): TrackRead {
    const bits = encodeTrackBits(TRACK_FORMATS[track], stringToAscii(text));
    const framed = new Uint8Array(bits.length + 40);
    framed.set(bits, 20);
    return readTrackBits(track, framed);
  }

  it("tracks 1 and 2 with different PANs: both refused as inconsistent (which one is wrong cannot be told)", () => {
    const reads = crossCheckTracks([goodTrack(1, STRIPE_CARD.track1), goodTrack(2, ";4111111111111129=28121010000000000000?")]);
    expect(reads.map((r) => (r.ok ? "ok" : r.reason))).toEqual(["inconsistent", "inconsistent"]);
  });

  it("a different expiry or service code is a disagreement too", () => {
    const reads = crossCheckTracks([goodTrack(1, STRIPE_CARD.track1), goodTrack(2, ";4111111111111111=28122010000000000000?")]);
    expect(reads.every((r) => !r.ok)).toBe(true);
  });

  it("track 3's PAN must match; a track 3 without a PAN agrees with anything", () => {
    expect(crossCheckTracks([goodTrack(2, STRIPE_CARD.track2), goodTrack(3, ";015555555555554444==978?")])
      .every((r) => !r.ok)).toBe(true);
    expect(crossCheckTracks([goodTrack(2, STRIPE_CARD.track2), goodTrack(3, ";01==978212?")]).every((r) => r.ok)).toBe(true);
  });

  it("a swipe names each track once, numbers 1 to 3", () => {
    expect(() => readSwipe({ tracks: [{ track: 2, kind: "flux", intervalsUs: [] }, { track: 2, kind: "flux", intervalsUs: [] }] }))
      .toThrow(MagstripeError);
    expect(() => readSwipe({ tracks: [{ track: 4 as 1, kind: "flux", intervalsUs: [] }] })).toThrow(MagstripeError);
    expect(() => readSwipe({ tracks: [{ track: 1, kind: "bits", bits: [0, 1] as unknown as Uint8Array }] })).toThrow(MagstripeError);
  });
});

describe("track data never shows itself", () => {
  it("JSON, string conversion and enumeration of a TrackData say nothing of the track", () => {
    const data = new TrackData(2, stringToAscii(STRIPE_CARD.track2));
    expect(JSON.stringify({ data })).toBe('{"data":"[redacted]"}');
    expect(`${data}`).toBe("[redacted]");
    expect(Object.keys(data)).toEqual(["track"]);
    expect(data.text()).toBe(STRIPE_CARD.track2);
    data.zeroize();
    expect(data.ascii().every((b) => b === 0)).toBe(true);
  });
});
