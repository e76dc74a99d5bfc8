import type { BitRateKbps, RfTechnology } from "../../hal/nfc-controller";
import { concat } from "../../kernel/bytes";
import { encodeAts, frameSize } from "../../kernel/iso14443/ats";
import { encodeBlock, parseBlock, type Block } from "../../kernel/iso14443/block";
import { cyclesToUs, fwtCycles, kbpsOf } from "../../kernel/iso14443/timing";
import {
  bcc, encodeAtqa, getBit, REQA, SEL_CODES, setBit, uidCascade, uidSizeOf, WUPA,
} from "../../kernel/iso14443/type-a";
import { encodeAtqb, parseAttrib } from "../../kernel/iso14443/type-b";
import type { IccApplet } from "../icc/applet";
import { piccTurnaroundUs } from "./air-time";

// A virtual PICC at frame level: the card side of ISO/IEC 14443-3 (Type A states IDLE, READY,
// ACTIVE, HALT with the select sequence over 1-3 cascade levels, 6.3; Type B IDLE, READY, ACTIVE,
// HALT, 7.4) and of ISO/IEC 14443-4 (RATS/ATS, PPS, the PICC rules of the block protocol 7.5.4.3,
// chaining both ways, S(WTX) when the application needs longer than the FWT, S(DESELECT)). Behind
// it an IccApplet answers whole APDUs, as for the contact ICC. It keeps no wall-clock time: the
// virtual field asks it for an answer and is told how long after the command that answer starts.

export interface PiccAnswer {
  bytes: Uint8Array;
  /** Payload bits (8 x bytes unless an anticollision answer). */
  bits: number;
  /** A CRC follows the payload on the air. */
  crc: boolean;
  /** From the end of the PCD's frame to the start of this answer, us. */
  delayUs: number;
  /** The bit rate the answer is sent at (the answers to PPS and ATTRIB still go at the old one). */
  kbps: BitRateKbps;
}

/** A frame as the PICC received it. */
export interface PiccFrame {
  bytes: Uint8Array;
  bits: number;
  /** A CRC was sent with the frame, and it was right. */
  crc: boolean;
}

export interface VirtualPiccOptions {
  technology: RfTechnology;
  /** Type A: the UID, 4, 7 or 10 bytes. Type B: the PUPI, 4 bytes. */
  identifier: Uint8Array;
  applet: IccApplet;
  /** SAK b6 / ATQB Protocol_Type: an ISO-DEP card (false: a memory card a payment reader ignores). */
  isoDep?: boolean;
  /** Frame size code FSCI (default 8, 256 bytes). */
  fsci?: number;
  /** Frame waiting integer (default 7: FWT 38.7 ms). */
  fwi?: number;
  /** Start-up frame guard integer (default 0). */
  sfgi?: number;
  /** TA(1) (Type A) or Bit_Rate_capability (Type B): default '00', 106 kbit/s only. */
  bitRates?: number;
  historicalBytes?: Uint8Array;
  /** Ask for more time with S(WTX) when an APDU takes longer than most of the FWT (default true). */
  wtx?: boolean;
  /** Multiplies the applet's processing time (a slow chip, a weak field); default 1. */
  slowdown?: number;
}

type State = "off" | "idle" | "ready" | "active" | "protocol" | "halt";

/** A default time for an APDU when the applet gives none: a card OS takes about 2 ms per command. */
const DEFAULT_APDU_US = 2000;

export class VirtualPicc {
  readonly technology: RfTechnology;
  readonly identifier: Uint8Array;
  readonly applet: IccApplet;
  private readonly isoDep: boolean;
  private readonly fsci: number;
  private readonly fwi: number;
  private readonly sfgi: number;
  private readonly bitRates: number;
  private readonly historical: Uint8Array;
  private readonly wtx: boolean;
  private readonly slowdown: number;

  private state: State = "off";
  private halted = false;
  private level = 1;
  private fsd = 256;
  private blockNumber: 0 | 1 = 1;
  private lastBlock: Block | undefined;
  private commandParts: Uint8Array[] = [];
  private responseParts: Uint8Array[] = [];
  private pending: { remainingUs: number; block: Block } | undefined;
  private ppsAllowed = false;
  /** The bit rates this PICC sends and receives at (after PPS or ATTRIB). */
  txKbps: BitRateKbps = 106;
  rxKbps: BitRateKbps = 106;
  /** Complete APDUs the applet has processed since power-on. */
  apduCount = 0;
  /** Modeled time until which the chip is computing and does not listen, us. */
  private busyUntilUs = -Infinity;

