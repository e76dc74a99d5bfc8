import { T0_TURNAROUND_ETU, t0WaitingTimeEtu } from "../../kernel/iso7816/timing";
import { processingEtu, splitResponse, type CardChar, type CardContext, type CardProtocol } from "./card-line";
import { faultsOf } from "./faults";

// The card's side of T=0 (ISO/IEC 7816-3:2006, 10.3 and 12.2): it reads the five-byte header,
// answers with procedure bytes, takes or gives the data, and maps the APDU of the applet behind
// it onto TPDUs: '61xx' and GET RESPONSE for data after a command with data in, '6Cxx' when the
// terminal asked for the wrong length, NULL bytes while it computes longer than the waiting time.

/** INS codes whose P3 is Lc (data to the card), after ISO/IEC 7816-4 and EMV Book 3, 6.5. */
export const T0_INCOMING_INS: ReadonlySet<number> = new Set([
  0x0e, 0x16, 0x18, 0x1e, 0x20, 0x22, 0x24, 0x2a, 0x2c, 0x82, 0x88, 0xa4, 0xa8, 0xae, 0xd6, 0xda, 0xdc, 0xe2,
]);

export interface T0CardOptions {
  /** WI of the card's ATR (TC2), 10 by default. */
  wi: number;
  /** Decides from a header whether P3 is Lc (true) or Le (false). */
  incoming: (header: Uint8Array) => boolean;
  /** "all": one ACK = INS for all the data; "each": INS xor FF before every byte. */
  ackMode: "all" | "each";
}

interface Pending {
  data: Uint8Array;
  sw1: number;
  sw2: number;
}

const INS_GET_RESPONSE = 0xc0;

/** The characters of one answer of the card, with the time rules of 10.2. */
class Burst {
  readonly chars: CardChar[] = [];
  private delay = T0_TURNAROUND_ETU;
  constructor(private readonly wwtEtu: number, private readonly slowMargin: number | null) {}

  /** The card computes for `etu`: when that passes half the waiting time it sends NULL bytes. */
  compute(etu: number): void {
    const interval = this.slowMargin !== null ? this.wwtEtu + this.slowMargin : Math.floor(this.wwtEtu / 2);
    let left = this.delay + etu;
    while (left > interval) {
      this.chars.push({ byte: 0x60, delayEtu: interval });
      left -= interval;
    }
    this.delay = Math.max(left, this.chars.length > 0 ? 12 : T0_TURNAROUND_ETU);
  }

  nulls(count: number, gapEtu: number): void {
    for (let i = 0; i < count; i++) this.emit(0x60, Math.max(12, gapEtu));
  }

  emit(byte: number, delay?: number): void {
    const d = this.slowMargin !== null ? this.wwtEtu + this.slowMargin : delay ?? this.delay;
    this.chars.push({ byte, delayEtu: d });
    this.delay = 12;
  }
}

export class T0Card implements CardProtocol {
  private header: number[] = [];
  private data: number[] = [];
  private expect = 0;
  /** CLA INS P1 P2 of the command whose data is coming. */
  private lastHead: number[] = [];
  /** The command being received was already counted at its first header byte. */
  private begun = false;
  private pending: Pending | null = null;
  /** The answer to a case 2 command kept for the resend after '6Cxx'. */
  private cached: { head: number[]; response: Uint8Array } | null = null;

  constructor(private readonly ctx: CardContext, private readonly options: T0CardOptions) {}

  onByte(byte: number): CardChar[] {
    if (this.expect > 0) {
      this.data.push(byte);
      this.expect--;
      if (this.expect > 0) {
        if (this.options.ackMode === "each" && !this.ctx.muted()) {
          const b = this.burst();
          b.emit(this.lastHead[1] ^ 0xff);
          return b.chars;
        }
        return [];
      }
      return this.commandWithData();
    }
    if (this.header.length === 0 && this.pending === null && this.cached === null) {
      // Nothing outstanding: whatever header starts here is a new command.
      this.ctx.beginApdu(1);
      this.begun = true;
    }
    this.header.push(byte);
    if (this.header.length < 5) return [];
    return this.onHeader();
  }

  private burst(): Burst {
    const slow = faultsOf(this.ctx.faults, "slow", this.ctx.apdu())[0];
    return new Burst(t0WaitingTimeEtu(this.options.wi, this.ctx.Di()), slow ? slow.marginEtu : null);
  }

  /** Procedure byte answering a header or data: NULL storms and bad procedure bytes go here. */
  private procedure(b: Burst, byte: number): void {
    for (const f of faultsOf(this.ctx.faults, "null-storm", this.ctx.apdu())) b.nulls(f.count, f.gapEtu ?? 12);
    const bad = faultsOf(this.ctx.faults, "bad-procedure", this.ctx.apdu())[0];
    b.emit(bad ? bad.byte : byte);
  }

