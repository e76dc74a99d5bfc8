import { tagInfo, type TagFormat } from "./dictionary";
import { TlvError } from "./errors";
import { hasSubsequentTagBytes, isConstructedByte, MAX_TAG_BYTES, tagAt } from "./tag";

// Data Object Lists (EMV Book 3, 5.4): a card names the data it wants in a command (PDOL for
// GET PROCESSING OPTIONS, CDOL1/2 for GENERATE AC, DDOL, TDOL) as a list of tag + length entries;
// the terminal answers with the values concatenated, without tags or lengths.

/** One entry of a DOL: the tag of a data element and the length the card wants for it. */
export interface DolEntry {
  tag: string;
  length: number;
}

/**
 * The most data a DOL may ask for: a command's data field is at most 255 bytes (ISO/IEC 7816-4,
 * short Lc), and GET PROCESSING OPTIONS wraps the PDOL data in tag 83, whose header for a value
 * of 128 bytes or more is 3 bytes (83 81 xx): 255 - 3 = 252.
 */
export const MAX_DOL_DATA_LENGTH = 252;

/**
 * The entries of a DOL. Each is a BER-TLV tag (Annex B1) followed by a one-byte length
 * (EMV Book 3, 5.4). A DOL whose lengths add up to more than MAX_DOL_DATA_LENGTH is refused.
 */
export function parseDol(dol: Uint8Array): DolEntry[] {
  if (!(dol instanceof Uint8Array)) throw new TlvError("tlv-input", "dol: expected bytes (a Uint8Array)");
  const entries: DolEntry[] = [];
  let total = 0;
  let p = 0;
  while (p < dol.length) {
    const start = p;
    const first = dol[p++];
    if (first === 0x00) throw new TlvError("tlv-bad-tag", `dol: entry at offset ${start} starts with 00, which is not a tag`);
    if (hasSubsequentTagBytes(first)) {
      let more = true;
      while (more) {
        if (p >= dol.length) throw new TlvError("dol-truncated", `dol: tag at offset ${start} is cut off by the end of the DOL`);
        if (p - start >= MAX_TAG_BYTES) {
          throw new TlvError("tlv-tag-too-long", `dol: tag at offset ${start} is longer than ${MAX_TAG_BYTES} bytes`);
        }
        more = (dol[p++] & 0x80) !== 0;
      }
    }
    const tag = tagAt(dol, start, p - start);
    if (p >= dol.length) throw new TlvError("dol-truncated", `dol: ${tag} at offset ${start} has no length byte`);
    const length = dol[p++];
    total += length;
    if (total > MAX_DOL_DATA_LENGTH) {
      throw new TlvError("dol-too-long", `dol: asks for more than ${MAX_DOL_DATA_LENGTH} bytes of data (at ${tag}, offset ${start})`);
    }
    entries.push({ tag, length });
  }
  return entries;
}

/** The number of data bytes a DOL asks for. */
export function dolDataLength(entries: readonly DolEntry[]): number {
  let total = 0;
  for (const e of entries) total += e.length;
  return total;
}

/**
 * The data for a DOL (EMV Book 3, 5.4): for each entry in order, the value `lookup` gives for its
 * tag, fitted to the entry's length by the format the dictionary gives the tag:
 *  - a constructed tag, or a tag `lookup` knows no value for (unknown to the terminal, or
 *    optional data the card did not provide): the length in zeros;
 *  - too long: n keeps its rightmost bytes (truncated on the left), every other format its
 *    leftmost (truncated on the right);
 *  - too short: n is padded on the left with 00, cn on the right with FF, every other format on
 *    the right with 00.
 * A tag `lookup` has a value for but the dictionary does not know is treated as binary (b).
 */
export function buildDol(dol: Uint8Array, lookup: (tag: string) => Uint8Array | undefined): Uint8Array {
  const entries = parseDol(dol);
  const out = new Uint8Array(dolDataLength(entries)); // zeros: the default for every rule above
  let offset = 0;
  for (const entry of entries) {
    const { tag, length } = entry;
    if (length > 0 && !isConstructedByte(parseInt(tag.slice(0, 2), 16))) {
      const value = lookup(tag);
      if (value !== undefined) {
        if (!(value instanceof Uint8Array)) throw new TlvError("tlv-input", `dol: the value given for ${tag} is not bytes`);
        const info = tagInfo(tag);
        fitValue(out, offset, length, value, info === undefined ? "b" : info.format);
      }
    }
    offset += length;
  }
  return out;
}

/** Writes `value` into out[offset, offset + length), truncated or padded by `format`. */
function fitValue(out: Uint8Array, offset: number, length: number, value: Uint8Array, format: TagFormat): void {
  if (format === "n") {
    // Numeric values are right-justified: truncate or pad on the left.
    if (value.length >= length) out.set(value.subarray(value.length - length), offset);
    else out.set(value, offset + length - value.length);
    return;
  }
  if (value.length >= length) {
    out.set(value.subarray(0, length), offset);
    return;
  }
  out.set(value, offset);
  if (format === "cn") out.fill(0xff, offset + value.length, offset + length);
}
