import Digital from "embedded:io/digital";
import ISO7816UART from "iso7816uart";
import {
  ATR_LINE_SETTINGS, type ActivationResult, type ContactSlot, type LineSettings, type Received, type ResetKind, type SendResult,
} from "../contact-slot";
import type { Clock } from "../clock";
import type { ContactSlotPins } from "./board";

// The contact slot (hal/contact-slot.ts) through an NXP TDA8035 front end: GPIOs for CMDVCCN and
// RSTIN (and the clock division and card voltage, unless the board straps them), OFFN for presence, and the ISO/IEC 7816-3
// character frame on a UART (native/iso7816uart.c: parity, guard time, turnaround, repetition,
// inverse convention), which Moddable's ECMA-419 Serial does not offer on the ESP32.
//
// The TDA8035 sequences the contacts itself (ISO/IEC 7816-3:2006, 6.2.2 and 6.4): CMDVCCN low
// powers VCC, then I/O and CLK; RST follows RSTIN once the card is active; CMDVCCN high runs the
// deactivation (RST low, CLK stopped, I/O low, VCC off). The driver times RST.

/** EMV Book 1, 6.1.3.1: RST stays low 40 000 to 45 000 clock cycles after CLK starts (and in a warm reset). */
const RST_LOW_CLOCKS = 42_000;
/** Time the TDA8035 takes from CMDVCCN low to CLK on the card (its activation sequence), ms; generous. */
const ACTIVATION_MS = 2;
/** ISO/IEC 7816-3:2006, 8.1: an inverse-convention TS read in the direct convention. */
const INVERSE_TS_IN_DIRECT = 0x03;

export interface TDA8035Options extends ContactSlotPins {
  clock: Clock;
}

export class TDA8035ContactSlot implements ContactSlot {
  readonly clockHz: number;
  private readonly line: ISO7816UART;
  private readonly cmdvcc: Digital;
  private readonly rstin: Digital;
  private readonly off: Digital;
  private readonly clock: Clock;
  private active = false;
  private inverse = false;
  private settings: LineSettings = ATR_LINE_SETTINGS;

  constructor(options: TDA8035Options) {
    this.clockHz = options.clockHz;
    this.clock = options.clock;
    this.cmdvcc = new Digital({ pin: options.cmdvcc, mode: Digital.Output });
    this.cmdvcc.write(1);
    this.rstin = new Digital({ pin: options.rstin, mode: Digital.Output });
    this.rstin.write(0);
    this.off = new Digital({ pin: options.off, mode: Digital.Input });
    if (options.clkdiv) {
      new Digital({ pin: options.clkdiv.pins[0], mode: Digital.Output }).write(options.clkdiv.levels[0]);
      new Digital({ pin: options.clkdiv.pins[1], mode: Digital.Output }).write(options.clkdiv.levels[1]);
    }
    // EMV Book 1, 5.3: class A cards, VCC 5 V.
    if (options.vsel !== undefined) new Digital({ pin: options.vsel, mode: Digital.Output }).write(1);
    this.line = new ISO7816UART({ port: options.uart, transmit: options.tx, receive: options.rx, clockHz: options.clockHz });
  }

  /** OFFN: with the card inactive, low means no card; while active, low means the card left (or a fault). */
  private present(): boolean {
    return this.off.read() === 1;
  }

  async cardPresent(): Promise<boolean> {
    return this.present();
  }

  private applySettings(): void {
    const s = this.settings;
    this.line.configure(s.Fi, s.Di, s.terminalCharEtu, s.turnaroundEtu, s.repeats, this.inverse);
  }

  async activate(kind: ResetKind, firstCharClocks: number): Promise<ActivationResult> {
    if (!this.present() && !this.active) return { kind: "removed" };
    this.line.reset();
    this.inverse = false;
    this.settings = ATR_LINE_SETTINGS;
    this.rstin.write(0);
    if (kind === "cold" || !this.active) {
      // ISO/IEC 7816-3:2006, 6.2.2: cold reset.
      this.cmdvcc.write(0);
      this.active = true;
      await this.clock.sleep(ACTIVATION_MS);
    }
    // 6.2.2 / 6.2.3: RST low for at least 400 clocks (EMV: 40 000 to 45 000), then high.
    await this.clock.sleep(Math.ceil((RST_LOW_CLOCKS * 1000) / this.clockHz));
    if (!this.present()) {
      this.cardLeft();
      return { kind: "removed" };
    }
    this.rstin.write(1);
    this.line.mark();
    // 8.1: TS within firstCharClocks of RST going high; one etu is 372 clocks during the ATR.
    const ts = new Uint8Array(1);
    const got = this.line.receive(ts, 1, Math.max(1, Math.ceil(firstCharClocks / ATR_LINE_SETTINGS.Fi)));
    if (!this.present()) {
      this.cardLeft();
      return { kind: "removed" };
    }
    if (got === 0) return { kind: "mute" };
    if (ts[0] === INVERSE_TS_IN_DIRECT) {
      this.inverse = true;
      this.applySettings();
      return { kind: "ts", ts: 0x3f };
    }
    return { kind: "ts", ts: ts[0] };
  }

  configure(settings: LineSettings): void {
    this.settings = { ...settings };
    this.applySettings();
  }

  async send(bytes: Uint8Array): Promise<SendResult> {
    if (this.present()) {
      const sent = this.line.transmit(bytes);
      if (sent === bytes.length) return "sent";
      if (!this.line.lineFault && this.present()) return "rejected";
    }
    this.cardLeft();
    return "removed";
  }

  async receive(count: number, timeoutEtu: number): Promise<Received> {
    const bytes = new Uint8Array(count);
    const got = this.line.receive(bytes, count, Math.max(1, Math.ceil(timeoutEtu)));
    const received = bytes.subarray(0, got);
    const parityErrors = this.line.parityErrors;
    if (got < count && !this.present()) {
      this.cardLeft();
      return { bytes: received, end: "removed", parityErrors };
    }
    return { bytes: received, end: got === count ? "complete" : "timeout", parityErrors };
  }

  async deactivate(): Promise<void> {
    // 6.4: the TDA8035 runs the deactivation sequence when CMDVCCN goes high.
    this.cardLeft();
  }

  /** The card left while active: deactivate at once (EMV Book 1, 6.1.5: the terminal deactivates on removal). */
  private cardLeft(): void {
    this.rstin.write(0);
    this.cmdvcc.write(1);
    this.active = false;
  }
}
