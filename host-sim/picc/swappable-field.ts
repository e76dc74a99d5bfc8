import type { NfcCapabilities, NfcController, RfConfiguration, RfReception, TransceiveOptions } from "../../hal/nfc-controller";
import type { VirtualField } from "./virtual-field";

/**
 * One continuous NFC front end in front of a virtual field that the simulator replaces between taps
 * (the page's wallet, the soak's stream of cards): the reader's carrier state and RF configuration
 * carry over to each new field, so the reader's PCD never notices the swap.
 */
export class SwappableField implements NfcController {
  private on = false;

  constructor(private field: VirtualField, private config: RfConfiguration | null = null) {}

  get capabilities(): NfcCapabilities {
    return this.field.capabilities;
  }

  /** Puts `next` in front of the reader at once; resolves when it has the carrier and configuration. */
  protected async swap(next: VirtualField): Promise<void> {
    const previous = this.field;
    this.field = next;
    await previous.fieldOff();
    if (this.config !== null) await next.configure(this.config);
    if (this.on) await next.fieldOn();
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
