import type { IccApplet } from "../../icc/applet";
import { HangError } from "./outcome";

// The seam every card-response target fuzzes through: a card's applet whose answer to one command
// is swapped for the fuzz input, contact (emv-responses.ts) or contactless (contactless.ts, the
// PICC's applet under ISO-DEP). It records the card's own responses too, which is how the targets
// record their seed corpora.

/** Command APDUs one transaction may send before it counts as a hang (a real one sends < 30). */
export const MAX_COMMANDS = 200;

/** The card's applet with the response to its `replace`-th command (from 1) swapped for `response`. */
export class ReplacingApplet implements IccApplet {
  private commands = 0;
  readonly responses: Uint8Array[] = [];

  constructor(private readonly inner: IccApplet, private readonly replace: number, private readonly response: Uint8Array | null) {}

  reset(kind: "cold" | "warm"): void {
    this.inner.reset(kind);
  }

  process(command: Uint8Array): Uint8Array {
    if (++this.commands > MAX_COMMANDS) throw new HangError(`card: more than ${MAX_COMMANDS} commands in one transaction`);
    const real = this.inner.process(command);
    this.responses.push(real.slice());
    return this.commands === this.replace && this.response ? this.response.slice() : real;
  }

  processingUs(command: Uint8Array): number {
    return this.inner.processingUs ? this.inner.processingUs(command) : 0;
  }
}
