import type { NfcController, RfReception, TransceiveOptions } from "../../hal/nfc-controller";
import type { IccApplet } from "../../host-sim/icc/applet";
import { ModeledClock } from "../../host-sim/picc/modeled-clock";
import { VirtualField, type PlacedPicc } from "../../host-sim/picc/virtual-field";
import { VirtualPicc, type VirtualPiccOptions } from "../../host-sim/picc/virtual-picc";

/** An applet that answers every APDU with `size` bytes counting up from 0, then 90 00, in `us` us. */
export function echoApplet(size = 4, us = 1000): IccApplet & { commands: Uint8Array[] } {
  const commands: Uint8Array[] = [];
  return {
    commands,
    reset() { /* stateless */ },
    process(command: Uint8Array) {
      commands.push(command.slice());
      const out = new Uint8Array(size + 2);
      for (let i = 0; i < size; i++) out[i] = i & 0xff;
      out[size] = 0x90;
      out[size + 1] = 0x00;
      return out;
    },
    processingUs() { return us; },
  };
}

export function picc(options: Partial<VirtualPiccOptions> & { identifier: Uint8Array }): VirtualPicc {
  return new VirtualPicc({ technology: "A", applet: echoApplet(), ...options });
}

export function field(cards: (VirtualPicc | PlacedPicc)[], capabilities?: ConstructorParameters<typeof VirtualField>[0]["capabilities"]) {
  const clock = new ModeledClock();
  const placed = cards.map((c) => (c instanceof VirtualPicc ? { picc: c } : c));
  const f = new VirtualField({ clock, cards: placed, capabilities });
  return { clock, field: f };
}

/**
 * A controller in front of another that loses chosen exchanges: `drop(n)` makes the n-th
 * transceive from now (1 = the next) reach the card but lose its answer, as if it faded.
 */
export class LossyController implements NfcController {
  private count = 0;
  private readonly losses = new Set<number>();
  constructor(private readonly inner: NfcController) {}
  get capabilities() { return this.inner.capabilities; }
  fieldOn() { return this.inner.fieldOn(); }
  fieldOff() { return this.inner.fieldOff(); }
  configure(c: Parameters<NfcController["configure"]>[0]) { return this.inner.configure(c); }
  drop(n: number): void { this.losses.add(this.count + n); }
  async transceive(frame: Uint8Array, options: TransceiveOptions): Promise<RfReception> {
    this.count++;
    const r = await this.inner.transceive(frame, options);
    return this.losses.has(this.count) ? { kind: "timeout" } : r;
  }
}

export const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));
export const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();