  constructor(options: VirtualPiccOptions) {
    this.technology = options.technology;
    this.identifier = options.identifier.slice();
    if (options.technology === "A" && [4, 7, 10].indexOf(this.identifier.length) < 0) throw new RangeError("Type A UID: 4, 7 or 10 bytes");
    if (options.technology === "B" && this.identifier.length !== 4) throw new RangeError("Type B PUPI: 4 bytes");
    this.applet = options.applet;
    this.isoDep = options.isoDep !== false;
    this.fsci = options.fsci ?? 8;
    this.fwi = options.fwi ?? 7;
    this.sfgi = options.sfgi ?? 0;
    this.bitRates = options.bitRates ?? 0;
    this.historical = options.historicalBytes ?? new Uint8Array(0);
    this.wtx = options.wtx !== false;
    this.slowdown = options.slowdown ?? 1;
  }

  /** The field came on (or the card entered it): power-on reset, IDLE. */
  powerOn(): void {
    this.state = "idle";
    this.halted = false;
    this.level = 1;
    this.txKbps = this.rxKbps = 106;
    this.apduCount = 0;
    this.busyUntilUs = -Infinity;
    this.applet.reset("cold");
  }

  /** The field went off (or the card left it): every state is lost. */
  powerOff(): void {
    this.state = "off";
    this.pending = undefined;
    this.commandParts = [];
    this.responseParts = [];
  }

  get powered(): boolean {
    return this.state !== "off";
  }

  /** The FWT this PICC announces, us. */
  get fwtUs(): number {
    return cyclesToUs(fwtCycles(this.fwi));
  }

  /**
   * One frame from the PCD, ending at modeled time `nowUs`; the answer, or undefined when the PICC
   * stays silent. A chip still computing its last answer does not hear the frame.
   */
  receive(frame: PiccFrame, nowUs: number): PiccAnswer | undefined {
    if (this.state === "off" || nowUs < this.busyUntilUs) return undefined;
    const a = this.technology === "A" ? this.receiveA(frame) : this.receiveB(frame);
    if (a) this.busyUntilUs = nowUs + a.delayUs;
    return a;
  }

  private answer(bytes: Uint8Array, crc: boolean, extraUs = 0, bits = bytes.length * 8): PiccAnswer {
    return { bytes, bits, crc, delayUs: piccTurnaroundUs(this.technology) + extraUs, kbps: this.txKbps };
  }

  /** ISO/IEC 14443-3: an unexpected frame sends the PICC back to IDLE, or to HALT when it was woken from there. */
  private reject(): undefined {
    if (this.state !== "protocol") {
      this.state = this.halted ? "halt" : "idle";
      this.level = 1;
    }
    return undefined;
  }

  // --- Type A (ISO/IEC 14443-3:2018, 6) ---

  private receiveA(f: PiccFrame): PiccAnswer | undefined {
    if (f.bits === 7) {
      const cmd = f.bytes[0] & 0x7f;
      // 6.3.2: REQA wakes IDLE only; WUPA wakes IDLE and HALT. In the protocol state neither applies.
      if ((cmd === REQA && this.state === "idle") || (cmd === WUPA && (this.state === "idle" || this.state === "halt"))) {
        // A PICC woken from HALT goes back there on an unexpected command (READY*, ACTIVE*).
        this.halted = this.state === "halt";
        this.state = "ready";
        this.level = 1;
        return this.answer(encodeAtqa(uidSizeOf(this.identifier)), false);
      }
      return this.state === "protocol" ? undefined : this.reject();
    }
    if (this.state === "protocol") return this.receiveBlock(f);
    const cmd = f.bytes[0];
    if (this.state === "ready" && cmd === SEL_CODES[this.level - 1]) return this.selectSequence(f);
    if (this.state === "active") {
      // 6.4.3: HLTA.
      if (f.crc && f.bytes.length === 2 && cmd === 0x50 && f.bytes[1] === 0x00) {
        this.state = "halt";
        this.halted = true;
        return undefined;
      }
      // ISO/IEC 14443-4:2016, 5.1: RATS.
      if (f.crc && f.bytes.length === 2 && cmd === 0xe0 && this.isoDep) {
        this.fsd = frameSize(f.bytes[1] >> 4);
        this.state = "protocol";
        this.blockNumber = 1; // 7.5.4.3: the PICC block number starts at 1
        this.lastBlock = undefined;
        this.ppsAllowed = true;
        const ats = encodeAts({ fsci: this.fsci, fwi: this.fwi, sfgi: this.sfgi, ta: this.bitRates, cid: false, nad: false, historical: this.historical });
        return this.answer(ats, true);
      }
    }
    return this.reject();
  }

