import type { Clock } from "../../hal/clock";
import {
  ATR_LINE_SETTINGS, type ActivationResult, type ContactSlot, type LineSettings, type Received, type ResetKind, type SendResult,
} from "../../hal/contact-slot";
import { fromHex } from "../../kernel/bytes";
import { parseAtr, type Atr } from "../../kernel/iso7816/atr";
import type { IccApplet } from "./applet";
import type { CardChar, CardContext, CardProtocol } from "./card-line";
import { T0Card, T0_INCOMING_INS } from "./card-t0";
import { T1Card } from "./card-t1";
import { faultsOf, type IccFault } from "./faults";
import { LineLog, type LineSegment, type LineStats } from "./line-log";

export type { ExchangeTiming, LineSegment, LineStats } from "./line-log";

// A contact ICC at the byte level behind a ContactSlot, with a line-time model: every character
// takes its place on a modeled time line in card clock cycles (ISO/IEC 7816-3:2006, 7.1: 1 etu =
// Fi / Di clock cycles), with the guard times of the settings, the card's processing time, the
// T=0 character repetitions and the activation. The modeled time is the time a real reader with
// this card would spend on the line; it also drives the Clock the kernel gets (`clock`).

/** EMV Book 1's basic ATRs: T=0 '3B 60 00 00'; T=1 with IFSC 254, BWI 4, CWI 5 and TCK. */
export const DEFAULT_ATR_T0 = "3B600000";
export const DEFAULT_ATR_T1 = "3BE000008131FE45EB";

/** RST stays low 40 000 clock cycles before it rises (EMV Book 1, 6.1: at least 40 000). */
const RST_LOW_CLOCKS = 40000;
/** A repeated character starts about 14 etu after the one it repeats (ISO/IEC 7816-3:2006, 7.3). */
const REPEAT_ETU = 14;
const DEFAULT_CLOCK_HZ = 3_571_200;
const DEFAULT_ATR_DELAY_CLOCKS = 10000;

export interface VirtualIccOptions {
  applet: IccApplet;
  protocol: 0 | 1;
  /** The ATR after a cold reset (hex or bytes); the EMV basic ATR of the protocol by default. */
  atr?: string | Uint8Array;
  /** The ATR after a warm reset; the cold one by default. */
  warmAtr?: string | Uint8Array;
  faults?: IccFault[];
  /** The card clock the front end provides, Hz (EMV: 1 to 5 MHz). */
  clockHz?: number;
  /** Clock cycles from RST rising to TS (ISO/IEC 7816-3:2006, 8.1: 400 to 40 000). */
  atrDelayClocks?: number;
  /** T=0: tells from a header whether P3 is Lc; by default from the INS (card-t0.ts). */
  t0Incoming?: (header: Uint8Array) => boolean;
  /** T=0: one ACK for all data ("all", default) or INS xor FF before every byte ("each"). */
  t0AckMode?: "all" | "each";
  /** Whether the card is in the slot at the start (default true). */
  present?: boolean;
  /** Keep a trace of the characters on the line (see VirtualIcc.trace). */
  trace?: boolean;
}

export interface VirtualIcc extends ContactSlot {
  /** A Clock that reads the modeled time (for openContactCard). */
  readonly clock: Clock;
  /** Modeled time so far, µs. */
  readonly modeledUs: number;
  /** True while the card is powered (between activation and deactivation or removal). */
  readonly active: boolean;
  stats(): LineStats;
  /** The characters on the line since the virtual ICC was made (when made with `trace: true`). */
  trace(): LineSegment[];
  /** The cardholder puts the card in / pulls it out. */
  insert(): void;
  remove(): void;
}

function bytesOf(v: string | Uint8Array): Uint8Array {
  return typeof v === "string" ? fromHex(v) : v.slice();
}

interface QueuedChar extends CardChar {
  /** Leading edge in clock cycles, fixed once the previous character is on the line. */
  due?: number;
}

