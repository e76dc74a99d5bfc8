import { constantTimeEqual, concat } from "../bytes";
import { aesCmac, iso9797Pad, retailMac, type CryptoProvider } from "../crypto";
import { decodeTlv, encodeTlv, type Tlv } from "../tlv";
import { EnvelopeError } from "./errors";
import { aesDerivationKeyType, dukptAesHostKey, AES_DUKPT_KSN_BYTES } from "./dukpt-aes";
import { dukptTdesHostKey, TDES_DUKPT_KSN_BYTES } from "./dukpt-tdes";

// Point-to-point encryption of card data (PCI P2PE): the sensitive data a reader captures is
// encrypted at once under the DUKPT data key of one transaction and MACed under its MAC key, so the
// phone, the app and the network only ever carry an envelope that the host's HSM can open.
//
// Envelope:
//   plaintext  = BER-TLV of every item (EMV Book 3, Annex B), ISO/IEC 9797-1 padding method 2
//   ciphertext = AES-CBC (AES DUKPT, data-encrypt key) or TDES-CBC (TDES DUKPT, data request key),
//                zero IV: every key serves one transaction only
//   mac        = AES-CMAC (SP 800-38B, mac-gen key, 16 bytes) or the retail MAC (ISO/IEC 9797-1
//                algorithm 3 = ANSI X9.19, MAC request key, 8 bytes) over KSN || ciphertext
// (encrypt-then-MAC: the host verifies before it decrypts anything).

/** One piece of sensitive card data (raw tracks are ASCII under DF8F01-DF8F03, tracks 1-3). */
export interface SensitiveItem {
  tag: string;
  value: Uint8Array;
}

export type P2peScheme = "aes-dukpt" | "tdes-dukpt";

export interface P2peEnvelope {
  scheme: P2peScheme;
  ksn: Uint8Array;
  ciphertext: Uint8Array;
  mac: Uint8Array;
}

/** The device side: encrypts at the point of capture, advancing and storing the DUKPT counter first. */
export interface CardDataProtector {
  protect(items: SensitiveItem[]): Promise<P2peEnvelope>;
}

/**
 * Tags that never leave the reader in clear: Track 2 Equivalent Data (57), PAN (5A), Cardholder
 * Name (5F20), Expiration Date (5F24), Track 1/2 Discretionary Data (9F1F, 9F20), Track 1 Data
 * (56), Track 2 Data (9F6B), and the raw magstripe tracks (DF8F01-DF8F03).
 */
export const SENSITIVE_TAGS: readonly string[] = ["57", "5A", "5F20", "5F24", "9F1F", "9F20", "56", "9F6B", "DF8F01", "DF8F02", "DF8F03"];
export const TRACK_TAGS = { track1: "DF8F01", track2: "DF8F02", track3: "DF8F03" } as const;

/** Largest plaintext an envelope carries (three full tracks and every EMV item fit many times). */
export const P2PE_MAX_PLAINTEXT = 4096;

export function isSensitiveTag(tag: string): boolean {
  return SENSITIVE_TAGS.indexOf(String(tag).toUpperCase()) >= 0;
}

/**
 * The PAN as it may be shown (PCI DSS 3.4: at most the first six and the last four digits), the
 * rest as '*'. A PAN shorter than 12 digits keeps only its last four.
 */
export function maskPan(pan: string): string {
  if (typeof pan !== "string" || !/^[0-9]{8,19}$/.test(pan)) throw new EnvelopeError("p2pe-format", "p2pe: a PAN is 8 to 19 digits");
  const head = pan.length >= 12 ? 6 : 0;
  return pan.slice(0, head) + "*".repeat(pan.length - head - 4) + pan.slice(-4);
}

/** The PAN digits of tag 5A (compressed numeric, EMV Book 3 Annex A: trailing F padding). */
export function panFromBcd(value: Uint8Array): string {
  let s = "";
  for (let i = 0; i < value.length * 2; i++) {
    const n = i & 1 ? value[i >> 1] & 0x0f : value[i >> 1] >> 4;
    if (n === 0xf) break;
    if (n > 9) throw new EnvelopeError("p2pe-format", "p2pe: the PAN is not decimal digits");
    s += String(n);
  }
  return s;
}

