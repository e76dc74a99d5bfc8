// The payment, as one state machine over every card interface: the whole table of
// `state x event -> next state + actions`, top to bottom in the order a payment goes. A pair the
// table does not list leaves the state as it is and does nothing (a key pressed while a card is
// read, a second card while one is being read). The actions are in actions.ts, the loop that runs
// the table in payment.ts.
//
// Rules the table encodes (issue 8):
// - cancel (phone or keypad Cancel key) in every state: a card kernel at work is stopped at its
//   next command to the card, a waiting one is answered "cancelled", an authorization already sent
//   leaves a reversal (EMV Book 4, 6.3.4 lets the attendant cancel; Book 3, 10.9: a request sent
//   and not completed is reversed);
// - every waiting state has a timeout; card removal ends the transaction at any moment before the
//   card may leave (Quick Chip after its completion, contactless once read, a swipe at once);
// - the outcome is stored as "completed" before it is shown and reported (journal.ts).

export type PaymentState =
  | "idle"
  /** The phone set the amount; with `confirmAmount` the cardholder confirms it (Book 4, 11.2 '02'). */
  | "amount-set"
  /** Swipe, insert and tap armed at once, each where enabled. */
  | "waiting-for-card"
  /** A card kernel works with the card (selection, records, ODA, risk management, GENERATE AC). */
  | "reading"
  /** The cardholder chooses or confirms an application (Book 1, 12.4). */
  | "application-selection"
  /** PIN entry on the reader's keypad (Book 3, 10.5; the CVM the kernel or the service code chose). */
  | "cardholder-verification"
  /** The authorization request went out; waiting for the issuer's answer (Book 3, 10.9). */
  | "online"
  /** The answer went to the kernel: issuer authentication, scripts, second GENERATE AC (10.10, 10.11). */
  | "completion"
  /** Cancelled, card removed, timed out or tampered: the kernel winds down. */
  | "aborting"
  /** The outcome is final; the card is still in the slot (Book 4, 11.2 '10'). */
  | "remove-card"
  | "ended";

export const PAYMENT_STATES: readonly PaymentState[] = [
  "idle", "amount-set", "waiting-for-card", "reading", "application-selection", "cardholder-verification",
  "online", "completion", "aborting", "remove-card", "ended",
];

export type MachineEventKind =
  // From outside: the phone, the keypad, the card interfaces, the tamper sensors, time.
  | "start" | "cancel" | "tamper" | "timeout" | "poll"
  | "key-digit" | "key-enter" | "key-clear"
  | "card-inserted" | "card-removed" | "swiped" | "card-tapped"
  | "online-response"
  // From the card kernel at work (through the ports of card-reading.ts).
  | "reading-selects-application" | "reading-confirms-application" | "reading-needs-pin" | "reading-goes-online" | "reading-done"
  // Raised by the actions themselves.
  | "amount-confirmed" | "application-chosen" | "pin-finished" | "answer-accepted" | "card-lost"
  | "retry" | "final" | "final-card-in-slot";

export type Action =
  | "begin-transaction" | "arm-interfaces" | "disarm-interfaces" | "poll-interfaces" | "slot-emptied"
  | "start-contact" | "start-swipe" | "start-contactless"
  | "offer-applications" | "choose-application" | "answer-application"
  | "begin-pin-entry" | "pin-key" | "deliver-pin"
  | "send-authorization" | "check-response" | "deliver-answer" | "deliver-no-answer"
  | "check-card-present" | "card-left"
  | "conclude-reading" | "refuse-request"
  | "abort-cancelled" | "abort-card-removed" | "abort-timeout" | "abort-tampered"
  | "end-cancelled" | "end-timeout" | "end-tampered"
  | "finish" | "card-taken";

export interface Transition {
  next: PaymentState;
  actions: readonly Action[];
}

const to = (next: PaymentState, ...actions: Action[]): Transition => ({ next, actions });

type Table = Record<PaymentState, Partial<Record<MachineEventKind, Transition>>>;

/** Cancel, removal and tamper while a kernel works or waits: stop it, let it wind down. */
const ABORTS = {
  cancel: to("aborting", "abort-cancelled"),
  "card-removed": to("aborting", "abort-card-removed"),
  tamper: to("aborting", "abort-tampered"),
} as const;

