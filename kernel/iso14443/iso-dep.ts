import type { NfcController, RfReception } from "../../hal/nfc-controller";
import { concat } from "../bytes";
import type { ApduTransport } from "../iso7816/apdu";
import { encodeBlock, parseBlock, wtxMultiplier, type Block } from "./block";
import { RfProtocolError, RfTimeoutError, RfTransmissionError } from "./errors";
import { blockTimeoutUs } from "./timing";

// The PCD side of the half-duplex block transmission protocol, ISO/IEC 14443-4:2016, clause 7, with
// the error handling EMV Contactless Book D asks of a PCD: a command APDU goes out in I-blocks
// (chained when longer than the PICC's frame size), the response comes back in I-blocks (chained
// when longer than ours), the PICC may ask for more time with S(WTX), and a lost or damaged block is
// recovered with R-blocks, at most `maxRetransmissions` times in a row before the exchange fails.

export interface IsoDepParameters {
  /** The PICC's frame size FSC in bytes (prologue and CRC included), from FSCI. */
  fsc: number;
  /** The PCD's frame size FSD in bytes (what it offered in RATS or ATTRIB). */
  fsd: number;
  /** The PICC's frame waiting integer (ATS TB(1) or ATQB). */
  fwi: number;
  /** The CID the PCD addresses the PICC with, or undefined when it uses none (EMV: none). */
  cid?: number;
  /** Book D: a block is retransmitted at most twice before the PCD gives up (default 2). */
  maxRetransmissions?: number;
}

/** What one exchange cost, for the tap-time model and tests. */
export interface IsoDepCounters {
  blocksSent: number;
  blocksReceived: number;
  wtxRequests: number;
  retransmissions: number;
}

type Failure = "timeout" | "transmission" | "protocol";

export class IsoDepSession implements ApduTransport {
  private readonly controller: NfcController;
  private readonly params: IsoDepParameters;
  private readonly maxRetries: number;
  /** Rule 1 (7.5.4.2): the PCD's block number starts at 0 for each activated PICC. */
  private blockNumber: 0 | 1 = 0;
  private deselected = false;
  readonly counters: IsoDepCounters = { blocksSent: 0, blocksReceived: 0, wtxRequests: 0, retransmissions: 0 };

  constructor(options: { controller: NfcController; parameters: IsoDepParameters }) {
    const p = options.parameters;
    if (!Number.isInteger(p.fsc) || p.fsc < 16) throw new RangeError("ISO-DEP: FSC is at least 16 bytes");
    if (p.cid !== undefined && (!Number.isInteger(p.cid) || p.cid < 0 || p.cid > 14)) throw new RangeError("ISO-DEP: CID 0-14");
    this.controller = options.controller;
    this.params = p;
    this.maxRetries = p.maxRetransmissions ?? 2;
  }

  /** The most INF bytes one block can carry: FSC less the PCB, the CID and the two CRC bytes. */
  get maxInf(): number {
    return this.params.fsc - 3 - (this.params.cid !== undefined ? 1 : 0);
  }