  private selectSequence(f: PiccFrame): PiccAnswer | undefined {
    const cl = uidCascade(this.identifier)[this.level - 1];
    const mine = new Uint8Array(5);
    mine.set(cl, 0);
    mine[4] = bcc(cl);
    const nvb = f.bytes[1];
    if (nvb === 0x70) {
      // SELECT: the whole UID CLn and BCC, CRC_A.
      if (!f.crc || f.bytes.length !== 7) return this.reject();
      for (let i = 0; i < 5; i++) if (f.bytes[2 + i] !== mine[i]) return this.reject();
      const cascades = uidCascade(this.identifier).length;
      if (this.level < cascades) {
        this.level++;
        return this.answer(Uint8Array.of(0x04), true);
      }
      this.state = "active";
      return this.answer(Uint8Array.of(this.isoDep ? 0x20 : 0x08), true);
    }
    // ANTICOLLISION: answer with the bits after the known ones, if the known ones are ours.
    const known = ((nvb >> 4) - 2) * 8 + (nvb & 0x0f);
    if (known < 0 || known > 32 || (nvb & 0x0f) > 7 || f.bits !== 16 + known) return this.reject();
    for (let i = 0; i < known; i++) if (getBit(f.bytes, 16 + i) !== getBit(mine, i)) return undefined;
    const rest = 40 - known;
    const out = new Uint8Array(Math.ceil(rest / 8));
    for (let i = 0; i < rest; i++) setBit(out, i, getBit(mine, known + i));
    return this.answer(out, false, 0, rest);
  }

  // --- Type B (ISO/IEC 14443-3:2018, 7) ---

  private receiveB(f: PiccFrame): PiccAnswer | undefined {
    if (!f.crc) return undefined; // every Type B frame carries CRC_B
    if (this.state === "protocol") return this.receiveBlock(f);
    const cmd = f.bytes[0];
    if (cmd === 0x05 && f.bytes.length === 3) {
      const wupb = (f.bytes[2] & 0x08) !== 0;
      if (this.state === "idle" || this.state === "ready" || (wupb && this.state === "halt")) {
        this.state = "ready";
        return this.answer(encodeAtqb({ pupi: this.identifier, bitRate: this.bitRates, fsci: this.fsci, fwi: this.fwi, cid: false }), true);
      }
      return undefined;
    }
    const attrib = parseAttrib(f.bytes);
    if (attrib && this.state === "ready" && sameBytes(attrib.pupi, this.identifier) && this.isoDep) {
      this.fsd = frameSize(attrib.fsdi);
      this.state = "protocol";
      this.blockNumber = 1;
      this.lastBlock = undefined;
      // 7.10.4: the new bit rates hold from the frame after the answer to ATTRIB.
      const a = this.answer(Uint8Array.of(attrib.cid & 0x0f), true);
      this.txKbps = kbpsOf((1 << attrib.dsi) as 1 | 2 | 4 | 8);
      this.rxKbps = kbpsOf((1 << attrib.dri) as 1 | 2 | 4 | 8);
      return a;
    }
    if (cmd === 0x50 && f.bytes.length === 5 && sameBytes(f.bytes.subarray(1), this.identifier) && (this.state === "ready" || this.state === "active")) {
      this.state = "halt";
      return this.answer(Uint8Array.of(0x00), true);
    }
    return undefined;
  }

  // --- ISO-DEP, the PICC rules (ISO/IEC 14443-4:2016, 7.5.4.3) ---

