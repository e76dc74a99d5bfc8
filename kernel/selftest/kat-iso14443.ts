import { appendCrc } from "../iso14443/crc";
import type { KnownAnswerTest } from "./selftest";

// Known answers of the contactless line: the CRCs of ISO/IEC 14443-3:2018, Annex B (the examples
// of CRC_A and CRC_B coding), and the HLTA frame every reader sends. A wrong CRC would make every
// frame look damaged to the reader and every command unreadable to the card.

function frame(type: "A" | "B", data: number[], expected: number[]): boolean {
  const out = appendCrc(type, Uint8Array.from(data));
  return out.length === expected.length && out.every((b, i) => b === expected[i]);
}

export const iso14443Kats: KnownAnswerTest[] = [
  { name: "iso14443 crc_a (ISO/IEC 14443-3 Annex B.1: 00 00 -> A0 1E)", run: () => frame("A", [0x00, 0x00], [0x00, 0x00, 0xa0, 0x1e]) },
  { name: "iso14443 crc_a (ISO/IEC 14443-3 Annex B.1: 12 34 -> 26 CF)", run: () => frame("A", [0x12, 0x34], [0x12, 0x34, 0x26, 0xcf]) },
  { name: "iso14443 crc_a HLTA (50 00 -> 57 CD)", run: () => frame("A", [0x50, 0x00], [0x50, 0x00, 0x57, 0xcd]) },
  { name: "iso14443 crc_b (ISO/IEC 14443-3 Annex B.2: 00 00 00 -> CC C6)", run: () => frame("B", [0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0xcc, 0xc6]) },
  { name: "iso14443 crc_b (ISO/IEC 14443-3 Annex B.2: 0F AA FF -> FC D1)", run: () => frame("B", [0x0f, 0xaa, 0xff], [0x0f, 0xaa, 0xff, 0xfc, 0xd1]) },
];