class VirtualIccSlot implements VirtualIcc {
  readonly clockHz: number;
  readonly clock: Clock;
  private readonly applet: IccApplet;
  private readonly protocol: 0 | 1;
  private readonly coldAtr: Uint8Array;
  private readonly warmAtrBytes: Uint8Array;
  private readonly faults: IccFault[];
  private readonly atrDelayClocks: number;
  private readonly t0Incoming: (header: Uint8Array) => boolean;
  private readonly t0AckMode: "all" | "each";
  private present: boolean;
  private powered = false;
  private settings: LineSettings = { ...ATR_LINE_SETTINGS };
  private card: CardProtocol | null = null;
  private queue: QueuedChar[] = [];
  /** Modeled time and the leading edge of the last character on the line, in clock cycles. */
  private now = 0;
  private lastEdge = 0;
  private lastDir: "none" | "terminal" | "card" = "none";
  /** Leading edges of the characters of the current send, and the modeled time before each. */
  private sendEdges: number[] = [];
  private sendNowBefore: number[] = [];
  private apduIndex = 0;
  private apduChars = 0;
  private apduToCard = 0;
  private apduToTerminal = 0;
  private apduTotal = 0;
  private charsToCard = 0;
  private charsToTerminal = 0;
  private resets = 0;
  private atrClocks = 0;
  private readonly log: LineLog;

  constructor(options: VirtualIccOptions) {
    this.applet = options.applet;
    this.protocol = options.protocol;
    this.coldAtr = bytesOf(options.atr ?? (options.protocol === 0 ? DEFAULT_ATR_T0 : DEFAULT_ATR_T1));
    this.warmAtrBytes = options.warmAtr !== undefined ? bytesOf(options.warmAtr) : this.coldAtr;
    if (this.coldAtr.length === 0 || this.warmAtrBytes.length === 0) throw new RangeError("virtual ICC: an ATR needs at least TS");
    this.faults = options.faults ? options.faults.slice() : [];
    this.clockHz = options.clockHz ?? DEFAULT_CLOCK_HZ;
    this.atrDelayClocks = options.atrDelayClocks ?? DEFAULT_ATR_DELAY_CLOCKS;
    this.t0Incoming = options.t0Incoming ?? ((h) => T0_INCOMING_INS.has(h[1]));
    this.t0AckMode = options.t0AckMode ?? "all";
    this.present = options.present ?? true;
    this.log = new LineLog(options.trace === true, this.clockHz);
    this.clock = {
      nowMs: () => (this.now * 1000) / this.clockHz,
      sleep: async (ms: number) => {
        if (ms > 0) this.now += (ms * this.clockHz) / 1000;
      },
    };
  }

  get active(): boolean {
    return this.powered;
  }

  get modeledUs(): number {
    return this.log.toUs(this.now);
  }

  private etuClocks(): number {
    return this.settings.Fi / this.settings.Di;
  }

  stats(): LineStats {
    return {
      apdus: this.apduTotal,
      modeledUs: this.modeledUs,
      atrUs: this.log.toUs(this.atrClocks),
      charsToCard: this.charsToCard,
      charsToTerminal: this.charsToTerminal,
      resets: this.resets,
      exchanges: this.log.timings(),
    };
  }

  trace(): LineSegment[] {
    return this.log.trace();
  }

  insert(): void {
    this.present = true;
  }

  remove(): void {
    this.present = false;
    this.powered = false;
    this.queue = [];
    this.card = null;
  }

  async cardPresent(): Promise<boolean> {
    return this.present;
  }

