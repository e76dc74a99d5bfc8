import type { ContactSlot, Received } from "../../hal/contact-slot";
import { CardMuteError, CardRemovedError, ProtocolError } from "./errors";

// What every engine does when the line fails: EMV Book 1 has the terminal deactivate the card
// (ISO/IEC 7816-3:2006, 6.4) whenever it gives up, then report why. A card that left the slot is
// "card removed"; silence past the waiting time is "card mute"; anything else is "protocol".

/** Deactivates the card, then throws `error`. */
export async function abandon(slot: ContactSlot, error: Error): Promise<never> {
  await slot.deactivate();
  throw error;
}

/** Receives exactly `count` characters or ends the session with the reason. */
export async function receiveExactly(
  slot: ContactSlot,
  count: number,
  timeoutEtu: number,
  what: string,
): Promise<Uint8Array> {
  const r: Received = await slot.receive(count, timeoutEtu);
  if (r.end === "removed") return abandon(slot, new CardRemovedError());
  if (r.end === "timeout") return abandon(slot, new CardMuteError(`${what}: no character within ${timeoutEtu} etu`));
  if (r.parityErrors > 0) {
    return abandon(slot, new ProtocolError(`${what}: parity error after the character repetitions (ISO 7816-3, 7.3)`));
  }
  return r.bytes;
}

/** Sends characters or ends the session with the reason. */
export async function sendAll(slot: ContactSlot, bytes: Uint8Array, what: string): Promise<void> {
  const r = await slot.send(bytes);
  if (r === "removed") return abandon(slot, new CardRemovedError());
  if (r === "rejected") {
    return abandon(slot, new ProtocolError(`${what}: the card signalled parity errors past the repetitions (ISO 7816-3, 7.3)`));
  }
}
