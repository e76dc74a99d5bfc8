import { MposError } from "../errors";

/**
 * Why a BER-TLV object or a DOL was refused. Stable: callers branch on it (a card that sends a
 * malformed record is a card data error, not a bug).
 */
export type TlvErrorCode =
  | "tlv-input" // not bytes, or a tag/length argument of the wrong type
  | "tlv-truncated" // a tag or length field runs past the end of the data
  | "tlv-tag-too-long" // a tag field of more than 4 bytes
  | "tlv-bad-tag" // a textual tag that is not one BER-TLV tag
  | "tlv-length-too-long" // a length field with more than 4 subsequent bytes
  | "tlv-indefinite-length" // length octet 80 (indefinite form), refused unless lenient
  | "tlv-bad-length" // a length that cannot be encoded (negative, fractional, >= 2^32)
  | "tlv-value-past-end" // the length says more bytes than remain
  | "tlv-too-deep" // constructed objects nested deeper than the decoder allows
  | "dol-truncated" // a DOL entry with a tag but no length byte
  | "dol-too-long"; // a DOL that asks for more data than one command can carry

/**
 * A malformed BER-TLV object or DOL. Messages name offsets, tags and lengths only, never a value:
 * the bytes may be a PAN or track data.
 */
export class TlvError extends MposError {
  constructor(code: TlvErrorCode, message: string) {
    super(code, message);
    this.name = "TlvError";
  }
}