export const TRANSITIONS: Table = {
  idle: {
    start: to("amount-set", "begin-transaction"),
  },
  "amount-set": {
    "amount-confirmed": to("waiting-for-card", "arm-interfaces"),
    "key-enter": to("waiting-for-card", "arm-interfaces"),
    cancel: to("ended", "end-cancelled"),
    timeout: to("ended", "end-timeout"),
    tamper: to("ended", "end-tampered"),
  },
  "waiting-for-card": {
    poll: to("waiting-for-card", "poll-interfaces"),
    "card-inserted": to("reading", "disarm-interfaces", "start-contact"),
    swiped: to("reading", "disarm-interfaces", "start-swipe"),
    "card-tapped": to("reading", "disarm-interfaces", "start-contactless"),
    "card-removed": to("waiting-for-card", "slot-emptied"),
    cancel: to("ended", "disarm-interfaces", "end-cancelled"),
    timeout: to("ended", "disarm-interfaces", "end-timeout"),
    tamper: to("ended", "disarm-interfaces", "end-tampered"),
  },
  reading: {
    "reading-selects-application": to("application-selection", "offer-applications"),
    "reading-confirms-application": to("application-selection", "offer-applications"),
    "reading-needs-pin": to("cardholder-verification", "begin-pin-entry"),
    "reading-goes-online": to("online", "send-authorization"),
    "reading-done": to("reading", "conclude-reading"),
    retry: to("waiting-for-card", "arm-interfaces"),
    final: to("ended", "finish"),
    "final-card-in-slot": to("remove-card", "finish"),
    ...ABORTS,
  },
  "application-selection": {
    "key-digit": to("application-selection", "choose-application"),
    "key-enter": to("application-selection", "choose-application"),
    "application-chosen": to("reading", "answer-application"),
    poll: to("application-selection", "check-card-present"),
    timeout: to("aborting", "abort-timeout"),
    ...ABORTS,
  },
  "cardholder-verification": {
    "key-digit": to("cardholder-verification", "pin-key"),
    "key-clear": to("cardholder-verification", "pin-key"),
    "key-enter": to("cardholder-verification", "pin-key"),
    "pin-finished": to("reading", "deliver-pin"),
    poll: to("cardholder-verification", "check-card-present"),
    "card-removed": to("cardholder-verification", "card-left"),
    "card-lost": to("aborting", "abort-card-removed"),
    timeout: to("aborting", "abort-timeout"),
    cancel: ABORTS.cancel,
    tamper: ABORTS.tamper,
  },
  online: {
    "online-response": to("online", "check-response"),
    "answer-accepted": to("completion", "deliver-answer"),
    timeout: to("completion", "deliver-no-answer"),
    poll: to("online", "check-card-present"),
    "card-removed": to("online", "card-left"),
    "card-lost": to("aborting", "abort-card-removed"),
    cancel: ABORTS.cancel,
    tamper: ABORTS.tamper,
  },
  completion: {
    "reading-needs-pin": to("cardholder-verification", "begin-pin-entry"),
    "reading-done": to("completion", "conclude-reading"),
    final: to("ended", "finish"),
    "final-card-in-slot": to("remove-card", "finish"),
    "card-removed": to("completion", "card-left"),
    "card-lost": to("aborting", "abort-card-removed"),
    cancel: ABORTS.cancel,
    tamper: ABORTS.tamper,
  },
  aborting: {
    "reading-selects-application": to("aborting", "refuse-request"),
    "reading-confirms-application": to("aborting", "refuse-request"),
    "reading-needs-pin": to("aborting", "refuse-request"),
    "reading-goes-online": to("aborting", "refuse-request"),
    "reading-done": to("aborting", "conclude-reading"),
    final: to("ended", "finish"),
    "final-card-in-slot": to("remove-card", "finish"),
  },
  "remove-card": {
    poll: to("remove-card", "check-card-present"),
    "card-removed": to("ended", "card-taken"),
    timeout: to("ended"),
    tamper: to("ended"),
  },
  ended: {},
};

/** The transition for `event` in `state`, or undefined when the table ignores it there. */
export function transition(state: PaymentState, event: MachineEventKind): Transition | undefined {
  return TRANSITIONS[state][event];
}

/** The states that wait for a person, a card or the issuer, each with a timeout (see payment.ts). */
export const WAITING_STATES: readonly PaymentState[] = [
  "amount-set", "waiting-for-card", "application-selection", "cardholder-verification", "online", "remove-card",
];
