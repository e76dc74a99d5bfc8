import { ACTIONS } from "../../kernel/transaction/actions";
import { PAYMENT_STATES, TRANSITIONS, WAITING_STATES, transition, type PaymentState } from "../../kernel/transaction";

// The payment table (issue 8, item 1): every state and transition in one place, and the rules the
// issue asks of it checked on the table itself.

const ABORTABLE: PaymentState[] = ["amount-set", "waiting-for-card", "reading", "application-selection", "cardholder-verification", "online", "completion"];

describe("the payment state table", () => {
  it("lists every state once, from idle to ended", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...PAYMENT_STATES].sort());
    expect(TRANSITIONS.ended).toEqual({});
  });

  it("cancel works in every state until the outcome is final (EMV Book 4, 6.3.4)", () => {
    for (const state of ABORTABLE) {
      const t = transition(state, "cancel");
      expect({ state, handled: t !== undefined }).toEqual({ state, handled: true });
      expect(["ended", "aborting"]).toContain(t!.next);
    }
  });

  it("every waiting state has a timeout", () => {
    for (const state of WAITING_STATES) expect({ state, timeout: transition(state, "timeout") !== undefined }).toEqual({ state, timeout: true });
  });

  it("card removal ends every state where a card may be at work", () => {
    for (const state of ["reading", "application-selection", "cardholder-verification", "online", "completion"] as PaymentState[]) {
      const t = transition(state, "card-removed");
      expect({ state, handled: t !== undefined }).toEqual({ state, handled: true });
    }
    // Where the card may have been released (Quick Chip, contactless), removal is first checked.
    expect(transition("online", "card-removed")!.actions).toEqual(["card-left"]);
    expect(transition("online", "card-lost")!.next).toBe("aborting");
  });

  it("a tamper event ends every state", () => {
    for (const state of PAYMENT_STATES.filter((s) => s !== "idle" && s !== "ended" && s !== "aborting")) {
      expect({ state, handled: transition(state, "tamper") !== undefined }).toEqual({ state, handled: true });
    }
  });

  it("every state but idle can be reached, and ended from every state", () => {
    const reached = new Set<string>(["idle"]);
    for (const rows of Object.values(TRANSITIONS)) for (const t of Object.values(rows)) reached.add(t!.next);
    expect([...reached].sort()).toEqual([...PAYMENT_STATES].sort());
  });

  it("every action the table names has its function", () => {
    const named = new Set<string>();
    for (const rows of Object.values(TRANSITIONS)) for (const t of Object.values(rows)) for (const a of t!.actions) named.add(a);
    for (const a of named) expect(typeof ACTIONS[a as keyof typeof ACTIONS]).toBe("function");
    expect(Object.keys(ACTIONS).sort()).toEqual([...named].sort());
  });

  it("the authorization goes out only from a card read, and its answer leads to completion", () => {
    expect(transition("reading", "reading-goes-online")).toEqual({ next: "online", actions: ["send-authorization"] });
    expect(transition("online", "answer-accepted")).toEqual({ next: "completion", actions: ["deliver-answer"] });
    expect(transition("online", "timeout")).toEqual({ next: "completion", actions: ["deliver-no-answer"] });
    // An answer in any other state is not looked at (a replay, a late one).
    for (const state of PAYMENT_STATES.filter((s) => s !== "online")) expect(transition(state, "online-response")).toBeUndefined();
  });
});
