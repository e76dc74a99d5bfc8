import type { ActivationResult, ContactSlot, LineSettings, Received, ResetKind, SendResult } from "../../hal/contact-slot";
import type { MagstripeHead, MagstripeSwipe, MagstripeTrack } from "../../hal/magstripe-head";
import type { VirtualIcc } from "../icc/virtual-icc";
import { ModeledClock } from "../picc/modeled-clock";
import { SwappableField } from "../picc/swappable-field";
import { VirtualField } from "../picc/virtual-field";

// The card interfaces of one reader that runs payment after payment with a different card each
// time (`mpos sim run --engine` over a reader kept for the process, the bench, the soak): the
// simulator puts each payment's card in front of the same HAL - a virtual ICC in the contact slot,
// a swiping cardholder at the head, cards or phones in the NFC field - and takes it away after.

const EMPTY_RECEIVED: Received = { bytes: new Uint8Array(0), end: "removed", parityErrors: 0 };

/** The contact slot: empty, or the virtual ICC (host-sim/icc) of this payment's card. */
export class RunSlot implements ContactSlot {
  readonly clockHz = 3_571_200;
  private icc: VirtualIcc | null = null;

  /** Puts `icc` in the slot (null: empties it); a card there before is pulled out. */
  hold(icc: VirtualIcc | null): void {
    if (this.icc !== null && this.icc !== icc) this.icc.remove();
    this.icc = icc;
  }

  /** The cardholder pulls the card out (it stays out of this slot). */
  remove(): void {
    this.hold(null);
  }

  async cardPresent(): Promise<boolean> {
    return this.icc !== null && (await this.icc.cardPresent());
  }

  activate(kind: ResetKind, firstCharClocks: number): Promise<ActivationResult> {
    return this.icc ? this.icc.activate(kind, firstCharClocks) : Promise.resolve({ kind: "removed" } as ActivationResult);
  }

  configure(settings: LineSettings): void {
    this.icc?.configure(settings);
  }

  send(bytes: Uint8Array): Promise<SendResult> {
    return this.icc ? this.icc.send(bytes) : Promise.resolve("removed" as SendResult);
  }

  receive(count: number, timeoutEtu: number): Promise<Received> {
    return this.icc ? this.icc.receive(count, timeoutEtu) : Promise.resolve(EMPTY_RECEIVED);
  }

  async deactivate(): Promise<void> {
    if (this.icc) await this.icc.deactivate();
  }
}

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
