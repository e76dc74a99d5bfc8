import type { MagstripeHead, MagstripeSwipe, MagstripeTrack, TrackCapture } from "../../hal/magstripe-head";
import { Prng } from "./prng";
import { layOutTrack, transitionPositions } from "./stripe";
import { swipeIntervals, type SwipeMotion } from "./swipe-model";

// The simulator's magnetic stripe head: turns a virtual card's track text into the interval
// streams a real head would deliver for a given swipe (swipe-model.ts), and serves them through
// the HAL interface. A card may leave a track blank (nothing recorded: an empty stream) or carry a
// damaged stretch (scratched or demagnetized: the transitions there are lost and noise appears).

export interface TrackDamage {
  track: MagstripeTrack;
  /** Start of the damaged stretch, inches from the forward leading edge. */
  fromIn: number;
  lengthIn: number;
}

export interface VirtualCard {
  /** Track text from start sentinel to end sentinel, e.g. "%B4111...?"; absent for a blank track. */
  track1?: string;
  track2?: string;
  track3?: string;
  damage?: TrackDamage[];
}

/** The interval streams one swipe of `card` produces on the given head tracks. */
export function simulateSwipe(card: VirtualCard, motion: SwipeMotion, rng: Prng,
    tracks: readonly MagstripeTrack[] = [1, 2, 3]): MagstripeSwipe {
  const captures: TrackCapture[] = [];
  for (const track of tracks) {
    const text = track === 1 ? card.track1 : track === 2 ? card.track2 : card.track3;
    if (text === undefined) {
      captures.push({ track, kind: "flux", intervalsUs: [] });
      continue;
    }
    let positions = transitionPositions(layOutTrack(track, text));
    for (const d of card.damage ?? []) if (d.track === track) positions = damaged(positions, d, rng);
    captures.push({ track, kind: "flux", intervalsUs: swipeIntervals(positions, motion, rng) });
  }
  return { tracks: captures };
}

/** Drops the transitions of the stretch and scatters a few noise transitions in it. */
function damaged(positions: Float64Array, damage: TrackDamage, rng: Prng): Float64Array {
  const end = damage.fromIn + damage.lengthIn;
  const kept = Array.from(positions).filter((x) => x < damage.fromIn || x > end);
  const noise = rng.int(0, Math.ceil(damage.lengthIn * 40));
  for (let i = 0; i < noise; i++) kept.push(rng.uniform(damage.fromIn, end));
  kept.sort((a, b) => a - b);
  return Float64Array.from(kept);
}

/** A head that delivers the swipes the simulator (or a test) makes with `swipe()`. */
export class VirtualMagstripeHead implements MagstripeHead {
  readonly tracks: readonly MagstripeTrack[];
  private readonly rng: Prng;
  private readonly queue: MagstripeSwipe[] = [];
  private waiting: ((swipe: MagstripeSwipe | null) => void) | null = null;

  constructor(options: { tracks?: readonly MagstripeTrack[]; seed?: number } = {}) {
    this.tracks = options.tracks ?? [1, 2, 3];
    this.rng = new Prng(options.seed ?? 1);
  }

  /** Passes `card` through the head; the swipe goes to the pending or the next `nextSwipe()`. */
  swipe(card: VirtualCard, motion: SwipeMotion): MagstripeSwipe {
    const swipe = simulateSwipe(card, motion, this.rng, this.tracks);
    this.deliver(swipe);
    return swipe;
  }

  /** Delivers a capture as is (a recorded swipe, a hand-made stream). */
  deliver(swipe: MagstripeSwipe): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = null;
      waiting(swipe);
    } else {
      this.queue.push(swipe);
    }
  }

  nextSwipe(): Promise<MagstripeSwipe | null> {
    if (this.waiting) return Promise.reject(new Error("magstripe head: one nextSwipe() at a time"));
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => { this.waiting = resolve; });
  }

  cancel(): void {
    const waiting = this.waiting;
    this.waiting = null;
    this.queue.length = 0;
    if (waiting) waiting(null);
  }
}
