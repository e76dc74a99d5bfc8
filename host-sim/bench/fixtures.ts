import { concat, toHex } from "../../kernel/bytes";
import { encodeTlv } from "../../kernel/tlv";

// Inputs for the bench, built the way a card builds them, with fixed filler so every run and every
// peer sees the same bytes.

function filler(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/**
 * A READ RECORD response template (tag 70) of about 1 KB, the size of the record that carries the
 * issuer and ICC public key certificates of a CDA card (EMV Book 3 Annex A tags).
 */
export function emvRecord1k(): Uint8Array {
  const body = concat(
    encodeTlv("5F24", new Uint8Array([0x29, 0x12, 0x31])),
    encodeTlv("5F25", new Uint8Array([0x24, 0x01, 0x01])),
    encodeTlv("5A", new Uint8Array([0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10])),
    encodeTlv("5F34", new Uint8Array([0x01])),
    encodeTlv("9F07", new Uint8Array([0xff, 0x00])),
    encodeTlv("8E", filler(14, 1)),
    encodeTlv("9F0D", filler(5, 2)),
    encodeTlv("9F0E", filler(5, 3)),
    encodeTlv("9F0F", filler(5, 4)),
    encodeTlv("5F28", new Uint8Array([0x08, 0x40])),
    encodeTlv("8F", new Uint8Array([0x92])),
    encodeTlv("90", filler(176, 5)),
    encodeTlv("9F32", new Uint8Array([0x03])),
    encodeTlv("92", filler(36, 6)),
    encodeTlv("9F46", filler(176, 7)),
    encodeTlv("9F47", new Uint8Array([0x03])),
    encodeTlv("9F48", filler(42, 8)),
    encodeTlv("9F49", new Uint8Array([0x9f, 0x37, 0x04])),
    encodeTlv("8C", filler(27, 9)),
    encodeTlv("8D", filler(12, 10)),
    encodeTlv("9F4A", new Uint8Array([0x82])),
    encodeTlv("9F2D", filler(112, 11)),
    encodeTlv("9F2E", new Uint8Array([0x03])),
    encodeTlv("9F2F", filler(297, 12)),
    encodeTlv("BF0C", concat(encodeTlv("9F5D", filler(6, 13)), encodeTlv("9F4D", new Uint8Array([0x0b, 0x0a])))),
  );
  return encodeTlv("70", body);
}

export function emvRecord1kHex(): string {
  return toHex(emvRecord1k());
}

/** 1 KB of data for throughput figures. */
export function kilobyteHex(): string {
  return toHex(filler(1024, 42));
}
