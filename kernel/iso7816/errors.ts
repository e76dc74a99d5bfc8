import { InputError, MposError } from "../errors";

// Errors of the contact interface, level 1 (ISO 7816-3, EMV Book 1). Each ends an exchange with a
// card: the EMV kernel branches on `code` (card-removed -> "card removed" outcome; card-mute and
// protocol -> the transaction falls back or ends). Messages name the rule that failed, never the
// content of an APDU (which may carry a PAN or PIN block).

/** The card left the slot (presence switch opened) during an exchange or before it. */
export class CardRemovedError extends MposError {
  constructor(message = "card removed") {
    super("card-removed", message);
    this.name = "CardRemovedError";
  }
}

/** The card did not answer within the time ISO 7816-3 / EMV Book 1 allow (ATR, WWT, BWT, CWT). */
export class CardMuteError extends MposError {
  constructor(message: string) {
    super("card-mute", message);
    this.name = "CardMuteError";
  }
}

/**
 * The card broke the protocol beyond what the terminal must recover from: a rejected ATR after the
 * warm reset, an unknown procedure byte, parity errors past the repetitions, T=1 blocks still bad
 * after retransmission and resynchronisation. The terminal has deactivated the card.
 */
export class ProtocolError extends MposError {
  constructor(message: string) {
    super("protocol", message);
    this.name = "ProtocolError";
  }
}

/** A command APDU the terminal was asked to send is malformed (a caller's input, not the card's). */
export class ApduFormatError extends InputError {
  constructor(message: string) {
    super("apdu", message);
    this.name = "ApduFormatError";
  }
}

/** An ATR given to the decoder (CLI, tests) is not an ATR at all: too short, truncated. */
export class AtrFormatError extends InputError {
  constructor(message: string) {
    super("atr", message);
    this.name = "AtrFormatError";
  }
}
