import { RfFrameError } from "./errors";

// Type A commands and answers of ISO/IEC 14443-3:2018, clause 6: the short frames REQA and WUPA,
// the ATQA, the ANTICOLLISION and SELECT commands of each cascade level, the SAK, and HLTA.

/** 6.3.1, Table 2: REQA '26' and WUPA '52' are short frames of 7 bits. */
export const REQA = 0x26;
export const WUPA = 0x52;
export const SHORT_FRAME_BITS = 7;

/** 6.3.1, Table 2: the select codes SEL of cascade levels 1, 2 and 3. */
export const SEL_CODES = [0x93, 0x95, 0x97] as const;
export type CascadeLevel = 1 | 2 | 3;

/** 6.5.4: the cascade tag CT '88' that opens a UID CLn of a larger UID. */
export const CASCADE_TAG = 0x88;

/** 6.4.3: HLTA is '50' '00' followed by CRC_A. */
export const HLTA = Uint8Array.of(0x50, 0x00);

/** The REQA or WUPA short frame (send with txBits = 7). */
export function requestFrame(wakeUp: boolean): Uint8Array {
  return Uint8Array.of(wakeUp ? WUPA : REQA);
}

export type UidSize = "single" | "double" | "triple";

export interface Atqa {
  /** b8-b7 of the first byte (6.5.2.1, Table 4). */
  uidSize: UidSize;
  /** b5-b1 of the first byte: the bit frame anticollision bit. */
  bitFrameAnticollision: number;
  /** b4-b1 of the second byte: proprietary coding. */
  proprietary: number;
}

/**
 * 6.5.2.1: the two ATQA bytes, least significant first. The PCD accepts any non-zero bit frame
 * anticollision field (ISO asks one bit; EMV Book D lets the PCD be lenient there) and refuses the
 * reserved UID size '11'.
 */
export function parseAtqa(bytes: Uint8Array): Atqa {
  if (bytes.length !== 2) throw new RfFrameError(`ATQA: ${bytes.length} bytes where 2 are defined`);
  const sizeBits = bytes[0] >> 6;
  if (sizeBits === 3) throw new RfFrameError("ATQA: UID size '11' is reserved (ISO/IEC 14443-3, 6.5.2.1)");
  const anticollision = bytes[0] & 0x1f;
  if (anticollision === 0) throw new RfFrameError("ATQA: no bit frame anticollision bit set (ISO/IEC 14443-3, 6.5.2.1)");
  return {
    uidSize: sizeBits === 0 ? "single" : sizeBits === 1 ? "double" : "triple",
    bitFrameAnticollision: anticollision,
    proprietary: bytes[1] & 0x0f,
  };
}

/** The ATQA bytes for a UID size (for virtual PICCs), bit frame anticollision in b1. */
export function encodeAtqa(uidSize: UidSize): Uint8Array {
  const sizeBits = uidSize === "single" ? 0 : uidSize === "double" ? 1 : 2;
  return Uint8Array.of((sizeBits << 6) | 0x01, 0x00);
}

/** 6.5.3.3: BCC, the exclusive-or of the four bytes of a UID CLn. */
export function bcc(uidCl: Uint8Array): number {
  return uidCl[0] ^ uidCl[1] ^ uidCl[2] ^ uidCl[3];
}

/**
 * 6.5.3.2: an ANTICOLLISION command at cascade level `level` with `knownBits` bits of the UID CLn
 * already known (0 to 32), packed LSB first in `known`. NVB: b8-b5 the whole bytes sent (SEL and
 * NVB included), b4-b1 the bits of the last, partial byte. Send with txBits = 16 + knownBits.
 */
export function anticollisionFrame(level: CascadeLevel, known: Uint8Array, knownBits: number): { frame: Uint8Array; txBits: number } {
  if (!Number.isInteger(knownBits) || knownBits < 0 || knownBits > 32) throw new RangeError("anticollision: 0-32 known bits");
  const wholeBytes = 2 + (knownBits >> 3);
  const partialBits = knownBits & 7;
  const frame = new Uint8Array(2 + Math.ceil(knownBits / 8));
  frame[0] = SEL_CODES[level - 1];
  frame[1] = (wholeBytes << 4) | partialBits;
  for (let i = 0; i < frame.length - 2; i++) frame[2 + i] = known[i];
  if (partialBits !== 0) frame[frame.length - 1] &= (1 << partialBits) - 1;
  return { frame, txBits: 16 + knownBits };
}

/** 6.5.3.2: SELECT at cascade level `level`: SEL, NVB '70', UID CLn (4 bytes), BCC; CRC_A follows. */
export function selectFrame(level: CascadeLevel, uidCl: Uint8Array): Uint8Array {
  if (uidCl.length !== 4) throw new RangeError("select: a UID CLn is 4 bytes");
  return Uint8Array.of(SEL_CODES[level - 1], 0x70, uidCl[0], uidCl[1], uidCl[2], uidCl[3], bcc(uidCl));
}

export interface Sak {
  /** b3: the UID is not complete, the next cascade level follows (6.5.3.4, Table 8). */
  cascade: boolean;
  /** b6: the PICC is compliant with ISO/IEC 14443-4 (valid only when the UID is complete). */
  isoDep: boolean;
}

/** 6.5.3.4: the SAK byte (its CRC_A already checked and stripped). */
export function parseSak(bytes: Uint8Array): Sak {
  if (bytes.length !== 1) throw new RfFrameError(`SAK: ${bytes.length} bytes where 1 is defined`);
  const cascade = (bytes[0] & 0x04) !== 0;
  return { cascade, isoDep: !cascade && (bytes[0] & 0x20) !== 0 };
}

/** The UID CLn of each cascade level for a UID of 4, 7 or 10 bytes (6.5.4, Table 9). */
export function uidCascade(uid: Uint8Array): Uint8Array[] {
  if (uid.length === 4) return [uid.slice()];
  if (uid.length === 7) return [Uint8Array.of(CASCADE_TAG, uid[0], uid[1], uid[2]), uid.slice(3, 7)];
  if (uid.length === 10) {
    return [Uint8Array.of(CASCADE_TAG, uid[0], uid[1], uid[2]), Uint8Array.of(CASCADE_TAG, uid[3], uid[4], uid[5]), uid.slice(6, 10)];
  }
  throw new RangeError("uid: 4, 7 or 10 bytes (ISO/IEC 14443-3, 6.5.4)");
}

/** The UID size of a UID length. */
export function uidSizeOf(uid: Uint8Array): UidSize {
  return uid.length === 4 ? "single" : uid.length === 7 ? "double" : "triple";
}

/** Reads bit `i` (LSB first) of a packed bit string. */
export function getBit(bytes: Uint8Array, i: number): number {
  return (bytes[i >> 3] >> (i & 7)) & 1;
}

/** Sets bit `i` (LSB first) of a packed bit string to `value`. */
export function setBit(bytes: Uint8Array, i: number, value: number): void {
  if (value) bytes[i >> 3] |= 1 << (i & 7);
  else bytes[i >> 3] &= ~(1 << (i & 7)) & 0xff;
}
