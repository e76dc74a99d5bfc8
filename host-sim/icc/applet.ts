/**
 * The application behind a virtual ICC: it sees whole command APDUs (CLA INS P1 P2 [Lc data] [Le],
 * ISO 7816-4, 5.1) and answers with response data || SW1 SW2. The virtual ICC around it does all of
 * level 1: ATR, T=0 procedure bytes and GET RESPONSE, T=1 blocks, timing and faults. The EMV card
 * applets implement this.
 *
 * Under T=1 the applet gets the command APDU exactly as the terminal sent it. Under T=0 the card
 * cannot tell case 3 from case 4 (ISO/IEC 7816-3:2006, 12.2: Le does not travel), so a command with
 * data reaches the applet as case 4 with Le '00' ("up to 256"); whatever data it answers is served
 * by the ICC through '61xx' and GET RESPONSE, which the applet never sees. Whether P3 of a T=0
 * header is Lc or Le the ICC decides by INS (see T0_INCOMING_INS, or the t0Incoming option).
 */
export interface IccApplet {
  /** The card was reset (cold: power-up; warm: RST toggled). Forget selections and sessions. */
  reset(kind: "cold" | "warm"): void;
  /** One command APDU in, response data || SW1 SW2 out (at least the two status bytes). */
  process(command: Uint8Array): Uint8Array;
  /**
   * The card's own computing time for this command, in microseconds (e.g. an RSA signature for
   * INTERNAL AUTHENTICATE). The line-time model adds it; a long one makes the ICC send NULL bytes
   * (T=0) or S(WTX) requests (T=1) as a real card does. 0 when absent.
   */
  processingUs?(command: Uint8Array): number;
}
