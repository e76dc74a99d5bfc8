import type { Key } from "../../hal/keypad";
import type { MagstripeSwipe } from "../../hal/magstripe-head";
import type { ApplicationChoice, PinEntryResult, PinRequest } from "../emv/cardholder";
import type { AuthorizationRequest, AuthorizationResult } from "../emv/online";
import type { PollResult } from "../iso14443/pcd";
import type { CardReadResult } from "./card-reading";
import type { MachineEventKind } from "./state-machine";

// The events of the payment state machine, with what they carry. Drivers and the phone glue push
// the first group into the EventQueue; the card kernel's ports push the second; actions raise the
// third while they handle another event. `machineEvent` names each for the table.

export type ReaderEvent =
  // From outside.
  | { kind: "cancel"; source: "phone" | "keypad" }
  | { kind: "key"; key: Key }
  | { kind: "tamper" }
  | { kind: "card-inserted" }
  | { kind: "card-removed" }
  | { kind: "swiped"; swipe: MagstripeSwipe; arm: number }
  /** The issuer's answer relayed by the phone, for the transaction `transactionId`. */
  | { kind: "online-response"; transactionId: number; answer: AuthorizationResult }
  // From the card kernel at work.
  | { kind: "reading-selects-application"; choices: ApplicationChoice[]; reply: (index: number | null) => void }
  | { kind: "reading-confirms-application"; choice: ApplicationChoice; reply: (ok: boolean) => void }
  | { kind: "reading-needs-pin"; request: PinRequest; reply: (result: PinEntryResult) => void }
  | { kind: "reading-goes-online"; request: AuthorizationRequest; reply: (result: AuthorizationResult) => void; fail: (error: Error) => void }
  | { kind: "reading-done"; result: CardReadResult }
  /** The card kernel failed with something that is not a card's or a person's doing (a bug, a power loss). */
  | { kind: "fatal"; error: unknown }
  // Raised by actions.
  | { kind: "start" }
  | { kind: "poll" }
  | { kind: "timeout" }
  | { kind: "amount-confirmed" }
  | { kind: "card-tapped"; activated: PollResult }
  | { kind: "application-chosen"; value: number | boolean }
  | { kind: "pin-finished"; result: PinEntryResult }
  | { kind: "answer-accepted"; answer: AuthorizationResult }
  | { kind: "card-lost" }
  | { kind: "retry" }
  | { kind: "final" }
  | { kind: "final-card-in-slot" };

/** The table's name for an event (keys split by kind; the Cancel key is a "cancel" event already). */
export function machineEvent(e: ReaderEvent): MachineEventKind | "fatal" {
  if (e.kind === "key") return e.key === "enter" ? "key-enter" : e.key === "clear" ? "key-clear" : e.key === "cancel" ? "cancel" : "key-digit";
  return e.kind;
}
