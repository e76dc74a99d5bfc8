import type { ModeledClock } from "../picc/modeled-clock";
import { SwappableField } from "../picc/swappable-field";
import { VirtualField } from "../picc/virtual-field";
import type { VirtualPicc } from "../picc/virtual-picc";

// The NFC field of a reader that runs for days: a card or phone is held to it for one tap, then
// the next one comes. The scenario's VirtualField knows its cards from the start; this controller
// puts a fresh VirtualField (host-sim/picc) behind the same HAL for each tap, with the field's
// carrier and configuration carried over, so the reader's PCD sees one continuous front end.

export class SoakField extends SwappableField {
  constructor(private readonly clock: ModeledClock) {
    super(new VirtualField({ clock, cards: [] }), { technology: "A", txKbps: 106, rxKbps: 106 });
  }

  /** `picc` enters the field at `enterMs` and is taken away at `leaveMs` (modeled time). */
  place(picc: VirtualPicc, enterMs: number, leaveMs: number): void {
    void this.swap(new VirtualField({ clock: this.clock, cards: [{ picc, enterMs, leave: { atMs: leaveMs } }] }));
  }

  /** No card near the reader. */
  clear(): void {
    void this.swap(new VirtualField({ clock: this.clock, cards: [] }));
  }
}
