// T=1 blocks (ISO/IEC 7816-3:2006, 11.3): prologue NAD PCB LEN, information field INF, epilogue
// EDC. EMV uses NAD = '00' and LRC only (EMV Book 1, 9.2.4). This file encodes and decodes one
// block and says why a received block is invalid; the protocol rules are in t1.ts.

export type SBlockType = "resynch" | "ifs" | "abort" | "wtx";

export type T1Block =
  /** Information block: N(S) the send sequence number, `more` the chaining bit M (11.3.2.2). */
  | { kind: "I"; ns: number; more: boolean; inf: Uint8Array }
  /** Receive-ready block: N(R) the expected sequence number; error 0 none, 1 EDC/parity, 2 other (11.3.2.3). */
  | { kind: "R"; nr: number; error: 0 | 1 | 2 }
  /** Supervisory block (11.3.2.4): a request or its response, INF one byte for IFS and WTX. */
  | { kind: "S"; type: SBlockType; response: boolean; inf: Uint8Array };

export type DecodedBlock = { ok: true; block: T1Block } | { ok: false; reason: string };

const S_TYPES: readonly SBlockType[] = ["resynch", "ifs", "abort", "wtx"];

/** LRC: the exclusive-or of all the bytes of the block (11.4.4). */
export function lrc(bytes: Uint8Array, length = bytes.length): number {
  let x = 0;
  for (let i = 0; i < length; i++) x ^= bytes[i];
  return x;
}

/** PCB of a block (11.3.2). */
export function pcbOf(block: T1Block): number {
  switch (block.kind) {
    case "I":
      return ((block.ns & 1) << 6) | (block.more ? 0x20 : 0);
    case "R":
      return 0x80 | ((block.nr & 1) << 4) | block.error;
    case "S":
      return 0xc0 | (block.response ? 0x20 : 0) | S_TYPES.indexOf(block.type);
  }
}

/** The bytes of a block with NAD '00' and an LRC epilogue. */
export function encodeBlock(block: T1Block): Uint8Array {
  const inf = block.kind === "R" ? new Uint8Array(0) : block.inf;
  if (inf.length > 254) throw new RangeError(`T=1: INF of ${inf.length} bytes exceeds 254`);
  const out = new Uint8Array(4 + inf.length);
  out[0] = 0x00;
  out[1] = pcbOf(block);
  out[2] = inf.length;
  out.set(inf, 3);
  out[3 + inf.length] = lrc(out, 3 + inf.length);
  return out;
}

/**
 * Decodes a received block and applies the validity rules of ISO/IEC 7816-3:2006, 11.6.3 and EMV
 * Book 1, 9.2.4 / 9.2.5: NAD '00', a known PCB, LEN below 'FF' and within `maxInf` for I-blocks,
 * 0 for R-blocks, the right INF length for S-blocks, and a matching LRC.
 */
export function decodeBlock(bytes: Uint8Array, maxInf: number): DecodedBlock {
  if (bytes.length < 4) return { ok: false, reason: "shorter than a prologue and an LRC" };
  const [nad, pcb, len] = bytes;
  if (len === 0xff) return { ok: false, reason: "LEN 'FF' is reserved" };
  if (bytes.length !== 4 + len) return { ok: false, reason: "LEN does not match the block received" };
  if (lrc(bytes) !== 0) return { ok: false, reason: "LRC error" };
  if (nad !== 0x00) return { ok: false, reason: "NAD is not '00'" };
  const inf = bytes.slice(3, 3 + len);
  if ((pcb & 0x80) === 0) {
    if (pcb & 0x1f) return { ok: false, reason: "I-block PCB with RFU bits set" };
    if (len > maxInf) return { ok: false, reason: `I-block of ${len} bytes exceeds the ${maxInf} allowed` };
    return { ok: true, block: { kind: "I", ns: (pcb >> 6) & 1, more: (pcb & 0x20) !== 0, inf } };
  }
  if ((pcb & 0xc0) === 0x80) {
    const error = pcb & 0x0f;
    if ((pcb & 0x20) !== 0 || error > 2) return { ok: false, reason: "R-block PCB with RFU bits set" };
    if (len !== 0) return { ok: false, reason: "R-block with an INF field" };
    return { ok: true, block: { kind: "R", nr: (pcb >> 4) & 1, error: error as 0 | 1 | 2 } };
  }
  const code = pcb & 0x1f;
  if (code > 3) return { ok: false, reason: "S-block of an unknown type" };
  const type = S_TYPES[code];
  const infLength = type === "ifs" || type === "wtx" ? 1 : 0;
  if (len !== infLength) return { ok: false, reason: `S(${type}) with ${len} INF bytes` };
  return { ok: true, block: { kind: "S", type, response: (pcb & 0x20) !== 0, inf } };
}
