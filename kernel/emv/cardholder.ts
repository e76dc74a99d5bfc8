import type { MessageName } from "./messages";

// What the kernel needs from the people at the terminal, as small asynchronous interfaces the
// kernel declares and others implement: the payment state machine on the device (keypad, display),
// the simulator (scripted answers), tests. The kernel never reads a keypad itself.

/** One application the cardholder may choose (Book 1, 12.4, step 3). */
export interface ApplicationChoice {
  /** What to show: the Application Preferred Name where its code table is supported, else the label. */
  name: string;
  /** Application Priority Indicator '87', b4-b1 (1 highest, 0 none). */
  priority: number;
}

/** Which PIN the kernel asks for: verified by the card (offline) or sent to the issuer (online). */
export type PinKind = "offline" | "online";

export interface PinRequest {
  kind: PinKind;
  /** Offline PIN: the PIN Try Counter '9F17' when the card gave it (Book 3, 10.5.1). */
  triesLeft?: number;
  /** Offline PIN: this is the last try the card allows. */
  lastTry: boolean;
}

/**
 * The cardholder's answer at the PIN pad. The PIN is ASCII digits in a buffer the kernel zeroizes
 * as soon as it has built the PIN block. "bypassed": Enter without digits, which Book 3, 10.5.1
 * and 10.5.2 treat as "PIN entry required, PIN pad present, but PIN was not entered".
 */
export type PinEntryResult =
  | { kind: "entered"; pin: Uint8Array }
  | { kind: "bypassed" }
  | { kind: "cancelled" }
  | { kind: "timeout" }
  /** The PIN pad failed while in use (Book 3, 10.5.1: "PIN pad ... not working"). */
  | { kind: "pin-pad-failure" };

export interface CardholderInterface {
  /**
   * Book 1, 12.4, step 3: offer the candidates (already in priority order); resolves with the
   * index chosen, or null when the cardholder cancels.
   */
  selectApplication(choices: ApplicationChoice[]): Promise<number | null>;
  /** Book 1, 12.4, step 2: ask the cardholder to confirm the only application; false = refused. */
  confirmApplication(choice: ApplicationChoice): Promise<boolean>;
  /** Asks for a PIN at the PIN pad. */
  enterPin(request: PinRequest): Promise<PinEntryResult>;
  /** Shows a standard message (Book 4, 11.2) in the language chosen for the cardholder (Book 4, 11.1). */
  display(message: MessageName, language: string): void;
}