  private onHeader(): CardChar[] {
    const head = this.header.slice(0, 4);
    const ins = this.header[1];
    const p3 = this.header[4];
    const fullHeader = new Uint8Array(this.header);
    this.header = [];
    const isGetResponse = head[0] === 0x00 && ins === INS_GET_RESPONSE && this.pending !== null;
    const cached = this.cached;
    const isResend = cached !== null && cached.head.every((v, i) => v === head[i]) && p3 === (cached.response.length - 2) % 256;
    if (!isGetResponse && !isResend) {
      if (!this.begun) this.ctx.beginApdu(5);
      this.pending = null;
      this.cached = null;
    }
    this.begun = false;
    if (this.ctx.muted()) return [];
    const b = this.burst();
    if ((ins & 0xf0) === 0x60 || (ins & 0xf0) === 0x90) {
      this.procedure(b, 0x6d);
      b.emit(0x00);
      return b.chars;
    }
    if (isGetResponse) {
      this.serve(b, ins, p3 === 0 ? 256 : p3, this.pending as Pending, true);
      return b.chars;
    }
    if (isResend && cached) {
      this.cached = null;
      const r = splitResponse(cached.response);
      this.serve(b, ins, p3 === 0 ? 256 : p3, { data: r.data, sw1: r.sw1, sw2: r.sw2 }, false);
      return b.chars;
    }
    if (this.options.incoming(fullHeader)) {
      if (p3 === 0) return this.answerIncoming(b, new Uint8Array(head));
      this.expect = p3;
      this.data = [];
      this.lastHead = head;
      this.procedure(b, this.options.ackMode === "each" ? ins ^ 0xff : ins);
      return b.chars;
    }
    // Case 2: P3 is Le ('00' = 256); the applet sees the command as the terminal meant it.
    const command = new Uint8Array([...head, p3]);
    b.compute(processingEtu(this.ctx, command));
    const response = this.ctx.applet.process(command);
    const r = splitResponse(response);
    const ne = p3 === 0 ? 256 : p3;
    if (r.data.length > 0 && r.data.length < ne) {
      // 12.2.3: wrong length; the card says how many it has, the terminal asks again.
      this.cached = { head, response };
      this.procedure(b, 0x6c);
      b.emit(r.data.length);
      return b.chars;
    }
    this.serve(b, ins, ne, r, false);
    return b.chars;
  }

  /** The data arrived: the applet sees a case 3 / case 4 command (Le '00', T=0 cannot tell them apart). */
  private commandWithData(): CardChar[] {
    const command = new Uint8Array([...this.lastHead, this.data.length, ...this.data, 0x00]);
    if (this.ctx.muted()) return [];
    return this.answerIncoming(this.burst(), command);
  }

  private answerIncoming(b: Burst, command: Uint8Array): CardChar[] {
    b.compute(processingEtu(this.ctx, command));
    const r = splitResponse(this.ctx.applet.process(command));
    if (r.data.length === 0) {
      this.procedure(b, r.sw1);
      b.emit(r.sw2);
      return b.chars;
    }
    const warning = r.sw1 === 0x62 || r.sw1 === 0x63 || ((r.sw1 & 0xf0) === 0x90 && !(r.sw1 === 0x90 && r.sw2 === 0x00));
    if (r.sw1 === 0x90 && r.sw2 === 0x00) {
      this.pending = { data: r.data, sw1: 0x90, sw2: 0x00 };
      this.procedure(b, 0x61);
      b.emit(r.data.length >= 256 ? 0x00 : r.data.length);
    } else if (warning) {
      // EMV Book 1, 9.3.1: the warning now, the data through GET RESPONSE.
      this.pending = { data: r.data, sw1: 0x90, sw2: 0x00 };
      this.procedure(b, r.sw1);
      b.emit(r.sw2);
    } else {
      this.procedure(b, r.sw1);
      b.emit(r.sw2);
    }
    return b.chars;
  }

  /** Gives `ne` bytes of `p` (ACK, data, then 61xx for the rest or the final status). */
  private serve(b: Burst, ins: number, ne: number, p: Pending, fromPending: boolean): void {
    if (p.data.length === 0) {
      this.procedure(b, p.sw1);
      b.emit(p.sw2);
      if (fromPending) this.pending = null;
      return;
    }
    if (ne > p.data.length) {
      this.pending = p;
      this.procedure(b, 0x6c);
      b.emit(p.data.length & 0xff);
      return;
    }
    const each = this.options.ackMode === "each";
    for (let i = 0; i < ne; i++) {
      if (i === 0) this.procedure(b, each ? ins ^ 0xff : ins);
      else if (each) b.emit(ins ^ 0xff);
      b.emit(p.data[i]);
    }
    const rest = p.data.slice(ne);
    if (rest.length > 0) {
      this.pending = { data: rest, sw1: p.sw1, sw2: p.sw2 };
      b.emit(0x61);
      b.emit(rest.length >= 256 ? 0x00 : rest.length);
    } else {
      this.pending = null;
      b.emit(p.sw1);
      b.emit(p.sw2);
    }
  }
}
