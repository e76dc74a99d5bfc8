import type { MagstripeHead, MagstripeSwipe, MagstripeTrack } from "../../hal/magstripe-head";
import { IccSlot } from "../icc/icc-slot";
import { ModeledClock } from "../picc/modeled-clock";
import { SwappableField } from "../picc/swappable-field";
import { VirtualField } from "../picc/virtual-field";

// The card interfaces of one reader that runs payment after payment with a different card each
// time (`mpos sim run --engine` over a reader kept for the process, the bench, the soak): the
// simulator puts each payment's card in front of the same HAL - a virtual ICC in the contact slot,
// a swiping cardholder at the head, cards or phones in the NFC field - and takes it away after.

/** The contact slot: empty, or the virtual ICC (host-sim/icc) of this payment's card. */
export class RunSlot extends IccSlot {}

/**
 * The magnetic head: while no card is held there a swipe never comes (the firmware's pending
 * nextSwipe ends with its cancel); with one, `head` answers (host-sim/sim/swiping-head.ts swipes
 * each time the reader arms it). A swap ends a pending wait of the head swapped out.
 */
export class RunHead implements MagstripeHead {
  readonly tracks: readonly MagstripeTrack[] = [1, 2];
  private head: MagstripeHead | null = null;
  private idle: ((swipe: null) => void) | null = null;

  hold(head: MagstripeHead | null): void {
    this.cancel();
    this.head = head;
  }

  nextSwipe(): Promise<MagstripeSwipe | null> {
    if (this.head !== null) return this.head.nextSwipe();
    return new Promise((resolve) => { this.idle = resolve; });
  }

  cancel(): void {
    this.head?.cancel();
    const idle = this.idle;
    this.idle = null;
    if (idle) idle(null);
  }
}

/** The NFC field: a fresh virtual field (host-sim/picc) for each tap, behind one front end. */
export class RunField extends SwappableField {
  constructor() {
    super(new VirtualField({ clock: new ModeledClock(), cards: [] }));
  }

  hold(field: VirtualField): Promise<void> {
    return this.swap(field);
  }

  clear(): Promise<void> {
    return this.swap(new VirtualField({ clock: new ModeledClock(), cards: [] }));
  }
}