  private receiveBlock(f: PiccFrame): PiccAnswer | undefined {
    if (!f.crc) return undefined; // an invalid block is ignored
    if (this.ppsAllowed && this.technology === "A" && f.bytes.length === 3 && (f.bytes[0] & 0xf0) === 0xd0 && f.bytes[1] === 0x11) {
      // 5.3: PPS is the first block after the ATS, or never.
      this.ppsAllowed = false;
      const dsi = (f.bytes[2] >> 2) & 3;
      const dri = f.bytes[2] & 3;
      const a = this.answer(Uint8Array.of(f.bytes[0]), true);
      this.txKbps = kbpsOf((1 << dsi) as 1 | 2 | 4 | 8);
      this.rxKbps = kbpsOf((1 << dri) as 1 | 2 | 4 | 8);
      return a;
    }
    this.ppsAllowed = false;
    let block: Block;
    try {
      block = parseBlock(f.bytes);
    } catch {
      return undefined;
    }
    if (block.cid !== undefined) return undefined; // this PICC does not support CID
    switch (block.type) {
      case "I":
        return this.onIBlock(block);
      case "R":
        return this.onRBlock(block);
      case "S":
        if (block.command === "deselect") {
          this.state = "halt";
          this.halted = true;
          return this.send({ type: "S", command: "deselect", inf: new Uint8Array(0) });
        }
        return this.onWtxResponse();
    }
  }

  private send(block: Block, extraUs = 0): PiccAnswer {
    this.lastBlock = block;
    return this.answer(encodeBlock(block), true, extraUs);
  }

  private toggle(): void {
    this.blockNumber = this.blockNumber === 0 ? 1 : 0;
  }

  private onIBlock(block: Extract<Block, { type: "I" }>): PiccAnswer | undefined {
    // Rule: an I-block received toggles the PICC's block number before it answers.
    this.toggle();
    this.commandParts.push(block.inf);
    if (block.chaining) return this.send({ type: "R", ack: true, blockNumber: this.blockNumber });
    const command = concat(...this.commandParts);
    this.commandParts = [];
    const response = this.applet.process(command);
    const processingUs = (this.applet.processingUs ? this.applet.processingUs(command) : DEFAULT_APDU_US) * this.slowdown;
    this.apduCount++;
    const maxInf = this.fsd - 3;
    this.responseParts = [];
    for (let i = 0; i < response.length; i += maxInf) this.responseParts.push(response.subarray(i, i + maxInf));
    // An applet that answers nothing (a broken card, a fuzzer) still answers one I-block, empty.
    if (this.responseParts.length === 0) this.responseParts.push(response);
    const first = this.nextResponseBlock();
    return this.deliver(first, processingUs, 1);
  }

  private nextResponseBlock(): Block {
    const inf = this.responseParts.shift() as Uint8Array;
    return { type: "I", blockNumber: this.blockNumber, chaining: this.responseParts.length > 0, inf };
  }

  /**
   * Answers after `processingUs`; when that is more than 90 % of the FWT in force (times `wtxm`),
   * asks for more time with S(WTX) at half the FWT instead (7.3).
   */
  private deliver(block: Block, processingUs: number, wtxm: number): PiccAnswer {
    const fwt = this.fwtUs * wtxm;
    if (!this.wtx || processingUs <= 0.9 * fwt) {
      this.pending = undefined;
      return this.send(block, processingUs);
    }
    const spent = 0.5 * this.fwtUs;
    const next = Math.min(59, Math.ceil((processingUs - spent) / (0.9 * this.fwtUs)) + 1);
    this.pending = { remainingUs: processingUs - spent, block };
    const wtxBlock: Block = { type: "S", command: "wtx", inf: Uint8Array.of(next) };
    // The WTX request is not "the last block" for retransmission: the answer it stands for is.
    return this.answer(encodeBlock(wtxBlock), true, spent);
  }

  private onWtxResponse(): PiccAnswer | undefined {
    const p = this.pending;
    if (!p) return undefined;
    // The PCD confirmed: the next FWT is FWT x WTXM from now.
    const requested = Math.min(59, Math.ceil(p.remainingUs / (0.9 * this.fwtUs)) + 1);
    return this.deliver(p.block, p.remainingUs, requested);
  }

  private onRBlock(block: Extract<Block, { type: "R" }>): PiccAnswer | undefined {
    if (block.blockNumber === this.blockNumber) {
      // An R-block with our block number: the PCD lost our last block; send it again.
      if (!this.lastBlock) return undefined;
      if (this.pending) return this.deliver(this.pending.block, this.pending.remainingUs, 1);
      return this.send(this.lastBlock);
    }
    if (!block.ack) return this.send({ type: "R", ack: true, blockNumber: this.blockNumber });
    // R(ACK) with the other block number while we chain: the part was received; send the next.
    if (this.responseParts.length > 0) {
      this.toggle();
      return this.send(this.nextResponseBlock());
    }
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
