import type { ContactSlot } from "../../hal/contact-slot";
import { concat } from "../bytes";
import { parseCommandApdu, type ApduTransport } from "./apdu";
import { CardMuteError, CardRemovedError, ProtocolError } from "./errors";
import { abandon } from "./line";
import { decodeBlock, encodeBlock, type DecodedBlock, type T1Block } from "./t1-block";
import { t1BlockTimeoutEtu, t1CharTimeoutEtu } from "./timing";

// T=1, the block protocol (ISO/IEC 7816-3:2006, clause 11; EMV Book 1, 9.2.4 and 9.2.5), seen
// from the terminal:
// - after the ATR the terminal announces IFSD = 254 with S(IFS request) (EMV Book 1, 9.2.4);
// - a command APDU longer than IFSC goes in chained I-blocks, each acknowledged by R(N(R));
//   a response longer than IFSD comes chained, the terminal acknowledging each (11.6.2);
// - S(WTX request) from the card stretches the next block waiting time; S(IFS request) resizes IFSC;
// - an invalid block (parity, LRC, LEN, PCB) is answered with an R-block asking for it again, and a
//   request for retransmission from the card is honoured (11.6.3 rules 7); after the third
//   failure in a row the terminal sends S(RESYNCH request) up to three times (rule 6), then
//   deactivates the card;
// - no block within BWT (+ D x 960 etu) deactivates the card: the card is mute.

export interface T1Options {
  slot: ContactSlot;
  Fi: number;
  Di: number;
  /** From the ATR (TA3, TB3). */
  ifsc: number;
  bwi: number;
  cwi: number;
  /** The terminal's receive size announced by S(IFS request); EMV: 254. */
  ifsd?: number;
  /** S-requests in a row from the card (WTX, IFS) taken as a fault. */
  maxCardRequests?: number;
}

/** A block is retransmitted at most twice; the third failure calls for RESYNCH (11.6.3). */
const MAX_RETRIES = 2;
/** S(RESYNCH request) is sent at most three times before deactivation (11.6.3 rule 6). */
const MAX_RESYNCH = 3;
const DEFAULT_MAX_CARD_REQUESTS = 1000;
/** Guards against a card that chains for ever; EMV responses are at most 256 + 2 bytes. */
const MAX_RESPONSE_BYTES = 4096;

class RetriesExhausted extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

/** The T=1 transport of command APDUs (ISO/IEC 7816-3:2006, 12.3). */
export class T1Transport implements ApduTransport {
  private readonly slot: ContactSlot;
  private readonly Fi: number;
  private readonly Di: number;
  private readonly bwi: number;
  private readonly cwtTimeout: number;
  private readonly ifsd: number;
  private readonly initialIfsc: number;
  private readonly maxCardRequests: number;
  private ifsc: number;
  /** N(S) of the terminal's next I-block, and the N(S) the terminal expects from the card. */
  private ns = 0;
  private nr = 0;
  /** The WTX multiplier for the next block waiting time (11.6.2 rule 3), 1 when none. */
  private wtx = 1;

  constructor(options: T1Options) {
    this.slot = options.slot;
    this.Fi = options.Fi;
    this.Di = options.Di;
    this.bwi = options.bwi;
    this.cwtTimeout = t1CharTimeoutEtu(options.cwi);
    this.ifsd = options.ifsd ?? 254;
    this.ifsc = options.ifsc;
    this.initialIfsc = options.ifsc;
    this.maxCardRequests = options.maxCardRequests ?? DEFAULT_MAX_CARD_REQUESTS;
  }

  /** The card's current IFSC (it may change it with S(IFS request)). */
  get currentIfsc(): number {
    return this.ifsc;
  }

  /** EMV Book 1, 9.2.4: the first block after the ATR is S(IFS request) with IFSD 254. */
  async start(): Promise<void> {
    const request: T1Block = { kind: "S", type: "ifs", response: false, inf: new Uint8Array([this.ifsd]) };
    try {
      await this.exchange(request);
    } catch (e) {
      if (e instanceof RetriesExhausted) return abandon(this.slot, new ProtocolError(`T=1: S(IFS request) failed: ${e.why}`));
      throw e;
    }
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    parseCommandApdu(command); // a malformed command is the caller's error, before any byte moves
    // At most MAX_RESYNCH S(RESYNCH request) for one command, whether they fail or the command
    // fails again after them.
    const budget = { resynch: MAX_RESYNCH };
    for (;;) {
      try {
        return await this.sendApdu(command);
      } catch (e) {
        if (!(e instanceof RetriesExhausted)) throw e;
        await this.resynchronise(e.why, budget);
      }
    }
  }

