import { TlvError } from "./errors";

// The tag field of a BER-TLV object (EMV Book 3, Annex B1; ISO/IEC 8825-1, 8.1.2):
//   first byte  b8-b7 class, b6 constructed (1) or primitive (0), b5-b1 tag number,
//               b5-b1 = 11111: the number continues in subsequent bytes;
//   subsequent  b8 = 1: another byte follows, b8 = 0: last byte of the tag.
// EMV uses tags of up to 3 bytes (DF8101); 4 are accepted, a 5th byte is an error.

/** The longest tag field accepted, in bytes. */
export const MAX_TAG_BYTES = 4;

const HEX = "0123456789ABCDEF";

/** Uppercase hex of every one-byte tag, so the decoder never builds those strings again. */
const ONE_BYTE_TAGS: string[] = [];
for (let b = 0; b < 256; b++) ONE_BYTE_TAGS.push(HEX[b >> 4] + HEX[b & 0x0f]);

/**
 * Strings of multi-byte tags seen so far, keyed by the tag's big-endian value (distinct tag
 * lengths never collide: a multi-byte tag's first byte is never 00). Bounded, so that a stream
 * of random tags from a hostile card cannot grow it without limit.
 */
const MULTI_BYTE_TAGS = new Map<number, string>();
const MULTI_BYTE_CACHE_LIMIT = 512;

/** True when the first byte of a tag says "the tag number continues" (b5-b1 = 11111). */
export function hasSubsequentTagBytes(firstByte: number): boolean {
  return (firstByte & 0x1f) === 0x1f;
}

/** True when the first byte of a tag says "constructed" (b6 = 1, ISO/IEC 8825-1, 8.1.2.5). */
export function isConstructedByte(firstByte: number): boolean {
  return (firstByte & 0x20) !== 0;
}

/**
 * The uppercase hex string of the tag in bytes[start, start + length): a table entry for one-byte
 * tags, a cached string for longer ones. The caller has checked the range.
 */
export function tagAt(bytes: Uint8Array, start: number, length: number): string {
  if (length === 1) return ONE_BYTE_TAGS[bytes[start]];
  let key = 0;
  for (let i = 0; i < length; i++) key = key * 256 + bytes[start + i];
  const cached = MULTI_BYTE_TAGS.get(key);
  if (cached !== undefined) return cached;
  let s = "";
  for (let i = 0; i < length; i++) s += ONE_BYTE_TAGS[bytes[start + i]];
  if (MULTI_BYTE_TAGS.size < MULTI_BYTE_CACHE_LIMIT) MULTI_BYTE_TAGS.set(key, s);
  return s;
}

function hexNibble(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * The bytes of a textual tag ("9F02", "df8101"), checked to be exactly one well-formed tag field:
 * 1 to 4 bytes, continuation bits as Annex B1 says, and not 00 (which reads as padding, Annex B).
 */
export function parseTag(tag: string): Uint8Array {
  if (typeof tag !== "string") throw new TlvError("tlv-input", "tlv: a tag must be a hex string");
  if (tag.length === 0 || tag.length % 2 !== 0 || tag.length > 2 * MAX_TAG_BYTES) {
    throw new TlvError("tlv-bad-tag", `tlv: a tag is 1 to ${MAX_TAG_BYTES} bytes of hex (got ${tag.length} characters)`);
  }
  const bytes = new Uint8Array(tag.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const hi = hexNibble(tag.charCodeAt(2 * i));
    const lo = hexNibble(tag.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TlvError("tlv-bad-tag", `tlv: non-hex character in tag at position ${hi < 0 ? 2 * i : 2 * i + 1}`);
    bytes[i] = (hi << 4) | lo;
  }
  const name = tag.toUpperCase();
  if (bytes[0] === 0x00) throw new TlvError("tlv-bad-tag", "tlv: tag 00 is padding, not a tag (EMV Book 3, Annex B)");
  if (!hasSubsequentTagBytes(bytes[0])) {
    if (bytes.length !== 1) throw new TlvError("tlv-bad-tag", `tlv: tag ${name}: first byte has no continuation (b5-b1 != 11111) but more bytes follow`);
    return bytes;
  }
  if (bytes.length === 1) throw new TlvError("tlv-bad-tag", `tlv: tag ${name}: b5-b1 = 11111 announces a subsequent byte`);
  for (let i = 1; i < bytes.length; i++) {
    const last = i === bytes.length - 1;
    if (((bytes[i] & 0x80) !== 0) === last) {
      throw new TlvError("tlv-bad-tag", `tlv: tag ${name}: byte ${i + 1} has b8 = ${last ? 1 : 0}, but it is ${last ? "the last" : "not the last"} byte`);
    }
  }
  return bytes;
}

/** The canonical spelling of a textual tag (uppercase), after checking it is one tag. */
export function normalizeTag(tag: string): string {
  parseTag(tag);
  return tag.toUpperCase();
}

/** True when the textual tag is well formed and constructed (b6 of its first byte). */
export function isConstructedTag(tag: string): boolean {
  return isConstructedByte(parseTag(tag)[0]);
}
