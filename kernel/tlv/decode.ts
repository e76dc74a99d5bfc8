import { TlvError } from "./errors";
import { hasSubsequentTagBytes, isConstructedByte, MAX_TAG_BYTES, tagAt } from "./tag";
import type { Tlv } from "./tlv";

export interface DecodeOptions {
  /**
   * Accept the length octet 80 as length 0. Strict decoding (the default) refuses it: in
   * ISO/IEC 8825-1, 8.1.3.6 it is the indefinite form, which EMV never uses (EMV Book 3, Annex B2
   * allows the definite form only) and which a primitive object may not use at all. Some cards
   * and test tools write 80 for an empty value; a terminal that must read them passes lenient.
   */
  lenient?: boolean;
  /**
   * Whether an FF byte where a tag may start is padding (default true: ISO/IEC 7816-4:2005,
   * 5.2.2.1 lets 00 or FF fill erased memory before, between and after objects). Pass false to
   * decode data that uses private constructed tags starting with FF (the EMV C-2 kernel's FF8101
   * Torn Record, FF8105 Data Record...): then only 00 is padding, as in EMV Book 3, Annex B.
   */
  ffPadding?: boolean;
}

/**
 * How deep constructed objects may nest. EMV's deepest real structure is the PPSE answer
 * (6F > A5 > BF0C > 61 > 73, depth 5); the limit keeps a hostile input from exhausting the stack
 * of a small device.
 */
export const MAX_NESTING_DEPTH = 16;

/** Most subsequent length bytes accepted (a value of up to 2^32 - 1 bytes). */
export const MAX_LENGTH_BYTES = 4;

/**
 * Decodes a sequence of BER-TLV data objects (EMV Book 3, Annex B; ISO/IEC 8825-1, 8.1), skipping
 * padding bytes before, between and after objects. Constructed objects (b6 of the first tag byte)
 * are decoded into `children`. Values are views into `bytes`. Any malformation is a TlvError with
 * the offset where it was found; nothing else is thrown.
 */
export function decodeTlv(bytes: Uint8Array, options?: DecodeOptions): Tlv[] {
  if (!(bytes instanceof Uint8Array)) throw new TlvError("tlv-input", "tlv: expected bytes (a Uint8Array)");
  const lenient = options !== undefined && options.lenient === true;
  const ffPadding = options === undefined || options.ffPadding !== false;
  return decodeObjects(bytes, 0, bytes.length, 0, lenient, ffPadding);
}

/** The objects in bytes[start, end), which are `depth` templates deep. */
function decodeObjects(
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
  lenient: boolean,
  ffPadding: boolean,
): Tlv[] {
  const objects: Tlv[] = [];
  let p = start;
  while (p < end) {
    const first = bytes[p];
    // EMV Book 3, Annex B: "00" bytes may occur before, between or after objects;
    // ISO/IEC 7816-4:2005, 5.2.2.1: so may "FF" bytes.
    if (first === 0x00 || (first === 0xff && ffPadding)) {
      p++;
      continue;
    }

    // Tag field (Annex B1).
    const tagStart = p++;
    if (hasSubsequentTagBytes(first)) {
      let more = true;
      while (more) {
        if (p >= end) throw new TlvError("tlv-truncated", `tlv: tag at offset ${tagStart} is cut off by the end of the data`);
        if (p - tagStart >= MAX_TAG_BYTES) {
          throw new TlvError("tlv-tag-too-long", `tlv: tag at offset ${tagStart} is longer than ${MAX_TAG_BYTES} bytes`);
        }
        more = (bytes[p++] & 0x80) !== 0;
      }
    }
    const tag = tagAt(bytes, tagStart, p - tagStart);

    // Length field (Annex B2; ISO/IEC 8825-1, 8.1.3).
    if (p >= end) throw new TlvError("tlv-truncated", `tlv: ${tag} at offset ${tagStart} has no length field`);
    let length = bytes[p++];
    if (length >= 0x80) {
      const count = length & 0x7f;
      if (count === 0) {
        if (!lenient) {
          throw new TlvError("tlv-indefinite-length", `tlv: ${tag} at offset ${tagStart} has length 80 (indefinite form, not allowed in EMV)`);
        }
        length = 0;
      } else {
        if (count > MAX_LENGTH_BYTES) {
          throw new TlvError("tlv-length-too-long", `tlv: ${tag} at offset ${tagStart} has a length field of ${count} subsequent bytes (at most ${MAX_LENGTH_BYTES})`);
        }
        if (end - p < count) throw new TlvError("tlv-truncated", `tlv: length of ${tag} at offset ${tagStart} is cut off by the end of the data`);
        length = 0;
        for (let i = 0; i < count; i++) length = length * 256 + bytes[p++];
      }
    }

    // Value field.
    if (length > end - p) {
      throw new TlvError("tlv-value-past-end", `tlv: ${tag} at offset ${tagStart} says ${length} bytes but ${end - p} remain`);
    }
    const valueEnd = p + length;
    const value = bytes.subarray(p, valueEnd);
    if (isConstructedByte(first)) {
      if (depth + 1 >= MAX_NESTING_DEPTH) {
        throw new TlvError("tlv-too-deep", `tlv: ${tag} at offset ${tagStart} nests templates more than ${MAX_NESTING_DEPTH} deep`);
      }
      objects.push({ tag, length, value, children: decodeObjects(bytes, p, valueEnd, depth + 1, lenient, ffPadding) });
    } else {
      objects.push({ tag, length, value });
    }
    p = valueEnd;
  }
  return objects;
}
