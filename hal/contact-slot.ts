/**
 * The contact ICC slot: a TDA8035-class front end (card presence switch, VCC / CLK / RST sequencing
 * in hardware, I/O line to a UART at 8E2-like framing) driven by GPIO and a UART. The kernel's
 * ISO 7816-3 engines (kernel/iso7816) run on top; drivers live in hal/esp32/ (device) and host-sim/
 * (virtual ICC).
 *
 * Bytes in both directions are logical character values: the driver handles the convention that TS
 * announced (ISO/IEC 7816-3:2006, 8.1: inverse convention = inverted levels, most significant bit
 * first, which a UART does with signal inversion and a bit-reversal table) and the parity bit.
 *
 * Timing is in elementary time units (etu) of the current settings: 1 etu = Fi / (Di x clockHz)
 * seconds (ISO/IEC 7816-3:2006, 7.1). A timeout counts from the leading edge of the previous
 * character on the line, sent or received, to the leading edge of the next one (the way WWT, BWT and
 * CWT are defined in 10.2, 11.4.3).
 */
export type ResetKind = "cold" | "warm";

/** Line settings for after the ATR (ISO/IEC 7816-3:2006, 7.1 to 7.3). */
export interface LineSettings {
  /** Clock rate conversion integer: 372 during the ATR. */
  Fi: number;
  /** Baud rate adjustment integer: 1 during the ATR. */
  Di: number;
  /**
   * Distance between the leading edges of two characters the terminal sends, in etu: 12 + N from
   * TC1 (7.2); 11 for N = 255 under T=1 (11.2). The slot never sends faster; the card may.
   */
  terminalCharEtu: number;
  /**
   * Least distance between the leading edges of two characters in opposite directions, in etu: 16
   * under T=0 (10.2) and BGT = 22 under T=1 (11.4.3). The slot waits it before sending after it
   * received.
   */
  turnaroundEtu: number;
  /**
   * Error signal and character repetition (7.3), used by T=0 only: the receiver of a character with
   * a parity error pulls I/O low during the guard time and the sender repeats it, at most
   * `repeats` times (EMV Book 1, 9.2.3: 3). 0 turns error signalling off (T=1, 11.3).
   */
  repeats: number;
}

/** During the answer to reset (8.1): initial etu, no extra guard time, no character repetition. */
export const ATR_LINE_SETTINGS: LineSettings = { Fi: 372, Di: 1, terminalCharEtu: 12, turnaroundEtu: 16, repeats: 0 };

/** The first character after RST went high (ISO/IEC 7816-3:2006, 8.1). */
export type ActivationResult =
  /** `ts` is 0x3B (direct) or 0x3F (inverse), with the slot now set to that convention; any other
   * value is what the UART read in the direct convention (the kernel rejects it). */
  | { kind: "ts"; ts: number }
  /** Nothing started within the time asked for: the card is mute. */
  | { kind: "mute" }
  /** No card in the slot (presence switch open). */
  | { kind: "removed" };

export interface Received {
  /** The characters received, in order (fewer than asked when `end` is not "complete"). */
  bytes: Uint8Array;
  /** "timeout": the line stayed quiet for the whole timeout; "removed": the card left the slot. */
  end: "complete" | "timeout" | "removed";
  /**
   * Characters that arrived with a parity error and were not cured by repetition (T=0: still bad
   * after `repeats` repetitions; T=1: any, since T=1 does not repeat characters).
   */
  parityErrors: number;
}

/** "rejected": under T=0 the card signalled a parity error on a character more often than `repeats`. */
export type SendResult = "sent" | "removed" | "rejected";

export interface ContactSlot {
  /** The frequency the front end clocks the card at (CLK), in Hz (EMV Book 1: 1 to 5 MHz). */
  readonly clockHz: number;
  /** The card presence switch. */
  cardPresent(): Promise<boolean>;
  /**
   * Cold reset (ISO/IEC 7816-3:2006, 6.2.2: VCC, then CLK, then RST high) or warm reset (6.2.3: RST
   * low then high with VCC and CLK kept), then waits for TS for at most `firstCharClocks` clock
   * cycles after RST went high (ISO/IEC 7816-3:2006, 8.1: 400 to 40 000; EMV Book 1 lets the terminal wait 42 000). Resets the line to ATR_LINE_SETTINGS and the
   * direct convention before reading TS.
   */
  activate(kind: ResetKind, firstCharClocks: number): Promise<ActivationResult>;
  /** Applies the settings the ATR called for; takes effect for the next character. */
  configure(settings: LineSettings): void;
  /** Sends characters, each `terminalCharEtu` after the previous one. */
  send(bytes: Uint8Array): Promise<SendResult>;
  /** Receives up to `count` characters, each within `timeoutEtu` of the previous character's leading edge. */
  receive(count: number, timeoutEtu: number): Promise<Received>;
  /** Deactivation (ISO/IEC 7816-3:2006, 6.4): RST low, CLK stopped, I/O low, VCC off. Idempotent. */
  deactivate(): Promise<void>;
}
