import { RfProtocolError } from "./errors";

// The blocks of the half-duplex block transmission protocol, ISO/IEC 14443-4:2016, 7.1: a prologue
// (PCB, optional CID, optional NAD), the information field INF, and the CRC that the controller adds
// and checks. PCB coding (7.1.1.1, Figures 13-15):
//   I-block  0 0 0 C  I N 1 B    C chaining, I CID follows, N NAD follows, B block number
//   R-block  1 0 1 K  I 0 1 B    K = 1 for R(NAK), 0 for R(ACK)
//   S-block  1 1 T T  I 0 1 0    TT = 00 DESELECT, 11 WTX

export type Block =
  | { type: "I"; blockNumber: 0 | 1; chaining: boolean; cid?: number; nad?: number; inf: Uint8Array }
  | { type: "R"; ack: boolean; blockNumber: 0 | 1; cid?: number }
  | { type: "S"; command: "deselect" | "wtx"; cid?: number; inf: Uint8Array };

/** The bytes of a block without the CRC. */
export function encodeBlock(block: Block): Uint8Array {
  let pcb: number;
  let inf: Uint8Array = new Uint8Array(0);
  const hasCid = block.cid !== undefined;
  let hasNad = false;
  switch (block.type) {
    case "I":
      hasNad = block.nad !== undefined;
      pcb = 0x02 | block.blockNumber | (block.chaining ? 0x10 : 0) | (hasCid ? 0x08 : 0) | (hasNad ? 0x04 : 0);
      inf = block.inf;
      break;
    case "R":
      pcb = 0xa2 | block.blockNumber | (block.ack ? 0 : 0x10) | (hasCid ? 0x08 : 0);
      break;
    case "S":
      pcb = (block.command === "wtx" ? 0xf2 : 0xc2) | (hasCid ? 0x08 : 0);
      inf = block.inf;
      break;
  }
  const head = 1 + (hasCid ? 1 : 0) + (hasNad ? 1 : 0);
  const out = new Uint8Array(head + inf.length);
  out[0] = pcb;
  let p = 1;
  if (hasCid) out[p++] = (block.cid as number) & 0x0f;
  if (hasNad) out[p++] = (block as { nad: number }).nad & 0xff;
  out.set(inf, p);
  return out;
}

/**
 * A received block (CRC already checked and stripped). A PCB that is none of the three coding
 * patterns, a CID or NAD announced but missing, an R-block or DESELECT with an INF, or a WTX
 * without its one INF byte is a protocol error (7.5.4.2: an invalid block).
 */
export function parseBlock(frame: Uint8Array): Block {
  if (frame.length < 1) throw new RfProtocolError("ISO-DEP: an empty block");
  const pcb = frame[0];
  const hasCid = (pcb & 0x08) !== 0;
  let p = 1;
  let cid: number | undefined;
  if (hasCid) {
    if (frame.length < 2) throw new RfProtocolError("ISO-DEP: the PCB announces a CID the block does not carry");
    cid = frame[p++] & 0x0f;
  }
  const kind = pcb & 0xc0;
  if (kind === 0x00) {
    // I-block: b6 = 0 and b2 = 1.
    if ((pcb & 0x22) !== 0x02) throw new RfProtocolError("ISO-DEP: invalid I-block PCB");
    let nad: number | undefined;
    if (pcb & 0x04) {
      if (frame.length <= p) throw new RfProtocolError("ISO-DEP: the PCB announces a NAD the block does not carry");
      nad = frame[p++];
    }
    const block: Block = { type: "I", blockNumber: (pcb & 1) as 0 | 1, chaining: (pcb & 0x10) !== 0, inf: frame.slice(p) };
    if (cid !== undefined) block.cid = cid;
    if (nad !== undefined) block.nad = nad;
    return block;
  }
  if (kind === 0x80) {
    // R-block: b6 = 1, b3 = 0, b2 = 1, no INF.
    if ((pcb & 0x26) !== 0x22 || frame.length !== p) throw new RfProtocolError("ISO-DEP: invalid R-block");
    const block: Block = { type: "R", ack: (pcb & 0x10) === 0, blockNumber: (pcb & 1) as 0 | 1 };
    if (cid !== undefined) block.cid = cid;
    return block;
  }
  if (kind === 0xc0) {
    // S-block: b3 = 0, b2 = 1, b1 = 0; b6-b5 00 DESELECT (no INF) or 11 WTX (one INF byte).
    if ((pcb & 0x07) !== 0x02) throw new RfProtocolError("ISO-DEP: invalid S-block PCB");
    const tt = (pcb >> 4) & 3;
    const inf = frame.slice(p);
    let block: Block;
    if (tt === 0 && inf.length === 0) block = { type: "S", command: "deselect", inf };
    else if (tt === 3 && inf.length === 1) block = { type: "S", command: "wtx", inf };
    else throw new RfProtocolError("ISO-DEP: an S-block that is neither DESELECT nor WTX");
    if (cid !== undefined) block.cid = cid;
    return block;
  }
  throw new RfProtocolError("ISO-DEP: PCB b8-b7 = 01 is not a block type");
}

/**
 * 7.3: the WTXM of an S(WTX) request INF, b6-b1, 1 to 59 (b8-b7 the power level indication, which
 * the PCD ignores). 0 or above 59 is a protocol error.
 */
export function wtxMultiplier(inf: Uint8Array): number {
  const m = inf[0] & 0x3f;
  if (m < 1 || m > 59) throw new RfProtocolError(`ISO-DEP: WTXM ${m} is outside 1-59`);
  return m;
}
