import type { ActivationResult, ContactSlot, LineSettings, Received, ResetKind, SendResult } from "../../hal/contact-slot";
import type { MagstripeHead, MagstripeSwipe, MagstripeTrack } from "../../hal/magstripe-head";
import { isMuteApplet, type VirtualCard } from "../cards";
import type { IccApplet } from "../icc/applet";
import { createVirtualIcc, type VirtualIcc } from "../icc/virtual-icc";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import type { PowerSwitch } from "./powered-storage";
import type { WorldClock } from "./world-clock";

// The scenario's contact slot and magnetic stripe head: cards come and go by the scenario's steps.
// The slot holds a byte-level virtual ICC while a card is in it (host-sim/icc) and adds the line
// time of every exchange to the world clock; without a card it behaves as an empty slot. Both stop
// working (PowerLossError from the power switch) while the reader is off.

/** A cardholder swiping at an ordinary pace: 20 inches per second, 5 % faster at the end, 2 % jitter. */
const SWIPE = { speedIps: 20, acceleration: 0.05, jitter: 0.02 };

export class SimContactSlot implements ContactSlot {
  readonly clockHz = 3_571_200;
  private icc: VirtualIcc | null = null;
  /** APDUs exchanged with cards in this slot. */
  apdus = 0;

  constructor(private readonly clock: WorldClock, private readonly power: PowerSwitch) {}

  get occupied(): boolean {
    return this.icc !== null;
  }

  insert(applet: IccApplet): void {
    if (this.icc) this.icc.remove();
    this.icc = createVirtualIcc({ applet, protocol: 0, clockHz: this.clockHz, faults: isMuteApplet(applet) ? [{ kind: "mute" }] : [] });
  }

  remove(): void {
    if (!this.icc) return;
    this.apdus += this.icc.stats().apdus;
    this.icc.remove();
    this.icc = null;
  }

  /** Runs one line operation on the card, adding its modeled line time to the world clock. */
  private async timed<T>(what: string, empty: T, op: (icc: VirtualIcc) => Promise<T>): Promise<T> {
    this.power.check(`contact slot ${what}`);
    const icc = this.icc;
    if (!icc) return empty;
    const before = icc.modeledUs;
    const r = await op(icc);
    this.clock.advanceUs(icc.modeledUs - before);
    return r;
  }

  async cardPresent(): Promise<boolean> {
    this.power.check("contact slot presence");
    return this.icc !== null;
  }

  activate(kind: ResetKind, firstCharClocks: number): Promise<ActivationResult> {
    return this.timed("activation", { kind: "removed" } as ActivationResult, (icc) => icc.activate(kind, firstCharClocks));
  }

  configure(settings: LineSettings): void {
    if (this.icc) this.icc.configure(settings);
  }

  send(bytes: Uint8Array): Promise<SendResult> {
    return this.timed("send", "removed" as SendResult, (icc) => icc.send(bytes));
  }

  receive(count: number, timeoutEtu: number): Promise<Received> {
    const removed: Received = { bytes: new Uint8Array(0), end: "removed", parityErrors: 0 };
    return this.timed("receive", removed, (icc) => icc.receive(count, timeoutEtu));
  }

  async deactivate(): Promise<void> {
    if (this.icc) await this.icc.deactivate();
  }
}

/** The head: a swipe reaches the reader only while it is armed (a pending nextSwipe). */
export class SimMagstripeHead implements MagstripeHead {
  private readonly inner: VirtualMagstripeHead;
  private armed = false;

  constructor(seed: number) {
    this.inner = new VirtualMagstripeHead({ tracks: [1, 2], seed });
  }

  get tracks(): readonly MagstripeTrack[] {
    return this.inner.tracks;
  }

  nextSwipe(): Promise<MagstripeSwipe | null> {
    this.armed = true;
    return this.inner.nextSwipe().then((s) => {
      this.armed = false;
      return s;
    });
  }

  cancel(): void {
    this.inner.cancel();
    this.armed = false;
  }

  /** The cardholder swipes `card`; false when the head was not armed (the swipe is lost). */
  swipe(card: VirtualCard): boolean {
    if (!this.armed || !card.magstripe) return false;
    this.inner.swipe({ track1: card.magstripe.track1, track2: card.magstripe.track2 }, SWIPE);
    return true;
  }
}
