import { concat } from "../../kernel/bytes";
import { decodeBlock, encodeBlock, type T1Block } from "../../kernel/iso7816/t1-block";
import { T1_BGT_ETU, t1BlockWaitingTimeEtu, t1CharWaitingTimeEtu } from "../../kernel/iso7816/timing";
import { processingEtu, type CardChar, type CardContext, type CardProtocol } from "./card-line";
import { faultsOf } from "./faults";

// The card's side of T=1 (ISO/IEC 7816-3:2006, clause 11): it gathers the terminal's blocks,
// acknowledges chained I-blocks, answers with its own I-blocks chained to the terminal's IFSD,
// asks for waiting time extensions while it computes, honours R-block retransmission requests,
// S(IFS) and S(RESYNCH), and answers invalid blocks with R-blocks.

export interface T1CardOptions {
  /** From the card's ATR: IFSC (TA3), BWI and CWI (TB3). */
  ifsc: number;
  bwi: number;
  cwi: number;
}

export class T1Card implements CardProtocol {
  private rx: number[] = [];
  private rxCorrupt = false;
  /** N(S) of the card's next new I-block; the N(S) it expects from the terminal. */
  private ns = 0;
  private nr = 0;
  /** The terminal's receive size: 32 until it announces its own (11.4.2). */
  private ifsd = 32;
  private chainIn: Uint8Array[] = [];
  /** Response chunks still to send after the one in flight. */
  private outChunks: Uint8Array[] = [];
  private lastSent: { block: T1Block; index: number } | null = null;
  /** Blocks the card sends after the terminal answered its S-request (WTX, IFS). */
  private steps: { block: T1Block; delayEtu: number }[] = [];
  /** The WTX the terminal granted, for the slow-card timing of the next block. */
  private granted = 1;
  private blocksInApdu = 0;
  /** A command was counted at its first block, which has not been accepted yet. */
  private awaitingFirst = false;
  /** The card's processing time, spent before the first response block (after any S-requests). */
  private pendingDelay = 0;
  /** The card's own receive size, from its ATR or its last S(IFS request). */
  private ifsc: number;
  private edcUsed = new Map<string, number>();

  constructor(private readonly ctx: CardContext, private readonly options: T1CardOptions) {
    this.ifsc = options.ifsc;
  }

  onByte(byte: number, corrupt: boolean): CardChar[] {
    this.rx.push(byte);
    this.rxCorrupt = this.rxCorrupt || corrupt;
    if (this.rx.length === 2) this.recogniseCommand();
    if (this.rx.length < 3) return [];
    const len = this.rx[2];
    if (this.rx.length < 4 + len) return [];
    const bytes = new Uint8Array(this.rx);
    const bad = this.rxCorrupt;
    this.rx = [];
    this.rxCorrupt = false;
    if (this.ctx.muted()) return [];
    return this.onBlock(bytes, bad);
  }

  /**
   * At the PCB of a block: an I-block with the expected N(S) while nothing is outstanding starts a
   * new command APDU (NAD and PCB belong to it). A command resent after RESYNCH is not counted again.
   */
  private recogniseCommand(): void {
    const pcb = this.rx[1];
    const idle = this.chainIn.length === 0 && this.outChunks.length === 0 && this.steps.length === 0;
    if ((pcb & 0x80) === 0 && ((pcb >> 6) & 1) === this.nr && idle && !this.awaitingFirst) {
      this.ctx.beginApdu(2);
      this.blocksInApdu = 0;
      this.awaitingFirst = true;
    }
  }

  private bwtEtu(): number {
    return t1BlockWaitingTimeEtu(this.options.bwi, this.ctx.Fi(), this.ctx.Di());
  }

  private onBlock(bytes: Uint8Array, corrupt: boolean): CardChar[] {
    const decoded = decodeBlock(bytes, this.ifsc);
    if (corrupt || !decoded.ok) {
      // 11.6.3 rule 7.1: ask again for the block expected, saying why.
      const edc = corrupt || (!decoded.ok && decoded.reason === "LRC error");
      return this.send({ kind: "R", nr: this.nr, error: edc ? 1 : 2 }, 0, false);
    }
    const block = decoded.block;
    switch (block.kind) {
      case "I":
        return this.onIBlock(block);
      case "R":
        if (this.outChunks.length > 0 && this.lastSent && this.lastSent.block.kind === "I" && block.nr !== this.lastSent.block.ns) {
          // The terminal acknowledges a chained block: the next one (rule 5).
          return this.sendChunk(0);
        }
        return this.retransmit();
      case "S":
        return this.onSBlock(block);
    }
  }