  async activate(kind: ResetKind, firstCharClocks: number): Promise<ActivationResult> {
    if (!this.present) return { kind: "removed" };
    if (kind === "warm" && !this.powered) throw new Error("virtual ICC: warm reset of a card that is not powered");
    // Cold: VCC, CLK, then RST low; warm: RST low with VCC and CLK on (ISO/IEC 7816-3:2006, 6.2).
    this.now = Math.max(this.now, this.lastEdge) + RST_LOW_CLOCKS;
    this.powered = true;
    this.resets++;
    this.settings = { ...ATR_LINE_SETTINGS };
    this.queue = [];
    this.card = null;
    this.apduIndex = 0;
    this.apduChars = 0;
    this.apduToCard = 0;
    this.apduToTerminal = 0;
    this.applet.reset(kind);
    const atr = kind === "cold" ? this.coldAtr : this.warmAtrBytes;
    const mute = this.faults.some((f) => f.kind === "mute" && f.apdu === undefined);
    if (mute || this.atrDelayClocks > firstCharClocks) {
      this.now += firstCharClocks;
      this.lastEdge = this.now;
      this.lastDir = "none";
      return { kind: "mute" };
    }
    const rstHigh = this.now;
    const ts = this.now + this.atrDelayClocks;
    this.lastEdge = ts;
    this.lastDir = "card";
    this.now = ts + 12 * 372;
    this.charsToTerminal++;
    this.apduToTerminal++; // TS is character 0 of "APDU 0"
    this.apduChars++;
    this.log.record("to-terminal", atr[0], ts);
    const gap = this.faults.find((f): f is Extract<IccFault, { kind: "atr-gap" }> => f.kind === "atr-gap");
    const gapEtu = gap ? gap.gapEtu : 12;
    this.queue = Array.from(atr.subarray(1), (byte) => ({ byte, delayEtu: gapEtu }));
    this.atrClocks = ts - rstHigh + ((atr.length - 1) * gapEtu + 12) * 372;
    this.card = this.makeCard(atr);
    return { kind: "ts", ts: atr[0] };
  }

  /** The card-side protocol, run with the parameters of the ATR the card just sent. */
  private makeCard(atrBytes: Uint8Array): CardProtocol {
    let atr: Atr | null = null;
    try {
      atr = parseAtr(atrBytes);
    } catch {
      atr = null;
    }
    const ctx: CardContext = {
      applet: this.applet,
      faults: this.faults,
      apdu: () => this.apduIndex,
      beginApdu: (retro: number) => this.beginApdu(retro),
      muted: () => this.faults.some((f) => f.kind === "mute" && f.apdu !== undefined && this.apduIndex >= f.apdu),
      etuMicros: () => (this.etuClocks() * 1e6) / this.clockHz,
      Fi: () => this.settings.Fi,
      Di: () => this.settings.Di,
    };
    if (this.protocol === 0) {
      return new T0Card(ctx, { wi: atr ? atr.wi : 10, incoming: this.t0Incoming, ackMode: this.t0AckMode });
    }
    const t1 = atr && atr.t1 ? atr.t1 : { ifsc: 32, bwi: 4, cwi: 13 };
    return new T1Card(ctx, { ifsc: t1.ifsc, bwi: t1.bwi, cwi: t1.cwi });
  }

  /** The card recognised a new command; `retro` of the terminal's last characters belong to it. */
  private beginApdu(retro: number): void {
    this.apduIndex++;
    this.apduTotal++;
    this.apduChars = retro;
    this.apduToCard = retro;
    this.apduToTerminal = 0;
    const first = Math.max(0, this.sendEdges.length - retro);
    // The previous command ended before the characters that turned out to start this one.
    this.log.begin(this.apduIndex, this.sendEdges[first] ?? this.lastEdge, this.now, this.sendNowBefore[first]);
  }

  configure(settings: LineSettings): void {
    this.settings = { ...settings };
  }

