import { toHex } from "../../kernel/bytes";

// What the virtual ICC records of its line: the modeled time of every command APDU from its first
// to its last character, and (on request) the characters themselves grouped by direction, as a
// protocol analyser between reader and card would show them. Times are card clock cycles inside,
// microseconds outside.

/** Characters in one direction in a row. */
export interface LineSegment {
  dir: "to-card" | "to-terminal";
  hex: string;
  /** Leading edge of the first character, µs of modeled time. */
  atUs: number;
}

/** The modeled line time of one command APDU, from its first to its last character. */
export interface ExchangeTiming {
  apdu: number;
  startUs: number;
  endUs: number;
  us: number;
}

export interface LineStats {
  /** Command APDUs the card started since the virtual ICC was made (all resets). */
  apdus: number;
  /** Modeled time since the virtual ICC was made, µs (activation, ATR, all exchanges, pauses). */
  modeledUs: number;
  /** Modeled time of the last answer to reset, from RST rising to the end of the last ATR character. */
  atrUs: number;
  charsToCard: number;
  charsToTerminal: number;
  resets: number;
  /** One entry per command APDU, in order. */
  exchanges: ExchangeTiming[];
}

export class LineLog {
  private readonly exchanges: { apdu: number; start: number; end: number }[] = [];
  private readonly segments: { dir: "to-card" | "to-terminal"; bytes: number[]; at: number }[] = [];

  constructor(private readonly tracing: boolean, private readonly clockHz: number) {}

  toUs(clocks: number): number {
    return Math.round((clocks * 1e6) / this.clockHz);
  }

  /** A character on the line, its leading edge at `edge`. */
  record(dir: "to-card" | "to-terminal", byte: number, edge: number): void {
    if (!this.tracing) return;
    const last = this.segments[this.segments.length - 1];
    if (last && last.dir === dir) last.bytes.push(byte);
    else this.segments.push({ dir, bytes: [byte], at: edge });
  }

  /** APDU `apdu` starts at `start`; the previous one ended at `previousEnd` at the latest. */
  begin(apdu: number, start: number, now: number, previousEnd: number | undefined): void {
    const previous = this.exchanges[this.exchanges.length - 1];
    if (previous && previousEnd !== undefined) previous.end = Math.min(previous.end, previousEnd);
    this.exchanges.push({ apdu, start, end: now });
  }

  /** The line was busy until `now` within APDU `apdu`. */
  touch(apdu: number, now: number): void {
    const e = this.exchanges[this.exchanges.length - 1];
    if (e && e.apdu === apdu && apdu > 0) e.end = now;
  }

  timings(): ExchangeTiming[] {
    return this.exchanges.map((e) => ({
      apdu: e.apdu, startUs: this.toUs(e.start), endUs: this.toUs(e.end), us: this.toUs(e.end) - this.toUs(e.start),
    }));
  }

  trace(): LineSegment[] {
    return this.segments.map((g) => ({ dir: g.dir, hex: toHex(new Uint8Array(g.bytes)), atUs: this.toUs(g.at) }));
  }
}
