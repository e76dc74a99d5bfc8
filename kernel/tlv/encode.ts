import { decodeTlv } from "./decode";
import { TlvError } from "./errors";
import { isConstructedByte, parseTag } from "./tag";

/** One more than the largest length a 4-byte length field can carry. */
const LENGTH_LIMIT = 0x100000000;

/**
 * The definite-form length field for `n` value bytes, in its shortest form (ISO/IEC 8825-1,
 * 8.1.3.4-5 and the DER rule of 10.1; EMV Book 3, Annex B2): one byte below 128, else 81 to 84
 * followed by the big-endian length.
 */
export function encodeLength(n: number): Uint8Array {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n >= LENGTH_LIMIT) {
    throw new TlvError("tlv-bad-length", `tlv: a length must be an integer from 0 to 2^32 - 1 (got ${String(n)})`);
  }
  if (n < 0x80) return Uint8Array.of(n);
  let count = 1;
  while (count < 4 && n >= Math.pow(256, count)) count++;
  const out = new Uint8Array(1 + count);
  out[0] = 0x80 | count;
  let v = n;
  for (let i = count; i >= 1; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

/** The BER-TLV encoding of one object: tag, shortest length field, value (EMV Book 3, Annex B). */
export function encodeTlv(tag: string, value: Uint8Array): Uint8Array {
  const t = parseTag(tag);
  if (!(value instanceof Uint8Array)) throw new TlvError("tlv-input", `tlv: value of ${tag.toUpperCase()} must be bytes`);
  const l = encodeLength(value.length);
  const out = new Uint8Array(t.length + l.length + value.length);
  out.set(t, 0);
  out.set(l, t.length);
  out.set(value, t.length + l.length);
  return out;
}

/**
 * Builds a sequence of BER-TLV objects, templates included:
 *
 *   new TlvBuilder().add("82", aip).template("77", (b) => b.add("9F36", atc)).toBytes()
 */
export class TlvBuilder {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  /** Appends one primitive (or already-encoded constructed) object. */
  add(tag: string, value: Uint8Array): this {
    const encoded = encodeTlv(tag, value);
    this.parts.push(encoded);
    this.size += encoded.length;
    return this;
  }

  /** Appends a constructed object whose content `build` writes. */
  template(tag: string, build: (inner: TlvBuilder) => void): this {
    if (!isConstructedByte(parseTag(tag)[0])) {
      throw new TlvError("tlv-bad-tag", `tlv: ${tag.toUpperCase()} is a primitive tag (b6 = 0), not a template`);
    }
    const inner = new TlvBuilder();
    build(inner);
    return this.add(tag, inner.toBytes());
  }

  /** Appends bytes that are already BER-TLV encoded, after checking that they decode. */
  raw(encoded: Uint8Array): this {
    decodeTlv(encoded);
    this.parts.push(encoded.slice());
    this.size += encoded.length;
    return this;
  }

  /** Everything appended so far, in order. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}
