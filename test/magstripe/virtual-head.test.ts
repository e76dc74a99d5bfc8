import { Prng } from "../../host-sim/magstripe/prng";
import { CARD_LENGTH_IN, START_SENTINEL_OFFSET_IN, layOutTrack, transitionPositions } from "../../host-sim/magstripe/stripe";
import { swipeIntervals } from "../../host-sim/magstripe/swipe-model";
import { VirtualMagstripeHead } from "../../host-sim/magstripe/virtual-head";
import { randomCard } from "../../host-sim/magstripe/test-cards";
import { luhnValid, parseTrack1, parseTrack2, parseTrack3 } from "../../kernel/magstripe";
import { STRIPE_CARD } from "./fixtures";

describe("the stripe as recorded (ISO/IEC 7811-2 layout)", () => {
  it("the start sentinel's first bit lies 0.293 in from the leading edge, clocking zeros around the data", () => {
    const t2 = layOutTrack(2, STRIPE_CARD.track2);
    const ss = Array.from(t2.bits).indexOf(1);
    expect(t2.firstCellIn + ss / 75).toBeCloseTo(START_SENTINEL_OFFSET_IN, 6);
    expect(Array.from(t2.bits.slice(ss, ss + 5)).join("")).toBe("11010");
    expect(t2.firstCellIn + t2.bits.length / 75).toBeLessThanOrEqual(CARD_LENGTH_IN);
  });

  it("one transition per cell, one more in each one, one closing the last cell", () => {
    const t1 = layOutTrack(1, STRIPE_CARD.track1);
    const ones = Array.from(t1.bits).filter((b) => b === 1).length;
    expect(transitionPositions(t1).length).toBe(t1.bits.length + ones + 1);
  });
});

describe("the swipe model", () => {
  const positions = transitionPositions(layOutTrack(2, STRIPE_CARD.track2));

  it("at a steady 10 ips a 75 bpi zero lasts 1333 us and a half cell 667 us", () => {
    const intervals = swipeIntervals(positions, { speedIps: 10 }, new Prng(1));
    expect(intervals[0]).toBeCloseTo(1333.5, 0);
    expect(Math.min(...intervals)).toBeCloseTo(666.5, 0);
  });

  it("a reverse swipe at a steady speed is the forward swipe backwards", () => {
    const forward = swipeIntervals(positions, { speedIps: 25 }, new Prng(1));
    const reverse = swipeIntervals(positions, { speedIps: 25, direction: "reverse" }, new Prng(1));
    expect(reverse).toEqual(forward.slice().reverse());
  });

  it("a swipe that speeds up by 30 % ends with cells 30 % shorter than it started with", () => {
    const intervals = swipeIntervals(positions, { speedIps: 20, acceleration: 0.3 }, new Prng(1));
    expect(intervals[0] / intervals[intervals.length - 1]).toBeCloseTo(1.3, 1);
  });

  it("a partial swipe sees only part of the transitions", () => {
    const part = swipeIntervals(positions, { speedIps: 20, coverage: { from: 0, to: 0.5 } }, new Prng(1));
    expect(part.length).toBeLessThan(positions.length / 2 + 20);
  });

  it("noise spikes add two short intervals each", () => {
    const clean = swipeIntervals(positions, { speedIps: 20 }, new Prng(5));
    const spiked = swipeIntervals(positions, { speedIps: 20, spikesPerTrack: 5 }, new Prng(5));
    expect((spiked.length - clean.length) % 2).toBe(0);
    expect(spiked.length).toBeGreaterThan(clean.length);
  });

  it("the same seed makes the same swipe", () => {
    const m = { speedIps: 33, acceleration: -0.2, jitter: 0.05, spikesPerTrack: 1 };
    expect(swipeIntervals(positions, m, new Prng(9))).toEqual(swipeIntervals(positions, m, new Prng(9)));
  });
});

describe("the virtual head (hal/magstripe-head.ts)", () => {
  it("delivers a swipe to a pending nextSwipe(), one capture per wired track, blank tracks empty", async () => {
    const head = new VirtualMagstripeHead({ tracks: [1, 2, 3], seed: 1 });
    const pending = head.nextSwipe();
    head.swipe({ track2: STRIPE_CARD.track2 }, { speedIps: 15 });
    const swipe = await pending;
    expect(swipe?.tracks.map((t) => t.track)).toEqual([1, 2, 3]);
    const t1 = swipe!.tracks[0];
    expect(t1.kind === "flux" && t1.intervalsUs.length).toBe(0);
  });

  it("queues swipes made before nextSwipe(); cancel() resolves a pending call with null", async () => {
    const head = new VirtualMagstripeHead({ tracks: [2] });
    head.swipe(STRIPE_CARD, { speedIps: 15 });
    expect(await head.nextSwipe()).not.toBeNull();
    const pending = head.nextSwipe();
    head.cancel();
    expect(await pending).toBeNull();
  });

  it("made-up cards are valid ISO/IEC 7813 and 4909 tracks with valid check digits", () => {
    const rng = new Prng(11);
    for (let i = 0; i < 200; i++) {
      const c = randomCard(rng);
      const t1 = parseTrack1(c.track1);
      expect(parseTrack2(c.track2).pan).toBe(t1.pan);
      expect(parseTrack3(c.track3).pan).toBe(t1.pan);
      expect(luhnValid(t1.pan)).toBe(true);
    }
  });
});
