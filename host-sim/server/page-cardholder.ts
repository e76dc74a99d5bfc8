import type { KeypadCardholder } from "../../firmware/app/keypad-cardholder";
import type { ApplicationChoice, CardholderInterface, PinEntryResult, PinRequest } from "../../kernel/emv/cardholder";
import { MESSAGES, type MessageName } from "../../kernel/emv/messages";
import { PROMPTS, type Prompt, type ProgressEvent } from "../../kernel/protocol";

// The firmware's cardholder interface (kernel/emv/cardholder.ts) in the simulator: the device's own
// keypad PIN entry and display (firmware/app/keypad-cardholder.ts) on the page's keypad and
// display, with what the phone is told about it - the prompts (EMV Book 4, 11.2 message ids) and
// when PIN entry starts and ends (the session counts the digits pressed, never keeps one).

/** What the cardholder interface tells the session. */
export interface CardholderObserver {
  pinEntry(active: boolean): void;
  progress(event: ProgressEvent): void;
}

export function promptOfMessage(message: MessageName): Prompt | undefined {
  const id = MESSAGES[message].id;
  return (Object.keys(PROMPTS) as Prompt[]).find((p) => PROMPTS[p] === id);
}

/** The firmware's cardholder interface (kernel/emv/cardholder.ts) on the page's keypad and display, reporting prompts to the phone. */
export class PageCardholder implements CardholderInterface {
  constructor(private readonly inner: KeypadCardholder, private readonly session: CardholderObserver) {}

  selectApplication(choices: ApplicationChoice[]): Promise<number | null> {
    return this.inner.selectApplication(choices);
  }

  confirmApplication(choice: ApplicationChoice): Promise<boolean> {
    return this.inner.confirmApplication(choice);
  }

  async enterPin(request: PinRequest): Promise<PinEntryResult> {
    this.session.pinEntry(true);
    try {
      return await this.inner.enterPin(request);
    } finally {
      this.session.pinEntry(false);
    }
  }

  display(message: MessageName): void {
    this.inner.display(message);
    const prompt = promptOfMessage(message);
    if (prompt !== undefined) this.session.progress({ kind: "prompt", prompt });
  }
}
