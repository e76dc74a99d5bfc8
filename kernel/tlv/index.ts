// BER-TLV (EMV Book 3, Annex B; ISO/IEC 8825-1), the EMV tag dictionary (Book 3, Annex A) and
// Data Object Lists (Book 3, 5.4).
export type { Tlv } from "./tlv";
export { findTag } from "./tlv";
export { TlvError, type TlvErrorCode } from "./errors";
export { decodeTlv, MAX_NESTING_DEPTH, MAX_LENGTH_BYTES, type DecodeOptions } from "./decode";
export { encodeTlv, encodeLength, TlvBuilder } from "./encode";
export { parseTag, normalizeTag, isConstructedTag, MAX_TAG_BYTES } from "./tag";
export { tagInfo, tagDictionary, type TagInfo, type TagFormat, type TagSource } from "./dictionary";
export { parseDol, buildDol, dolDataLength, MAX_DOL_DATA_LENGTH, type DolEntry } from "./dol";
export { describeTlv, displayText, type TlvDescription } from "./describe";
