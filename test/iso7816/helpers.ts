import { fromHex, toHex } from "../../kernel/bytes";
import { openContactCard, type ContactCard } from "../../kernel/iso7816/session";
import type { IccApplet } from "../../host-sim/icc/applet";
import { createVirtualIcc, type VirtualIcc, type VirtualIccOptions } from "../../host-sim/icc/virtual-icc";

/** A virtual card with a line trace, and the kernel's session on it. */
export async function openCard(options: VirtualIccOptions): Promise<{ slot: VirtualIcc; card: ContactCard }> {
  const slot = createVirtualIcc({ trace: true, ...options });
  const card = await openContactCard({ slot, clock: slot.clock });
  return { slot, card };
}

export async function send(card: ContactCard, hex: string): Promise<string> {
  return toHex(await card.transport.transmit(fromHex(hex)));
}

/** The line after the ATR (and after the T=1 S(IFS) exchange when `skip` says so), as "> hex" / "< hex". */
export function lineAfterAtr(slot: VirtualIcc, skip = 1): string[] {
  return slot.trace().slice(skip).map((s) => `${s.dir === "to-card" ? ">" : "<"} ${s.hex}`);
}

/** An applet that answers each command with the next canned response (hex) and records commands. */
export function scriptedApplet(responses: Record<string, string> | ((command: string) => string)): IccApplet & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    reset() {},
    process(command) {
      const hex = toHex(command);
      seen.push(hex);
      const answer = typeof responses === "function" ? responses(hex) : responses[hex];
      return fromHex(answer ?? "6D00");
    },
  };
}

/** Awaits a rejection and returns the error, for checks on its class and code. */
export async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a failure");
}
