import type { ApplicationChoice, CardholderInterface, PinEntryResult, PinRequest } from "../../kernel/emv/cardholder";
import { MESSAGES, type MessageName } from "../../kernel/emv/messages";

// The simulated cardholder: types the PINs given on the command line, attempt by attempt (then
// lets the PIN pad time out), takes the first application offered, confirms what is asked. The
// messages the reader shows are kept, in order, as the run's "prompts".

export class ScriptedCardholder implements CardholderInterface {
  readonly prompts: string[] = [];
  private readonly pins: string[];

  constructor(pins: readonly string[]) {
    this.pins = pins.slice();
  }

  async selectApplication(choices: ApplicationChoice[]): Promise<number | null> {
    return choices.length > 0 ? 0 : null;
  }

  async confirmApplication(): Promise<boolean> {
    return true;
  }

  async enterPin(_request: PinRequest): Promise<PinEntryResult> {
    const pin = this.pins.shift();
    if (pin === undefined) return { kind: "timeout" };
    return { kind: "entered", pin: Uint8Array.from(pin, (ch) => ch.charCodeAt(0)) };
  }

  display(message: MessageName): void {
    this.show(MESSAGES[message].text);
  }

  /** A message the simulator itself shows (fallback, insert card). */
  show(text: string): void {
    this.prompts.push(text);
  }
}
