import {
  TRACK_FORMATS, encodeTrackBits, readTrackBits, readTrackFlux, readSwipe, stringToAscii, MagstripeError,
  type TrackRead,
} from "../../kernel/magstripe";
import { Prng } from "../../host-sim/magstripe/prng";
import { simulateSwipe } from "../../host-sim/magstripe/virtual-head";
import { randomCard } from "../../host-sim/magstripe/test-cards";
import { STRIPE_CARD } from "./fixtures";

function text(r: TrackRead): string {
  return r.ok ? r.data.text() : `bad read (${r.reason})`;
}

describe("reading a track: both directions, 3 to 60 ips, acceleration, jitter", () => {
  const rng = new Prng(42);
  for (const speedIps of [3, 10, 30, 60]) {
    for (const direction of ["forward", "reverse"] as const) {
      for (const acceleration of [-0.3, 0, 0.3]) {
        it(`${speedIps} ips ${direction}, speed change ${acceleration * 100} %: all three tracks, direction reported`, () => {
          const swipe = simulateSwipe(STRIPE_CARD, { speedIps, acceleration, direction, jitter: 0.05, spikesPerTrack: 1 }, rng);
          const read = readSwipe(swipe);
          expect(read.tracks.map(text)).toEqual([STRIPE_CARD.track1, STRIPE_CARD.track2, STRIPE_CARD.track3]);
          for (const t of read.tracks) expect(t.ok && t.direction).toBe(direction);
        });
      }
    }
  }
});

