import { FramingError } from "./errors";

// One GATT frame: the value of one Write Command / Write Request on the command characteristic or
// of one Handle Value Notification on the event characteristic (docs/protocol.md, "Framing").
//
//   byte 0   control: b8-b7 framing version (01), b6-b5 kind (00 data, 01 credit, 10 abort, 11
//            reserved), b4-b3 reserved (00), b2 FIRST, b1 LAST (data frames only, else 0)
//   byte 1   message number, per direction, +1 per message modulo 256
//   data:    byte 2 fragment index (0 to 255); FIRST adds bytes 3-4, the message length (big
//            endian); then the fragment's bytes
//   credit:  byte 2 the number of data frames the peer may send more (1 to 255)
//   abort:   byte 2 the reason the receiver dropped message `message`

export const FRAMING_VERSION = 1;

/** Header bytes of a data frame: control, message number, index (+2 for the length on FIRST). */
export const DATA_HEADER_BYTES = 3;
export const FIRST_HEADER_BYTES = 5;
/** Credit and abort frames are exactly 3 bytes. */
export const CONTROL_FRAME_BYTES = 3;

/** Why a receiver dropped a message (the third byte of an abort frame). */
export const ABORT_REASONS = {
  /** A fragment out of order, or a message number that skipped: something was lost or reordered. */
  sequence: 1,
  /** The fragments hold more or fewer bytes than the FIRST fragment announced. */
  length: 2,
  /** The announced length is more than the receiver accepts. */
  tooLarge: 3,
} as const;

export type AbortReason = keyof typeof ABORT_REASONS;

export type Frame =
  | { kind: "data"; message: number; index: number; first: boolean; last: boolean; total: number | null; payload: Uint8Array }
  | { kind: "credit"; credits: number }
  | { kind: "abort"; message: number; reason: AbortReason };

const KIND_DATA = 0;
const KIND_CREDIT = 1;
const KIND_ABORT = 2;

function control(kind: number, first: boolean, last: boolean): number {
  return (FRAMING_VERSION << 6) | (kind << 4) | (first ? 0x02 : 0) | (last ? 0x01 : 0);
}

function checkByte(value: number, min: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > 255) throw new FramingError("frame-malformed", `frame: ${what} ${value} is not ${min} to 255`);
}

/** A data frame; `total` is the message length and goes in the FIRST fragment only. */
export function encodeDataFrame(message: number, index: number, first: boolean, last: boolean, total: number, payload: Uint8Array): Uint8Array {
  checkByte(message, 0, "message number");
  checkByte(index, 0, "fragment index");
  const header = first ? FIRST_HEADER_BYTES : DATA_HEADER_BYTES;
  const out = new Uint8Array(header + payload.length);
  out[0] = control(KIND_DATA, first, last);
  out[1] = message;
  out[2] = index;
  if (first) {
    if (!Number.isInteger(total) || total < 1 || total > 0xffff) throw new FramingError("frame-too-large", `frame: a message of ${total} bytes cannot be framed`);
    out[3] = total >> 8;
    out[4] = total & 0xff;
  }
  out.set(payload, header);
  return out;
}

export function encodeCreditFrame(credits: number): Uint8Array {
  checkByte(credits, 1, "credit");
  return Uint8Array.of(control(KIND_CREDIT, false, false), 0, credits);
}

export function encodeAbortFrame(message: number, reason: AbortReason): Uint8Array {
  checkByte(message, 0, "message number");
  return Uint8Array.of(control(KIND_ABORT, false, false), message, ABORT_REASONS[reason]);
}

function abortReason(code: number): AbortReason | undefined {
  for (const name of Object.keys(ABORT_REASONS) as AbortReason[]) if (ABORT_REASONS[name] === code) return name;
  return undefined;
}

/** Parses one frame from the link. Anything that is not a frame of this version is a FramingError. */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (!(bytes instanceof Uint8Array) || bytes.length < DATA_HEADER_BYTES) {
    throw new FramingError("frame-malformed", `frame: ${bytes instanceof Uint8Array ? bytes.length : "no"} bytes, a frame has at least ${DATA_HEADER_BYTES}`);
  }
  const c = bytes[0];
  if (c >> 6 !== FRAMING_VERSION) throw new FramingError("frame-malformed", `frame: framing version ${c >> 6}, expected ${FRAMING_VERSION}`);
  if ((c & 0x0c) !== 0) throw new FramingError("frame-malformed", "frame: reserved control bits set");
  const kind = (c >> 4) & 0x03;
  const first = (c & 0x02) !== 0;
  const last = (c & 0x01) !== 0;
  if (kind === KIND_DATA) {
    if (first) {
      if (bytes.length < FIRST_HEADER_BYTES) throw new FramingError("frame-malformed", "frame: a FIRST fragment without its length");
      const total = (bytes[3] << 8) | bytes[4];
      if (total === 0) throw new FramingError("frame-malformed", "frame: a message of 0 bytes");
      return { kind: "data", message: bytes[1], index: bytes[2], first, last, total, payload: bytes.subarray(FIRST_HEADER_BYTES) };
    }
    return { kind: "data", message: bytes[1], index: bytes[2], first, last, total: null, payload: bytes.subarray(DATA_HEADER_BYTES) };
  }
  if (first || last || bytes.length !== CONTROL_FRAME_BYTES) {
    throw new FramingError("frame-malformed", "frame: a credit or abort frame is exactly 3 bytes without FIRST or LAST");
  }
  if (kind === KIND_CREDIT) {
    if (bytes[2] === 0 || bytes[1] !== 0) throw new FramingError("frame-malformed", "frame: a credit frame grants 1 to 255 frames");
    return { kind: "credit", credits: bytes[2] };
  }
  if (kind === KIND_ABORT) {
    const reason = abortReason(bytes[2]);
    if (reason === undefined) throw new FramingError("frame-malformed", `frame: abort reason ${bytes[2]} is unknown`);
    return { kind: "abort", message: bytes[1], reason };
  }
  throw new FramingError("frame-malformed", "frame: reserved frame kind 3");
}
