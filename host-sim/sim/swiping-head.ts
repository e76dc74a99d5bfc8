import type { MagstripeHead, MagstripeSwipe, MagstripeTrack } from "../../hal/magstripe-head";
import type { MagneticStripe } from "../cards/magstripe";
import type { VirtualMagstripeHead } from "../magstripe/virtual-head";

// The head of a simulated swipe payment (`mpos sim run`, on the simulator's reader or the firmware):
// each time the reader arms it, the cardholder swipes the card once, at an ordinary pace. The head
// keeps the swipes' modeled duration for the report.

/** A cardholder swiping at an ordinary pace: 20 inches per second, 5 % faster at the end, 2 % jitter. */
const SWIPE = { speedIps: 20, acceleration: 0.05, jitter: 0.02 };

export class SwipingHead implements MagstripeHead {
  readonly tracks: readonly MagstripeTrack[];
  /** The swipes' durations so far (each the longest track's interval stream), ms. */
  swipeMs = 0;

  constructor(private readonly head: VirtualMagstripeHead, private readonly stripe: MagneticStripe) {
    this.tracks = head.tracks;
  }

  nextSwipe(): Promise<MagstripeSwipe | null> {
    const swipe = this.head.swipe({ track1: this.stripe.track1, track2: this.stripe.track2 }, SWIPE);
    let longest = 0;
    for (const t of swipe.tracks) {
      if (t.kind !== "flux") continue;
      let sum = 0;
      for (let i = 0; i < t.intervalsUs.length; i++) sum += t.intervalsUs[i];
      longest = Math.max(longest, sum);
    }
    this.swipeMs += longest / 1000;
    return this.head.nextSwipe();
  }

  cancel(): void {
    this.head.cancel();
  }
}