/** The PAN of Track 2 Equivalent Data (tag 57): the digits before the separator D. */
export function panFromTrack2Equivalent(value: Uint8Array): string {
  let s = "";
  for (let i = 0; i < value.length * 2; i++) {
    const n = i & 1 ? value[i >> 1] & 0x0f : value[i >> 1] >> 4;
    if (n === 0xd) return s;
    if (n > 9) break;
    s += String(n);
  }
  throw new EnvelopeError("p2pe-format", "p2pe: track 2 equivalent data without a field separator");
}

/**
 * Splits captured card data into what must be encrypted and what may go out in clear, and computes
 * the masked PAN (from 5A, else from 57) for the phone.
 */
export function partitionCardData(items: readonly { tag: string; value: Uint8Array }[]): {
  sensitive: SensitiveItem[]; clear: { tag: string; value: Uint8Array }[]; maskedPan: string | null;
} {
  const sensitive: SensitiveItem[] = [];
  const clear: { tag: string; value: Uint8Array }[] = [];
  let pan: string | null = null;
  for (const item of items) {
    const tag = item.tag.toUpperCase();
    if (isSensitiveTag(tag)) {
      sensitive.push({ tag, value: item.value });
      if (tag === "5A") pan = panFromBcd(item.value);
      else if (tag === "57" && pan === null) pan = panFromTrack2Equivalent(item.value);
    } else {
      clear.push({ tag, value: item.value });
    }
  }
  return { sensitive, clear, maskedPan: pan === null ? null : maskPan(pan) };
}

/** The plaintext of an envelope, checked before any counter is spent on it. */
export function envelopePlaintext(items: readonly SensitiveItem[]): Uint8Array {
  if (!Array.isArray(items) || items.length === 0) throw new EnvelopeError("p2pe-format", "p2pe: nothing to protect");
  const parts: Uint8Array[] = [];
  for (const item of items) {
    if (item === null || typeof item !== "object" || typeof item.tag !== "string" || !(item.value instanceof Uint8Array)) {
      throw new EnvelopeError("p2pe-format", "p2pe: an item is a tag and bytes");
    }
    parts.push(encodeTlv(item.tag, item.value));
  }
  const plaintext = concat(...parts);
  for (const p of parts) p.fill(0);
  if (plaintext.length > P2PE_MAX_PLAINTEXT) {
    plaintext.fill(0);
    throw new EnvelopeError("p2pe-format", `p2pe: more than ${P2PE_MAX_PLAINTEXT} bytes of card data`);
  }
  return plaintext;
}

function blockBytes(scheme: P2peScheme): number {
  return scheme === "aes-dukpt" ? 16 : 8;
}

function envelopeMac(c: CryptoProvider, scheme: P2peScheme, macKey: Uint8Array, ksn: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const input = concat(ksn, ciphertext);
  return scheme === "aes-dukpt" ? aesCmac(c, macKey, input) : retailMac(c, macKey, input, 2);
}

/** Device side: encrypts then MACs `plaintext` under this transaction's data and MAC keys. */
export function sealEnvelope(c: CryptoProvider, scheme: P2peScheme, ksn: Uint8Array, dataKey: Uint8Array, macKey: Uint8Array,
    plaintext: Uint8Array): P2peEnvelope {
  const padded = iso9797Pad(plaintext, 2, blockBytes(scheme));
  const iv = new Uint8Array(blockBytes(scheme));
  const ciphertext = scheme === "aes-dukpt" ? c.aesCbcEncrypt(dataKey, iv, padded) : c.tdesCbcEncrypt(dataKey, iv, padded);
  padded.fill(0);
  return { scheme, ksn: ksn.slice(), ciphertext, mac: envelopeMac(c, scheme, macKey, ksn, ciphertext) };
}