describe("what is not a good read", () => {
  const rng = new Prng(3);

  it("a blank track (no transitions) is blank", () => {
    expect(readTrackFlux(2, [])).toEqual({ track: 2, ok: false, reason: "blank" });
  });

  it("a swipe pulled out in the middle of the data is a bad read", () => {
    const swipe = simulateSwipe(STRIPE_CARD, { speedIps: 20, jitter: 0.05, coverage: { from: 0, to: 0.3 } }, rng);
    for (const t of readSwipe(swipe).tracks) expect(t.ok).toBe(false);
  });

  it("a swipe that started late, after the leading clocking zeros, still reads: the trailing zeros frame it", () => {
    const swipe = simulateSwipe(STRIPE_CARD, { speedIps: 20, jitter: 0.05, coverage: { from: 0.085, to: 1 } }, rng);
    const read = readSwipe(swipe);
    expect(text(read.tracks[1])).toBe(STRIPE_CARD.track2);
  });

  it("a damaged stretch in the data is a bad read, never wrong data (60 cards)", () => {
    for (let i = 0; i < 60; i++) {
      const card = randomCard(rng);
      const damage = [1, 2, 3].map((track) => ({ track: track as 1 | 2 | 3, fromIn: rng.uniform(0.35, 1.4), lengthIn: rng.uniform(0.01, 0.1) }));
      const swipe = simulateSwipe({ ...card, damage }, { speedIps: rng.uniform(3, 60), acceleration: rng.uniform(-0.3, 0.3),
        direction: i % 2 ? "reverse" : "forward", jitter: 0.05 }, rng);
      for (const t of readSwipe(swipe).tracks) {
        if (t.ok) expect(t.data.text()).toBe([card.track1, card.track2, card.track3][t.track - 1]);
      }
    }
  });

  it("random noise never reads good (150 streams per track)", () => {
    for (let i = 0; i < 150; i++) {
      for (const track of [1, 2, 3] as const) {
        const scale = rng.uniform(50, 3000);
        const intervals = Array.from({ length: rng.int(0, 1500) }, () =>
          rng.next() < 0.5 ? scale * rng.uniform(0.05, 2) : scale * rng.pick([0.5, 1]) * (1 + 0.05 * rng.gaussian()));
        expect(readTrackFlux(track, intervals).ok).toBe(false);
      }
    }
  });

  it("a scratch that swallows a '0' character's cells is a bad read", () => {
    const bits = encodeTrackBits(TRACK_FORMATS[2], stringToAscii(STRIPE_CARD.track2));
    const zeros = new Array(30).fill(0);
    const all = zeros.concat(Array.from(bits), zeros);
    const intervals: number[] = [];
    for (const b of all) if (b) intervals.push(500, 500); else intervals.push(1000);
    // The seventh data character from the end is a '0' (00001): its cells become one long interval.
    const zeroChar = 30 + bits.length - 5 - 5 * 7;
    let index = 0;
    for (let i = 0; i < zeroChar; i++) index += all[i] ? 2 : 1;
    expect(intervals.slice(index, index + 6)).toEqual([1000, 1000, 1000, 1000, 500, 500]);
    const scratched = intervals.slice(0, index).concat([5000], intervals.slice(index + 6));
    expect(readTrackFlux(2, scratched).ok).toBe(false);
  });

  it("a lost '0' character is invisible to parity and LRC; the decoder's erasure mark refuses the read", () => {
    const bits = encodeTrackBits(TRACK_FORMATS[2], stringToAscii(STRIPE_CARD.track2));
    const zeroChar = bits.length - 5 - 5 * 7;
    expect(Array.from(bits.slice(zeroChar, zeroChar + 5))).toEqual([0, 0, 0, 0, 1]);
    const shortened = new Uint8Array(bits.length - 5 + 60);
    shortened.set(bits.subarray(0, zeroChar), 30);
    shortened.set(bits.subarray(zeroChar + 5), 30 + zeroChar);
    // Without timing, the shortened track passes parity and LRC: this is why erasures matter.
    const blind = readTrackBits(2, shortened);
    expect(blind.ok && blind.data.text()).toBe(STRIPE_CARD.track2.replace("=2812101000", "=281210100"));
    const quality = new Uint8Array(shortened.length);
    quality[30 + zeroChar] = 2; // CELL_ERASED where the cells went missing
    expect(readTrackBits(2, shortened, quality)).toEqual({ track: 2, ok: false, reason: "erasure" });
  });

  it("refuses an interval stream that is not finite non-negative microseconds", () => {
    expect(() => readTrackFlux(1, [100, Number.NaN])).toThrow(MagstripeError);
    expect(() => readTrackFlux(1, [100, -1])).toThrow(MagstripeError);
    expect(() => readTrackFlux(1, new Array(20000).fill(100))).toThrow(/more than/);
  });
});

describe("bits from a decoder chip", () => {
  const bits = encodeTrackBits(TRACK_FORMATS[1], stringToAscii(STRIPE_CARD.track1));
  const framed = new Uint8Array(bits.length + 60);
  framed.set(bits, 30);

  it("reads forward and reversed bit streams", () => {
    const forward = readTrackBits(1, framed);
    expect(forward.ok && forward.direction).toBe("forward");
    const reverse = readTrackBits(1, framed.slice().reverse());
    expect(reverse.ok && reverse.direction).toBe("reverse");
    expect(reverse.ok && reverse.data.text()).toBe(STRIPE_CARD.track1);
  });

  it("characters not framed by clocking zeros are not a track", () => {
    const noise = new Uint8Array(bits.length + 10).fill(1);
    noise.set(bits, 5);
    expect(readTrackBits(1, noise)).toMatchObject({ ok: false, reason: "structure" });
  });

  it("parity and LRC good but the layout of another track: a bad read", () => {
    const t2 = encodeTrackBits(TRACK_FORMATS[2], stringToAscii(";12=?"));
    const f = new Uint8Array(t2.length + 40);
    f.set(t2, 20);
    expect(readTrackBits(2, f)).toMatchObject({ ok: false, reason: "structure" });
  });

  it("refuses bytes other than 0 and 1", () => {
    expect(() => readTrackBits(2, Uint8Array.of(0, 1, 2))).toThrow(MagstripeError);
  });
});