  /** 11.6.2: the command in I-blocks of at most IFSC bytes, then the response, chained or not. */
  private async sendApdu(command: Uint8Array): Promise<Uint8Array> {
    let reply: T1Block | undefined;
    for (let offset = 0; offset < command.length;) {
      const size = Math.min(this.ifsc, command.length - offset);
      const more = offset + size < command.length;
      const block: T1Block = { kind: "I", ns: this.ns, more, inf: command.subarray(offset, offset + size) };
      reply = await this.exchange(block);
      this.ns ^= 1;
      offset += size;
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const block = reply as T1Block & { kind: "I" };
      this.nr ^= 1;
      parts.push(block.inf);
      total += block.inf.length;
      if (total > MAX_RESPONSE_BYTES) {
        return abandon(this.slot, new ProtocolError(`T=1: more than ${MAX_RESPONSE_BYTES} response bytes`));
      }
      if (!block.more) break;
      // 11.6.2 rule 5: acknowledge a chained block from the card with R(N(R) = next expected N(S)).
      reply = await this.exchange({ kind: "R", nr: this.nr, error: 0 });
    }
    const response = concat(...parts);
    if (response.length < 2) {
      return abandon(this.slot, new ProtocolError("T=1: a response APDU shorter than SW1 SW2"));
    }
    return response;
  }

  /**
   * Sends `sent` and returns the card's answer to it: R(N(R)) acknowledging a chained I-block,
   * the card's I-block, or the S-response to an S-request. Card S-requests (WTX, IFS) are answered
   * on the way; invalid blocks and retransmission requests are retried up to MAX_RETRIES, then
   * RetriesExhausted is thrown for the caller to resynchronise.
   */
  private async exchange(sent: T1Block): Promise<T1Block> {
    let errors = 0;
    let cardRequests = 0;
    const fail = async (why: string, retransmit: T1Block): Promise<void> => {
      if (++errors > MAX_RETRIES) throw new RetriesExhausted(why);
      await this.sendBlock(retransmit);
    };
    // 11.6.3 rule 7.1: an invalid block is answered with R(N(R) = expected N(S)), except while
    // an S-request is outstanding (rule 7.3), when the request itself is sent again.
    const askAgain = (error: 1 | 2): T1Block => (sent.kind === "S" ? sent : { kind: "R", nr: this.nr, error });
    await this.sendBlock(sent);
    for (;;) {
      const got = await this.receiveBlock();
      if (!got.ok) {
        await fail(got.reason, askAgain(got.reason === "LRC error" || got.reason === "parity error" ? 1 : 2));
        continue;
      }
      const rx = got.block;
      if (rx.kind === "S" && !rx.response) {
        if (++cardRequests > this.maxCardRequests) {
          return abandon(this.slot, new ProtocolError(`T=1: more than ${this.maxCardRequests} S-requests in a row`));
        }
        if (rx.type === "wtx" && rx.inf[0] >= 1) {
          // Rule 3: answer with the same multiplier; it applies to the next waiting time only.
          this.wtx = rx.inf[0];
          await this.sendBlock({ kind: "S", type: "wtx", response: true, inf: rx.inf });
          continue;
        }
        if (rx.type === "ifs" && rx.inf[0] >= 0x10 && rx.inf[0] <= 0xfe) {
          // Rule 4 (EMV Book 1, 9.2.4: IFSC '10' to 'FE').
          this.ifsc = rx.inf[0];
          await this.sendBlock({ kind: "S", type: "ifs", response: true, inf: rx.inf });
          continue;
        }
        if (rx.type === "abort") {
          return abandon(this.slot, new ProtocolError("T=1: the card aborted a chain, which EMV does not support"));
        }
        await fail(`card S(${rx.type} request) not acceptable`, askAgain(2));
        continue;
      }
      if (sent.kind === "S") {
        if (rx.kind === "S" && rx.response && rx.type === sent.type && equalInf(rx.inf, sent.inf)) return rx;
        await fail(`no S(${sent.type} response) to the request`, sent);
        continue;
      }
      if (rx.kind === "I") {
        if (!(sent.kind === "I" && sent.more) && rx.ns === this.nr) return rx;
        await fail("an I-block out of sequence", askAgain(2));
        continue;
      }
      if (rx.kind === "R") {
        if (sent.kind === "I" && rx.nr !== sent.ns) {
          if (sent.more) return rx; // rule 5: the card acknowledges a chained block
          await fail("an acknowledgement of an unchained block", askAgain(2));
          continue;
        }
        // Rules 7.2 and 7.4: the card did not get our last block and asks for it again.
        await fail("the card asked for retransmission", sent);
        continue;
      }
      await fail("an unexpected S-response", askAgain(2));
    }
  }