/** Checks the sizes of an envelope from outside (a host receives it over the network). */
export function checkEnvelope(e: P2peEnvelope): void {
  if (e === null || typeof e !== "object" || (e.scheme !== "aes-dukpt" && e.scheme !== "tdes-dukpt")) {
    throw new EnvelopeError("p2pe-format", "p2pe: unknown envelope scheme");
  }
  const ksnBytes = e.scheme === "aes-dukpt" ? AES_DUKPT_KSN_BYTES : TDES_DUKPT_KSN_BYTES;
  const bs = blockBytes(e.scheme);
  if (!(e.ksn instanceof Uint8Array) || e.ksn.length !== ksnBytes) throw new EnvelopeError("p2pe-format", `p2pe: a ${e.scheme} KSN is ${ksnBytes} bytes`);
  if (!(e.ciphertext instanceof Uint8Array) || e.ciphertext.length === 0 || e.ciphertext.length % bs !== 0 ||
      e.ciphertext.length > P2PE_MAX_PLAINTEXT + bs) {
    throw new EnvelopeError("p2pe-format", `p2pe: the ciphertext is not a whole number of ${bs}-byte blocks`);
  }
  if (!(e.mac instanceof Uint8Array) || e.mac.length !== (e.scheme === "aes-dukpt" ? 16 : 8)) {
    throw new EnvelopeError("p2pe-format", "p2pe: the MAC has the wrong length");
  }
}

/** Opens an envelope with the transaction's keys: MAC verified in constant time, then decrypted. */
export function openEnvelopeWithKeys(c: CryptoProvider, e: P2peEnvelope, dataKey: Uint8Array, macKey: Uint8Array): SensitiveItem[] {
  checkEnvelope(e);
  const expected = envelopeMac(c, e.scheme, macKey, e.ksn, e.ciphertext);
  const ok = constantTimeEqual(expected, e.mac);
  expected.fill(0);
  if (!ok) throw new EnvelopeError("p2pe-mac", "p2pe: the envelope MAC does not verify");
  const iv = new Uint8Array(blockBytes(e.scheme));
  const padded = e.scheme === "aes-dukpt" ? c.aesCbcDecrypt(dataKey, iv, e.ciphertext) : c.tdesCbcDecrypt(dataKey, iv, e.ciphertext);
  try {
    // ISO/IEC 9797-1, 6.3.2: strip the zeros, then the mandatory 80.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (end < 0 || padded[end] !== 0x80 || padded.length - end > blockBytes(e.scheme)) {
      throw new EnvelopeError("p2pe-format", "p2pe: the plaintext padding is wrong");
    }
    let nodes: Tlv[];
    try {
      nodes = decodeTlv(padded.subarray(0, end));
    } catch {
      throw new EnvelopeError("p2pe-format", "p2pe: the plaintext is not BER-TLV");
    }
    return nodes.map((n) => ({ tag: n.tag, value: n.value.slice() }));
  } finally {
    padded.fill(0);
  }
}

/**
 * Host side (HSM): derives this envelope's data and MAC keys from the BDK and the KSN, verifies the
 * MAC in constant time, then decrypts. AES DUKPT keys have the BDK's type.
 */
export function openEnvelope(c: CryptoProvider, bdk: Uint8Array, envelope: P2peEnvelope): SensitiveItem[] {
  checkEnvelope(envelope);
  let dataKey: Uint8Array;
  let macKey: Uint8Array;
  if (envelope.scheme === "aes-dukpt") {
    const type = aesDerivationKeyType(bdk, "p2pe BDK");
    dataKey = dukptAesHostKey(c, bdk, envelope.ksn, "data-encrypt", type);
    macKey = dukptAesHostKey(c, bdk, envelope.ksn, "mac-gen", type);
  } else {
    dataKey = dukptTdesHostKey(c, bdk, envelope.ksn, "data-request");
    macKey = dukptTdesHostKey(c, bdk, envelope.ksn, "mac-request");
  }
  try {
    return openEnvelopeWithKeys(c, envelope, dataKey, macKey);
  } finally {
    dataKey.fill(0);
    macKey.fill(0);
  }
}