  /** One command APDU out, the whole response (data || SW1 SW2) back. */
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (this.deselected) throw new RfProtocolError("ISO-DEP: the PICC was deselected");
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < apdu.length || chunks.length === 0; i += this.maxInf) chunks.push(apdu.subarray(i, i + this.maxInf));
    let chunk = 0;
    const iBlock = (): Block => this.withCid({ type: "I", blockNumber: this.blockNumber, chaining: chunk < chunks.length - 1, inf: chunks[chunk] });
    let lastIBlock = iBlock();
    let toSend: Block = lastIBlock;
    let timeoutUs = blockTimeoutUs(this.params.fwi);
    let retries = 0;
    let receivingChain = false;
    const response: Uint8Array[] = [];

    const retry = (failure: Failure, next: Block) => {
      retries++;
      this.counters.retransmissions++;
      if (retries > this.maxRetries) this.fail(failure);
      toSend = next;
    };

    for (;;) {
      const rx = await this.exchange(toSend, timeoutUs);
      timeoutUs = blockTimeoutUs(this.params.fwi); // a WTX holds for one answer only (7.3)
      if (rx.kind !== "block") {
        // Rule 4: an invalid block or a timeout -> R(NAK); Rule 5: while the PICC chains -> R(ACK).
        retry(rx.kind, this.withCid({ type: "R", ack: receivingChain, blockNumber: this.blockNumber }));
        continue;
      }
      const block = rx.block;
      if (block.type === "S") {
        if (block.command !== "wtx" || receivingChain) this.fail("protocol");
        const wtxm = wtxMultiplier(block.inf);
        this.counters.wtxRequests++;
        // 7.3: the PCD answers S(WTX) with the same WTXM and waits FWT x WTXM for the next block.
        toSend = this.withCid({ type: "S", command: "wtx", inf: Uint8Array.of(wtxm) });
        timeoutUs = blockTimeoutUs(this.params.fwi, wtxm);
        continue;
      }
      if (block.type === "R") {
        // A PICC never sends R(NAK) (7.5.4.3), nor R-blocks while it is the one chaining.
        if (!block.ack || receivingChain) this.fail("protocol");
        if (block.blockNumber === this.blockNumber) {
          // Rule 2 / 7: the chained block we sent is acknowledged: toggle and send the next part.
          // An acknowledgement of a block that did not chain is not one the PCD can take.
          if (chunk >= chunks.length - 1) this.fail("protocol");
          this.toggle();
          chunk++;
          retries = 0;
          lastIBlock = iBlock();
          toSend = lastIBlock;
        } else {
          // Rule 6: an R(ACK) with another block number asks for the last I-block again.
          retry("timeout", lastIBlock);
        }
        continue;
      }
      // An I-block. It answers our last part only, and carries our current block number (Rule 2).
      if (chunk < chunks.length - 1 || block.blockNumber !== this.blockNumber) this.fail("protocol");
      this.toggle();
      retries = 0;
      response.push(block.inf);
      if (block.chaining) {
        // Rule B: a chained I-block is acknowledged with R(ACK).
        receivingChain = true;
        toSend = this.withCid({ type: "R", ack: true, blockNumber: this.blockNumber });
        continue;
      }
      return concat(...response);
    }
  }

  /**
   * S(DESELECT) (ISO/IEC 14443-4:2016, 8): the PICC answers S(DESELECT) and goes to HALT. Rule 8:
   * an answer that does not come may be asked for again; after that the PICC is ignored.
   * Resolves true when the PICC confirmed.
   */
  async deselect(): Promise<boolean> {
    if (this.deselected) return true;
    this.deselected = true;
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const rx = await this.exchange(this.withCid({ type: "S", command: "deselect", inf: new Uint8Array(0) }), blockTimeoutUs(this.params.fwi));
      if (rx.kind === "block" && rx.block.type === "S" && rx.block.command === "deselect") return true;
    }
    return false;
  }

  private withCid<T extends Block>(block: T): T {
    if (this.params.cid !== undefined) block.cid = this.params.cid;
    return block;
  }

  private toggle(): void {
    this.blockNumber = this.blockNumber === 0 ? 1 : 0;
  }

  private fail(failure: Failure): never {
    if (failure === "timeout") throw new RfTimeoutError("ISO-DEP: no answer from the PICC after the retransmissions (ISO/IEC 14443-4, 7.5.4)");
    if (failure === "transmission") throw new RfTransmissionError("ISO-DEP: damaged frames after the retransmissions (ISO/IEC 14443-4, 7.5.4)");
    throw new RfProtocolError("ISO-DEP: the PICC broke the block protocol (ISO/IEC 14443-4, 7.5.4)");
  }

  /** Sends one block and reads one: a parsed block, or why there is none. */
  private async exchange(block: Block, timeoutUs: number): Promise<{ kind: "block"; block: Block } | { kind: Failure }> {
    this.counters.blocksSent++;
    const rx: RfReception = await this.controller.transceive(encodeBlock(block), { crc: true, timeoutUs });
    if (rx.kind === "timeout") return { kind: "timeout" };
    if (rx.kind !== "frame" || rx.bits !== rx.bytes.length * 8) return { kind: "transmission" };
    this.counters.blocksReceived++;
    // A frame longer than FSD is not a valid block (7.1.1.3).
    if (rx.bytes.length + 2 > this.params.fsd) return { kind: "protocol" };
    let parsed: Block;
    try {
      parsed = parseBlock(rx.bytes);
    } catch {
      return { kind: "protocol" };
    }
    // A block for another CID, or with a CID when none was used, is not for us (7.1.1.2).
    if (parsed.cid !== this.params.cid) return { kind: "protocol" };
    return { kind: "block", block: parsed };
  }
}
