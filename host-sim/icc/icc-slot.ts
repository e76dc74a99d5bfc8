import type { ActivationResult, ContactSlot, LineSettings, Received, ResetKind, SendResult } from "../../hal/contact-slot";
import type { VirtualIcc } from "./virtual-icc";

// A contact slot that holds one virtual ICC at a time (or none): what the simulator's page and its
// repeated runs put in front of the reader's HAL. An empty slot answers as a card that was pulled
// out: activation and exchanges end "removed" (ISO/IEC 7816-3:2006, 6.4: the contacts are deactivated).

const EMPTY_RECEIVED: Received = { bytes: new Uint8Array(0), end: "removed", parityErrors: 0 };

export class IccSlot implements ContactSlot {
  readonly clockHz = 3_571_200;
  private icc: VirtualIcc | null = null;

  /** A card is in the slot. */
  get occupied(): boolean {
    return this.icc !== null;
  }

  /** Puts `icc` in the slot (null: empties it); a card there before is pulled out. */
  hold(icc: VirtualIcc | null): void {
    if (this.icc !== null && this.icc !== icc) this.icc.remove();
    this.icc = icc;
  }

  /** The cardholder pulls the card out. */
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
