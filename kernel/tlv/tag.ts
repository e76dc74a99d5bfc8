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
 * Strings of the multi-byte tags the kernel knows (the EMV dictionary's, kernel/tlv/dictionary.ts),
 * keyed by the tag's big-endian value (distinct tag lengths never collide: a multi-byte tag's first
 * byte is never 00). Filled while the modules load and never changed after: on the device it is in
 * flash with the preloaded module. A tag not in it gets a new string each time, rather than one
 * kept in RAM (a cache filled at run time held a string for every tag a card sent, up to ~20 KB
 * for a hostile card's stream of random tags: issue 10, item 5).
 */
const KNOWN_MULTI_BYTE_TAGS = new Map<number, string>();

/** Module load only: remembers the strings of `tags` (uppercase, well-formed). */
export function knowTagNames(tags: readonly string[]): void {
  for (const tag of tags) if (tag.length > 2) KNOWN_MULTI_BYTE_TAGS.set(tagValue(tag), tag);
}

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
 * tags, the known string or a new one for longer ones. The caller has checked the range.
 */
export function tagAt(bytes: Uint8Array, start: number, length: number): string {
  if (length === 1) return ONE_BYTE_TAGS[bytes[start]];
  let key = 0;
  for (let i = 0; i < length; i++) key = key * 256 + bytes[start + i];
  return tagName(key);
}

/**
 * The uppercase hex string of a tag given as its big-endian value (the form `tagValue` returns):
 * a table entry for one-byte tags, the known string or a new one for longer ones.
 */
export function tagName(value: number): string {
  if (value < 256) return ONE_BYTE_TAGS[value];
  const known = KNOWN_MULTI_BYTE_TAGS.get(value);
  if (known !== undefined) return known;
  let s = "";
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) s = ONE_BYTE_TAGS[rest % 256] + s;
  return s;
}

function hexNibble(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Byte `i` of a textual tag whose length is checked, or a typed error naming the bad character. */
function tagByte(tag: string, i: number): number {
  const hi = hexNibble(tag.charCodeAt(2 * i));
  const lo = hexNibble(tag.charCodeAt(2 * i + 1));
  if (hi < 0 || lo < 0) throw new TlvError("tlv-bad-tag", `tlv: non-hex character in tag at position ${hi < 0 ? 2 * i : 2 * i + 1}`);
  return (hi << 4) | lo;
}

/**
 * The big-endian value of a textual tag ("9F02" -> 0x9F02), checked to be exactly one well-formed
 * tag field: 1 to 4 bytes, continuation bits as Annex B1 says, and not 00 (which reads as padding,
 * Annex B). Distinct tags have distinct values (a tag's first byte is never 00), so the value is a
 * tag's compact key; it allocates nothing.
 */
export function tagValue(tag: string): number {
  if (typeof tag !== "string") throw new TlvError("tlv-input", "tlv: a tag must be a hex string");
  if (tag.length === 0 || tag.length % 2 !== 0 || tag.length > 2 * MAX_TAG_BYTES) {
    throw new TlvError("tlv-bad-tag", `tlv: a tag is 1 to ${MAX_TAG_BYTES} bytes of hex (got ${tag.length} characters)`);
  }
  const length = tag.length / 2;
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + tagByte(tag, i);
  const first = tagByte(tag, 0);
  if (first === 0x00) throw new TlvError("tlv-bad-tag", "tlv: tag 00 is padding, not a tag (EMV Book 3, Annex B)");
  if (!hasSubsequentTagBytes(first)) {
    if (length !== 1) throw new TlvError("tlv-bad-tag", `tlv: tag ${tag.toUpperCase()}: first byte has no continuation (b5-b1 != 11111) but more bytes follow`);
    return value;
  }
  if (length === 1) throw new TlvError("tlv-bad-tag", `tlv: tag ${tag.toUpperCase()}: b5-b1 = 11111 announces a subsequent byte`);
  for (let i = 1; i < length; i++) {
    const last = i === length - 1;
    if (((tagByte(tag, i) & 0x80) !== 0) === last) {
      throw new TlvError("tlv-bad-tag", `tlv: tag ${tag.toUpperCase()}: byte ${i + 1} has b8 = ${last ? 1 : 0}, but it is ${last ? "the last" : "not the last"} byte`);
    }
  }
  return value;
}

/** The bytes of a textual tag ("9F02", "df8101"), checked as `tagValue` checks it. */
export function parseTag(tag: string): Uint8Array {
  let value = tagValue(tag);
  const bytes = new Uint8Array(tag.length / 2);
  for (let i = bytes.length - 1; i >= 0; i--, value = Math.floor(value / 256)) bytes[i] = value % 256;
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