  async send(bytes: Uint8Array): Promise<SendResult> {
    if (!this.present) return "removed";
    if (!this.powered) throw new Error("virtual ICC: send to a card that is not active");
    this.queue = []; // a half-duplex line: what the card had still to say is lost
    const etu = this.etuClocks();
    const s = this.settings;
    const after = this.lastDir === "card" ? s.turnaroundEtu : this.lastDir === "terminal" ? s.terminalCharEtu : 0;
    let edge = Math.max(this.now, this.lastEdge + after * etu);
    this.sendEdges = [];
    this.sendNowBefore = [];
    for (let i = 0; i < bytes.length; i++) {
      if (i > 0) edge = this.lastEdge + s.terminalCharEtu * etu;
      let corrupt = false;
      const times = this.parityTimes("to-card", this.apduToCard);
      if (times > 0) {
        if (s.repeats > 0) {
          // 7.3: the card signals the error, the terminal repeats, up to `repeats` times.
          edge += Math.min(times, s.repeats) * REPEAT_ETU * etu;
          if (times > s.repeats) {
            this.place(edge, "terminal", s.terminalCharEtu);
            return "rejected";
          }
        } else corrupt = true;
      }
      this.sendNowBefore.push(this.now);
      this.place(edge, "terminal", s.terminalCharEtu);
      this.sendEdges.push(edge);
      this.log.record("to-card", bytes[i], edge);
      this.charsToCard++;
      this.apduToCard++;
      this.apduChars++;
      const out = this.card ? this.card.onByte(bytes[i], corrupt) : [];
      this.touch();
      for (const c of out) this.queue.push({ byte: c.byte, delayEtu: c.delayEtu });
      if (this.removalDue()) {
        this.remove();
        return "removed";
      }
    }
    return "sent";
  }

  async receive(count: number, timeoutEtu: number): Promise<Received> {
    const out: number[] = [];
    let parityErrors = 0;
    const result = (end: Received["end"]): Received => ({ bytes: new Uint8Array(out), end, parityErrors });
    if (!this.present) return result("removed");
    if (!this.powered) throw new Error("virtual ICC: receive from a card that is not active");
    const etu = this.etuClocks();
    const s = this.settings;
    const cardCharEtu = this.card === null || this.protocol === 0 ? 12 : 11;
    while (out.length < count) {
      const head = this.queue[0];
      const limit = this.lastEdge + timeoutEtu * etu;
      if (head && head.due === undefined) head.due = this.lastEdge + head.delayEtu * etu;
      if (!head || (head.due as number) > limit) {
        this.now = Math.max(this.now, limit);
        return result("timeout");
      }
      this.queue.shift();
      let edge = head.due as number;
      const times = this.parityTimes("to-terminal", this.apduToTerminal);
      let bad = false;
      if (times > 0) {
        if (s.repeats > 0) {
          edge += Math.min(times, s.repeats) * REPEAT_ETU * etu;
          bad = times > s.repeats;
        } else bad = true;
      }
      this.place(edge, "card", cardCharEtu);
      this.log.record("to-terminal", head.byte, edge);
      this.charsToTerminal++;
      this.apduToTerminal++;
      this.apduChars++;
      this.touch();
      out.push(head.byte);
      if (bad) parityErrors++;
      if (this.removalDue()) {
        this.remove();
        return result("removed");
      }
    }
    return result("complete");
  }

  async deactivate(): Promise<void> {
    this.powered = false;
    this.queue = [];
    this.card = null;
  }

  private place(edge: number, dir: "terminal" | "card", charEtu: number): void {
    this.lastEdge = edge;
    this.lastDir = dir;
    this.now = Math.max(this.now, edge + charEtu * this.etuClocks());
  }

  private touch(): void {
    this.log.touch(this.apduIndex, this.now);
  }

  private parityTimes(direction: "to-terminal" | "to-card", index: number): number {
    let times = 0;
    for (const f of faultsOf(this.faults, "parity", this.apduIndex)) {
      if (f.direction === direction && f.char === index && (f.apdu !== undefined || this.apduIndex > 0)) times += f.times;
    }
    return times;
  }

  private removalDue(): boolean {
    return this.faults.some((f) => f.kind === "remove" && f.apdu === this.apduIndex && this.apduChars >= f.afterChars);
  }
}

/** A virtual contact card in a virtual slot (see VirtualIccOptions). */
export function createVirtualIcc(options: VirtualIccOptions): VirtualIcc {
  return new VirtualIccSlot(options);
}
