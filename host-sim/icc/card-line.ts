import type { IccApplet } from "./applet";
import type { IccFault } from "./faults";

// What a card-side protocol model (T=0 or T=1) sees of the virtual ICC around it, and what it
// produces: the characters it sends, each with its distance in etu from the leading edge of the
// previous character on the line (ISO/IEC 7816-3:2006, 7.2: character timing by leading edges).

export interface CardChar {
  byte: number;
  /** Distance from the leading edge of the previous character on the line, in etu. */
  delayEtu: number;
}

export interface CardContext {
  readonly applet: IccApplet;
  readonly faults: readonly IccFault[];
  /** The APDU the card is in: 0 before the first, then 1, 2, ... */
  apdu(): number;
  /**
   * The card recognised the start of a new command APDU; the last `retro` characters the terminal
   * sent (the current one included) belong to it.
   */
  beginApdu(retro: number): void;
  /** True once a mute fault applies: the card sends nothing more until reset. */
  muted(): boolean;
  /** The current etu in microseconds and D (the card runs what the ATR announced). */
  etuMicros(): number;
  Fi(): number;
  Di(): number;
}

/** A card-side protocol: fed the terminal's characters one by one, it answers with characters. */
export interface CardProtocol {
  /** `corrupt`: the character arrived with a parity error the card could not have repeated (T=1). */
  onByte(byte: number, corrupt: boolean): CardChar[];
}

/** The card's own processing time for a command, in etu of the current line settings. */
export function processingEtu(ctx: CardContext, command: Uint8Array): number {
  const us = ctx.applet.processingUs ? ctx.applet.processingUs(command) : 0;
  if (!(us > 0)) return 0;
  return Math.ceil(us / ctx.etuMicros());
}

/** The applet's answer split into data and status; a broken applet (fewer than 2 bytes) is '6F00'. */
export function splitResponse(response: Uint8Array): { data: Uint8Array; sw1: number; sw2: number } {
  if (response.length < 2) return { data: new Uint8Array(0), sw1: 0x6f, sw2: 0x00 };
  return { data: response.slice(0, response.length - 2), sw1: response[response.length - 2], sw2: response[response.length - 1] };
}