  /**
   * 11.6.3 rule 6: S(RESYNCH request) up to MAX_RESYNCH times; on the card's response both
   * sequence numbers restart at 0, IFSC returns to the ATR value and the terminal announces its IFSD
   * again before the command is sent anew. Without a response, deactivation.
   */
  private async resynchronise(why: string, budget: { resynch: number }): Promise<void> {
    const request: T1Block & { kind: "S" } = { kind: "S", type: "resynch", response: false, inf: new Uint8Array(0) };
    while (budget.resynch > 0) {
      budget.resynch--;
      try {
        await this.exchangeOnce(request);
        this.ns = 0;
        this.nr = 0;
        this.ifsc = this.initialIfsc;
        await this.start();
        return;
      } catch (e) {
        if (!(e instanceof RetriesExhausted)) throw e;
      }
    }
    return abandon(this.slot, new ProtocolError(`T=1: ${why}; no answer to ${MAX_RESYNCH} S(RESYNCH request)`));
  }

  /** One S-request, one answer: RetriesExhausted unless it is the matching S-response. */
  private async exchangeOnce(request: T1Block & { kind: "S" }): Promise<void> {
    await this.sendBlock(request);
    const got = await this.receiveBlock();
    if (got.ok && got.block.kind === "S" && got.block.response && got.block.type === request.type) return;
    throw new RetriesExhausted("no S(resynch response)");
  }

  private async sendBlock(block: T1Block): Promise<void> {
    const r = await this.slot.send(encodeBlock(block));
    if (r === "removed") await abandon(this.slot, new CardRemovedError());
    // "rejected" cannot happen: T=1 runs without error signal (ISO 7816-3, 11.2).
  }

  /**
   * Reads one block: its first character within BWT (x WTX) + D x 960 etu, the others within
   * CWT + 4 etu (EMV Book 1, 9.2.4). Silence before the first character is a mute card;
   * silence within the block, a parity error or a bad block make it invalid.
   */
  private async receiveBlock(): Promise<DecodedBlock> {
    const slot = this.slot;
    const bwt = t1BlockTimeoutEtu(this.bwi, this.Fi, this.Di, this.wtx);
    this.wtx = 1;
    const first = await slot.receive(1, bwt);
    if (first.end === "removed") return abandon(slot, new CardRemovedError());
    if (first.end === "timeout") return abandon(slot, new CardMuteError(`T=1: no block within ${bwt} etu`));
    let parity = first.parityErrors;
    const head = await slot.receive(2, this.cwtTimeout);
    if (head.end === "removed") return abandon(slot, new CardRemovedError());
    parity += head.parityErrors;
    if (head.end === "timeout") return { ok: false, reason: "character waiting time exceeded" };
    const len = head.bytes[1];
    if (len === 0xff || parity > 0) {
      await this.drain();
      return { ok: false, reason: parity > 0 ? "parity error" : "LEN 'FF' is reserved" };
    }
    const rest = await slot.receive(len + 1, this.cwtTimeout);
    if (rest.end === "removed") return abandon(slot, new CardRemovedError());
    if (rest.end === "timeout") return { ok: false, reason: "character waiting time exceeded" };
    if (rest.parityErrors > 0) return { ok: false, reason: "parity error" };
    const bytes = new Uint8Array(3 + rest.bytes.length);
    bytes[0] = first.bytes[0];
    bytes.set(head.bytes, 1);
    bytes.set(rest.bytes, 3);
    return decodeBlock(bytes, this.ifsd);
  }

  /**
   * After a block whose length is unknown: reads until the line is quiet for CWT. A block is at
   * most 3 + 254 + 1 characters, so a card still talking after two such lengths is broken.
   */
  private async drain(): Promise<void> {
    for (let round = 0; round < 2; round++) {
      const r = await this.slot.receive(258, this.cwtTimeout);
      if (r.end === "removed") return abandon(this.slot, new CardRemovedError());
      if (r.end === "timeout") return;
    }
    return abandon(this.slot, new ProtocolError("T=1: the card does not stop sending"));
  }
}

function equalInf(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
