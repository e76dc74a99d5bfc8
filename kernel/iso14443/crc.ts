// The CRCs of ISO/IEC 14443-3:2018, 6.2.4 (Type A, CRC_A) and 7.2 (Type B, CRC_B), both the
// 16-bit CRC of ISO/IEC 13239 with polynomial x^16 + x^12 + x^5 + 1, computed LSB first over the
// bytes of the frame (without parity, SOF or EOF) and sent least significant byte first:
// - CRC_A starts from '6363' and is sent as it is (Annex B.1);
// - CRC_B starts from 'FFFF' and is sent complemented (Annex B.2).

function crc16(data: Uint8Array, length: number, initial: number): number {
  let crc = initial;
  for (let i = 0; i < length; i++) {
    // Annex B: the byte-wise form of the LSB-first CRC (reflected polynomial '8408').
    let b = (data[i] ^ crc) & 0xff;
    b = (b ^ (b << 4)) & 0xff;
    crc = ((crc >> 8) ^ (b << 8) ^ (b << 3) ^ (b >> 4)) & 0xffff;
  }
  return crc;
}

export type CrcKind = "A" | "B";

/** The two CRC bytes for `data`, in the order they are sent (least significant first). */
export function crc(kind: CrcKind, data: Uint8Array, length = data.length): Uint8Array {
  const value = kind === "A" ? crc16(data, length, 0x6363) : ~crc16(data, length, 0xffff) & 0xffff;
  return Uint8Array.of(value & 0xff, value >> 8);
}

/** `data` followed by its CRC. */
export function appendCrc(kind: CrcKind, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out.set(crc(kind, data), data.length);
  return out;
}

/** True when the last two bytes of `frame` are the CRC of the bytes before them. */
export function checkCrc(kind: CrcKind, frame: Uint8Array): boolean {
  if (frame.length < 3) return false; // ISO/IEC 14443-3: a frame with a CRC carries at least one byte
  const expected = crc(kind, frame, frame.length - 2);
  return frame[frame.length - 2] === expected[0] && frame[frame.length - 1] === expected[1];
}
