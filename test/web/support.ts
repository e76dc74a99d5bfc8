import type { OnlineAnswer, ProgressEvent, StartTransaction, TransactionContext, TransactionOutcome } from "../../kernel/protocol";
import { PhonePaymentEngine } from "../../host-sim/server/phone-engine";
import type { SimSession } from "../../host-sim/server/sim-session";

// Drives the page's session the way the page and the phone do, without a browser: the phone's
// side is a TransactionContext whose online requests go to the session's issuer desk.

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 15000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function displayOf(s: SimSession): string {
  return s.state().display.join("\n");
}

export async function displayShows(s: SimSession, text: string, timeoutMs?: number): Promise<void> {
  await waitFor(`"${text}" on the display (it shows "${displayOf(s)}")`, () => displayOf(s).includes(text), timeoutMs);
}

export interface PhonePayment {
  outcome: Promise<TransactionOutcome>;
  events: ProgressEvent[];
  cancel(): void;
}

/** Starts a purchase as the phone's START-TRANSACTION does (USD, the terminal's currency). */
export function startPayment(s: SimSession, amount: number, extra: Partial<StartTransaction> = {}): PhonePayment {
  const engine = new PhonePaymentEngine(s);
  const events: ProgressEvent[] = [];
  const listeners: (() => void)[] = [];
  const ctx = {
    transactionId: 1,
    emit: (e: ProgressEvent) => { events.push(e); },
    authorise: async (d: Parameters<TransactionContext["authorise"]>[0]): Promise<OnlineAnswer> => s.desk.authorise(d),
    cancelled: false,
    onCancel: (l: () => void) => { if (ctx.cancelled) l(); else listeners.push(l); },
  };
  const outcome = engine.runTransaction({ amount, currency: 840, currencyExponent: 2, transactionType: "purchase", ...extra }, ctx);
  return {
    outcome, events,
    cancel: () => {
      ctx.cancelled = true;
      for (const l of listeners.splice(0)) l();
    },
  };
}

/**
 * Presses keys one at a time, as fingers do: the firmware's PIN entry listens for one key per wait
 * (firmware/app/keypad-cardholder.ts), so each press gets a turn of the event loop.
 */
export async function typeKeys(s: SimSession, keys: string): Promise<void> {
  for (const ch of keys) {
    s.press(ch === "E" ? "enter" : ch === "C" ? "clear" : ch === "X" ? "cancel" : ch);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until the firmware waits for the PIN on the keypad (keys pressed earlier are dropped). */
export async function pinReady(s: SimSession): Promise<void> {
  await waitFor("PIN entry on the keypad", () => s.state().pinEntry);
}
