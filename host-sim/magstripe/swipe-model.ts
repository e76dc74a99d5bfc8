import { CARD_LENGTH_IN } from "./stripe";
import type { Prng } from "./prng";

// The motion of a card through the head and what it does to the transition times: speed,
// acceleration within the swipe, direction, a swipe that covers only part of the card, per-interval
// jitter (head and amplifier noise moving each detected peak), and noise spikes (a spurious pulse
// that splits one interval in three).

export interface SwipeMotion {
  /** Mean speed over the card in inches per second (real swipes: 3 to 60). */
  speedIps: number;
  /** Speed change from the first to the last inch, relative: 0.3 ends 30 % faster than it started. */
  acceleration?: number;
  /** Forward: the start sentinel's end enters first. Reverse: the data arrives backwards. */
  direction?: "forward" | "reverse";
  /** Standard deviation of each interval, relative to it (0.05 = 5 %). */
  jitter?: number;
  /** Expected noise spikes per track (Poisson mean). */
  spikesPerTrack?: number;
  /**
   * The part of the card's travel the head sees, as fractions of the card length (a swipe started
   * late or pulled out early): { from: 0, to: 1 } is the whole card.
   */
  coverage?: { from: number; to: number };
}

/** The travel distance -> time map of a swipe whose speed changes linearly with distance. */
function timeAt(distanceIn: number, v0: number, a: number): number {
  if (Math.abs(a) < 1e-9) return distanceIn / v0;
  return (CARD_LENGTH_IN / (v0 * a)) * Math.log(1 + (a * distanceIn) / CARD_LENGTH_IN);
}

/**
 * Intervals in microseconds between the transitions at `positionsIn` (inches from the forward
 * leading edge, ascending) as the head would detect them during this swipe, in arrival order.
 */
export function swipeIntervals(positionsIn: Float64Array, motion: SwipeMotion, rng: Prng): number[] {
  const a = motion.acceleration ?? 0;
  if (!(motion.speedIps > 0) || a <= -1) throw new Error("swipe: the speed must stay positive");
  const v0 = motion.speedIps / (1 + a / 2);
  const reverse = motion.direction === "reverse";
  const from = (motion.coverage?.from ?? 0) * CARD_LENGTH_IN;
  const to = (motion.coverage?.to ?? 1) * CARD_LENGTH_IN;
  const times: number[] = [];
  const n = positionsIn.length;
  for (let k = 0; k < n; k++) {
    const x = reverse ? CARD_LENGTH_IN - positionsIn[n - 1 - k] : positionsIn[k];
    if (x < from || x > to) continue;
    times.push(timeAt(x, v0, a) * 1e6);
  }
  const jitter = motion.jitter ?? 0;
  let intervals: number[] = [];
  for (let k = 1; k < times.length; k++) {
    const d = (times[k] - times[k - 1]) * (1 + jitter * rng.gaussian());
    intervals.push(Math.max(0.5, d));
  }
  const spikes = rng.poisson(motion.spikesPerTrack ?? 0);
  for (let s = 0; s < spikes && intervals.length > 0; s++) intervals = withSpike(intervals, rng);
  // The capture's resolution (hal/magstripe-head.ts: 0.5 us ticks).
  return intervals.map((d) => Math.max(0.5, Math.round(d * 2) / 2));
}

/** A spurious pulse inside one interval: a narrow pulse (3-15 % of that interval) at a random place. */
function withSpike(intervals: number[], rng: Prng): number[] {
  const j = rng.int(0, intervals.length - 1);
  const d = intervals[j];
  const width = d * rng.uniform(0.03, 0.15);
  const before = rng.uniform(0, d - width);
  const after = d - width - before;
  return intervals.slice(0, j).concat([before, width, after], intervals.slice(j + 1));
}
