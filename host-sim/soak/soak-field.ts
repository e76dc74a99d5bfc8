import type { NfcCapabilities, NfcController, RfConfiguration, RfReception, TransceiveOptions } from "../../hal/nfc-controller";
import type { ModeledClock } from "../picc/modeled-clock";
import { VirtualField } from "../picc/virtual-field";
import type { VirtualPicc } from "../picc/virtual-picc";

// The NFC field of a reader that runs for days: a card or phone is held to it for one tap, then
// the next one comes. The scenario's VirtualField knows its cards from the start; this controller
// puts a fresh VirtualField (host-sim/picc) behind the same HAL for each tap, with the field's
// carrier and configuration carried over, so the reader's PCD sees one continuous front end.

export class SoakField implements NfcController {
  private field: VirtualField;
  private on = false;
  private config: RfConfiguration = { technology: "A", txKbps: 106, rxKbps: 106 };

  constructor(private readonly clock: ModeledClock) {
    this.field = new VirtualField({ clock, cards: [] });
  }

  get capabilities(): NfcCapabilities {
    return this.field.capabilities;
  }

  /** `picc` enters the field at `enterMs` and is taken away at `leaveMs` (modeled time). */
  place(picc: VirtualPicc, enterMs: number, leaveMs: number): void {
    this.swap(new VirtualField({ clock: this.clock, cards: [{ picc, enterMs, leave: { atMs: leaveMs } }] }));
  }

  /** No card near the reader. */
  clear(): void {
    this.swap(new VirtualField({ clock: this.clock, cards: [] }));
  }

  private swap(next: VirtualField): void {
    void this.field.fieldOff();
    this.field = next;
    void next.configure(this.config);
    if (this.on) void next.fieldOn();
  }

  async fieldOn(): Promise<void> {
    this.on = true;
    await this.field.fieldOn();
  }

  async fieldOff(): Promise<void> {
    this.on = false;
    await this.field.fieldOff();
  }

  async configure(configuration: RfConfiguration): Promise<void> {
    this.config = { ...configuration };
    await this.field.configure(configuration);
  }

  transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception> {
    return this.field.transceive(frame, options);
  }
}
