// The native module iso7816uart (iso7816uart.c, iso7816uart.js): the ISO/IEC 7816-3 character frame
// on an ESP32 UART. Declared here so that hal/esp32/contact-slot.ts type-checks against it.
declare module "iso7816uart" {
  export interface ISO7816UARTOptions {
    /** UART 1 or 2 (UART 0 is the console). */
    port: number;
    /** GPIO of TXD (driven open drain) and of RXD, both wired to the front end's I/O line. */
    transmit: number;
    receive: number;
    /** The card clock the front end generates, Hz. */
    clockHz: number;
  }

  export default class ISO7816UART {
    constructor(options: ISO7816UARTOptions);
    close(): void;
    /** Fi, Di, etu between the terminal's characters, turnaround etu, T=0 repetitions, inverse convention. */
    configure(Fi: number, Di: number, charEtu: number, turnaroundEtu: number, repeats: number, inverse: boolean): void;
    /** The ATR's settings and the direct convention, input flushed. */
    reset(): void;
    /** A timing reference now: the next character received counts its timeout from here. */
    mark(): void;
    /** Sends the characters; returns how many were sent before one was refused (= length: all). */
    transmit(buffer: Uint8Array): number;
    /** Receives up to `count` characters into `buffer`, each within `timeoutEtu` of the previous one. */
    receive(buffer: Uint8Array, count: number, timeoutEtu: number): number;
    /** Characters of the last receive that arrived with a parity error. */
    readonly parityErrors: number;
    /** The last transmit did not come back on the line (held low, or no card powered). */
    readonly lineFault: boolean;
  }
}
