import type { ApplicationChoice, CardholderInterface, PinEntryResult, PinRequest } from "../../kernel/emv/cardholder";
import type { MessageName } from "../../kernel/emv/messages";
import type { HostLink } from "./host-link";

// The PIN pad and the display as the EMV kernel sees them (kernel/emv/cardholder.ts), for the
// firmware on the XS engine: the simulator's cardholder answers (the scripted one of `mpos sim
// run`, or the person at the simulator's page). The PIN comes back as ASCII digits in a buffer of
// the firmware's own, which the kernel zeroizes once the PIN block is built.

export const CARDHOLDER = "cardholder";

export class BridgeCardholder implements CardholderInterface {
  constructor(private readonly link: HostLink) {}

  selectApplication(choices: ApplicationChoice[]): Promise<number | null> {
    return this.link.call(CARDHOLDER, "selectApplication", [choices]) as Promise<number | null>;
  }

  confirmApplication(choice: ApplicationChoice): Promise<boolean> {
    return this.link.call(CARDHOLDER, "confirmApplication", [choice]) as Promise<boolean>;
  }

  enterPin(request: PinRequest): Promise<PinEntryResult> {
    return this.link.call(CARDHOLDER, "enterPin", [request]) as Promise<PinEntryResult>;
  }

  display(message: MessageName, language: string): void {
    this.link.callSync(CARDHOLDER, "display", [message, language]);
  }
}
