import type { IccApplet } from "../icc/applet";

/**
 * The chip of a card whose contacts or chip are broken: it never answers the reset (no ATR), the
 * case EMV Book 1, 8.2 and Book 4, 11.1 turn into fallback to the magnetic stripe. The virtual ICC
 * asks `mute` before sending an ATR; should a command reach the applet anyway, it answers nothing.
 */
export class MuteApplet implements IccApplet {
  /** The virtual ICC keeps the I/O line silent after reset for an applet with `mute` set. */
  readonly mute = true;

  reset(): void {}

  process(): Uint8Array {
    return new Uint8Array(0);
  }
}

/** True for an applet that must not answer reset (a mute chip). */
export function isMuteApplet(applet: IccApplet): boolean {
  return (applet as { mute?: unknown }).mute === true;
}