  private onIBlock(block: T1Block & { kind: "I" }): CardChar[] {
    if (block.ns !== this.nr) return this.retransmit(); // a block the card already has
    this.nr ^= 1;
    this.awaitingFirst = false;
    this.chainIn.push(block.inf);
    if (block.more) return this.send({ kind: "R", nr: this.nr, error: 0 }, 0, true);
    const command = concat(...this.chainIn);
    this.chainIn = [];
    const response = this.ctx.applet.process(command);
    this.outChunks = [];
    for (let o = 0; o < response.length; o += this.ifsd) this.outChunks.push(response.slice(o, o + this.ifsd));
    if (this.outChunks.length === 0) this.outChunks.push(new Uint8Array([0x6f, 0x00]));
    const work = processingEtu(this.ctx, command);
    const apdu = this.ctx.apdu();
    const steps: { block: T1Block; delayEtu: number }[] = [];
    for (const f of faultsOf(this.ctx.faults, "ifs-request", apdu)) {
      steps.push({ block: { kind: "S", type: "ifs", response: false, inf: new Uint8Array([f.ifsc]) }, delayEtu: 0 });
    }
    for (const f of faultsOf(this.ctx.faults, "wtx-storm", apdu)) {
      for (let i = 0; i < f.count; i++) {
        steps.push({ block: { kind: "S", type: "wtx", response: false, inf: new Uint8Array([f.multiplier ?? 1]) }, delayEtu: 0 });
      }
    }
    // 11.6.2 rule 3: computing longer than BWT allows, the card asks for a waiting time extension.
    const bwt = this.bwtEtu();
    if (work > bwt / 2) {
      const m = Math.min(255, Math.ceil((work + T1_BGT_ETU) / bwt));
      steps.push({ block: { kind: "S", type: "wtx", response: false, inf: new Uint8Array([m]) }, delayEtu: 0 });
    }
    this.steps = steps;
    this.pendingDelay = work;
    return this.nextStep();
  }

  private nextStep(): CardChar[] {
    const step = this.steps.shift();
    if (!step) return this.sendChunk(this.pendingDelay);
    return this.send(step.block, step.delayEtu, true);
  }

  private onSBlock(block: T1Block & { kind: "S" }): CardChar[] {
    if (!block.response) {
      if (block.type === "ifs") {
        this.ifsd = block.inf[0];
        return this.send({ kind: "S", type: "ifs", response: true, inf: block.inf }, 0, true);
      }
      if (block.type === "resynch") {
        // 11.6.3 rule 6: both sides start again from the initial state.
        this.ns = 0;
        this.nr = 0;
        this.ifsd = 32;
        this.chainIn = [];
        this.outChunks = [];
        this.steps = [];
        this.lastSent = null;
        this.awaitingFirst = this.ctx.apdu() > 0;
        return this.send({ kind: "S", type: "resynch", response: true, inf: new Uint8Array(0) }, 0, true);
      }
      return this.send({ kind: "R", nr: this.nr, error: 2 }, 0, false);
    }
    const last = this.lastSent ? this.lastSent.block : null;
    if (last && last.kind === "S" && !last.response && last.type === block.type) {
      if (block.type === "wtx") this.granted = block.inf[0] || 1;
      if (block.type === "ifs") this.ifsc = block.inf[0];
      return this.nextStep();
    }
    return this.send({ kind: "R", nr: this.nr, error: 2 }, 0, false);
  }

  /** The next response chunk as an I-block (chained while more follow). */
  private sendChunk(delayEtu: number): CardChar[] {
    const inf = this.outChunks.shift() as Uint8Array;
    const block: T1Block = { kind: "I", ns: this.ns, more: this.outChunks.length > 0, inf };
    this.ns ^= 1;
    return this.send(block, delayEtu, true);
  }

  /** 11.6.3 rule 7: the terminal did not get the card's last block; send it again. */
  private retransmit(): CardChar[] {
    if (!this.lastSent) return this.send({ kind: "R", nr: this.nr, error: 2 }, 0, false);
    return this.emit(this.lastSent.block, this.lastSent.index, 0);
  }

  /** A block to send; `remember` keeps it for retransmission (R-blocks asking again are not kept). */
  private send(block: T1Block, delayEtu: number, remember: boolean): CardChar[] {
    const index = this.blocksInApdu++;
    if (remember || !this.lastSent) this.lastSent = { block, index };
    return this.emit(block, index, delayEtu);
  }

  private emit(block: T1Block, index: number, delayEtu: number): CardChar[] {
    const bytes = encodeBlock(block);
    const apdu = this.ctx.apdu();
    for (const f of faultsOf(this.ctx.faults, "edc", apdu)) {
      const which = f.block ?? 0;
      if (which !== "all" && which !== index) continue;
      const key = which === "all" ? `${apdu}:all` : `${apdu}:${index}`;
      const used = this.edcUsed.get(key) ?? 0;
      if (used < f.times) {
        this.edcUsed.set(key, used + 1);
        bytes[bytes.length - 1] ^= 0x5a; // a wrong LRC (11.4.4)
      }
    }
    const slow = faultsOf(this.ctx.faults, "slow", apdu)[0];
    const slowBlock = slow && (slow.what ?? "both") !== "char";
    const slowChar = slow && (slow.what ?? "both") !== "block";
    const first = slowBlock ? this.bwtEtu() * this.granted + slow.marginEtu : T1_BGT_ETU + delayEtu;
    const next = slowChar ? t1CharWaitingTimeEtu(this.options.cwi) + slow.marginEtu : 11;
    this.granted = 1;
    const chars: CardChar[] = [];
    for (let i = 0; i < bytes.length; i++) chars.push({ byte: bytes[i], delayEtu: i === 0 ? first : next });
    return chars;
  }
}
