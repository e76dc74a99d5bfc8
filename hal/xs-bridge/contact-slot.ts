import type { ActivationResult, ContactSlot, LineSettings, Received, ResetKind, SendResult } from "../contact-slot";
import type { HostLink } from "./host-link";

// The contact slot (hal/contact-slot.ts) of the firmware on the XS engine, served by the
// simulator's virtual ICC: every method is one request to the host's "contactSlot" device.

export const CONTACT_SLOT = "contactSlot";

export class BridgeContactSlot implements ContactSlot {
  readonly clockHz: number;

  constructor(private readonly link: HostLink) {
    this.clockHz = link.callSync(CONTACT_SLOT, "clockHz") as number;
  }

  cardPresent(): Promise<boolean> {
    return this.link.call(CONTACT_SLOT, "cardPresent") as Promise<boolean>;
  }

  activate(kind: ResetKind, firstCharClocks: number): Promise<ActivationResult> {
    return this.link.call(CONTACT_SLOT, "activate", [kind, firstCharClocks]) as Promise<ActivationResult>;
  }

  configure(settings: LineSettings): void {
    this.link.callSync(CONTACT_SLOT, "configure", [settings]);
  }

  send(bytes: Uint8Array): Promise<SendResult> {
    return this.link.call(CONTACT_SLOT, "send", [bytes]) as Promise<SendResult>;
  }

  receive(count: number, timeoutEtu: number): Promise<Received> {
    return this.link.call(CONTACT_SLOT, "receive", [count, timeoutEtu]) as Promise<Received>;
  }

  deactivate(): Promise<void> {
    return this.link.act(CONTACT_SLOT, "deactivate");
  }
}
