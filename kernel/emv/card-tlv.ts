import { decodeTlv, TlvError, type Tlv } from "../tlv";
import { CardDataError } from "./errors";

// BER-TLV from the card (EMV Book 3, Annex B). A malformed object from the card is card data the
// terminal cannot accept (Book 3, 10.2 and 6.3.5: the transaction is terminated), so the TLV
// decoder's TlvError becomes a CardDataError that names where the data came from.

/** Decodes card data; `what` names the response (e.g. "READ RECORD SFI 1 record 2"). */
export function decodeCardTlv(bytes: Uint8Array, what: string): Tlv[] {
  try {
    return decodeTlv(bytes);
  } catch (e) {
    if (e instanceof TlvError) throw new CardDataError(`${what}: malformed BER-TLV (${e.code})`);
    throw e;
  }
}

/** The direct child `tag` of a template, or undefined. */
export function child(template: Tlv, tag: string): Tlv | undefined {
  const kids = template.children;
  if (kids === undefined) return undefined;
  for (const k of kids) if (k.tag === tag) return k;
  return undefined;
}

/** Text of an 'an'/'ans' data element (Application Label, Preferred Name) in ISO 8859 code points. */
export function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
