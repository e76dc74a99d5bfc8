import type { SimSession } from "../../host-sim/server/sim-session";

// Drives the page's session the way the page's hands do, without a browser; the phone is the SDK
// over the session's GATT bridge (host-sim/server/session-phone.ts).

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

/**
 * Presses keys one at a time, as fingers do: the firmware's PIN entry takes one key per wait, so
 * each press gets a turn of the event loop.
 */
export async function typeKeys(s: SimSession, keys: string): Promise<void> {
  for (const ch of keys) {
    s.press(ch === "E" ? "enter" : ch === "C" ? "clear" : ch === "X" ? "cancel" : ch);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the firmware waits for the PIN on the keypad (it shows ENTER PIN; keys pressed earlier are dropped). */
export async function pinReady(s: SimSession): Promise<void> {
  await waitFor("PIN entry on the keypad", () => s.state().pinEntry);
}

/** Waits until the firmware waits for a card (Book A, 9.2: the first light steady, "Ready to Read"). */
export async function cardWanted(s: SimSession): Promise<void> {
  await waitFor("the reader to wait for a card", () => s.state().transaction?.phase === "waiting-card");
}

/** Book 4, 11.2 '10': the cardholder takes the card out of the slot when the reader asks for it. */
export async function removeWhenAsked(s: SimSession, timeoutMs?: number): Promise<void> {
  await displayShows(s, "REMOVE CARD", timeoutMs);
  s.removeCard();
}
