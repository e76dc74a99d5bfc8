import { toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import type { AuthorizationResult } from "../../kernel/emv/online";
import { InputError, MposError } from "../../kernel/errors";
import type { AuthorisationData, OnlineAnswer } from "../../kernel/protocol";
import { maskPan, openEnvelope, type SensitiveItem } from "../../kernel/security";
import { isSensitiveTag, panFromBcd, panFromTrack2Equivalent, TRACK_TAGS } from "../../kernel/security/p2pe";
import { tagInfo } from "../../kernel/tlv";
import { simAesBdk, simTdesBdk, type IssuerHost } from "../issuer";
import { issuerWithWallets } from "../picc/run-contactless";
import { authorizationRequest, onlineAnswer } from "../reader/acquirer";

// The acquirer and issuer behind the demo phone app: the phone forwards the reader's authorisation
// data (docs/protocol.md, "online-request") and relays the answer. The issuer host
// (host-sim/issuer) opens the P2PE envelope with its BDK, verifies the ARQC and the online PIN and
// decides. For the page's issuer panel this desk keeps what the host received (EMV data, KSNs) and
// what it found inside the envelope - each card data element MASKED (PCI DSS 3.4: at most the first
// six and last four digits of a PAN; no track data, expiry or name in clear).

export interface IssuerItem {
  tag: string;
  name: string;
  value: string;
}

export interface IssuerEntry {
  at: string;
  cardInterface: AuthorisationData["cardInterface"];
  maskedPan?: string;
  envelope?: { scheme: string; ksn: string; bytes: number };
  pinBlock?: { format: number; ksn: string };
  /** The EMV data objects the phone forwarded (never a sensitive tag: the reader sends none). */
  received: IssuerItem[];
  /** What the host decrypted from the envelope, masked. */
  decrypted: IssuerItem[];
  decision: {
    arc: string;
    approved: boolean;
    reason: string;
    decryptedByHost: boolean;
    arqcVerified?: boolean;
    pinVerified?: boolean;
    entry?: string;
  };
}

const nameOf = (tag: string): string => tagInfo(tag)?.name ?? (tag === TRACK_TAGS.track1 ? "Track 1" : tag === TRACK_TAGS.track2 ? "Track 2" : tag === TRACK_TAGS.track3 ? "Track 3" : "Proprietary");

/** A decrypted card data element as the panel may show it: a masked PAN, or only its length. */
export function maskedItem(item: SensitiveItem): IssuerItem {
  const out = { tag: item.tag, name: nameOf(item.tag) };
  try {
    if (item.tag === "5A") return { ...out, value: maskPan(panFromBcd(item.value)) };
    if (item.tag === "57") return { ...out, value: `${maskPan(panFromTrack2Equivalent(item.value))}=**** (${item.value.length} bytes)` };
    if (item.tag === TRACK_TAGS.track2 || item.tag === TRACK_TAGS.track1) {
      // ISO/IEC 7813: the PAN follows the start sentinel (';' on track 2, '%B' on track 1).
      const text = String.fromCharCode(...Array.from(item.value));
      const m = /^[%;]?B?([0-9]{12,19})/.exec(text);
      return { ...out, value: m ? `${maskPan(m[1])}... (${item.value.length} characters)` : `[${item.value.length} bytes]` };
    }
  } catch (e) {
    if (!(e instanceof MposError)) throw e;
  }
  return { ...out, value: `[${item.value.length} bytes, not shown]` };
}

function bad(field: string): never {
  throw new InputError("authorisation", `authorisation data: ${field}`);
}

function bytesField(v: unknown, field: string, max: number): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length > max) bad(`${field} must be at most ${max} bytes`);
  return v;
}

/**
 * Checks the authorisation data the phone forwards (docs/protocol.md, "online-request"): it comes
 * from the page, so every field is typed and bounded before the host reads it.
 */
export function checkAuthorisationData(v: unknown): AuthorisationData {
  if (v === null || typeof v !== "object" || Array.isArray(v)) bad("must be an object");
  const o = v as Record<string, unknown>;
  if (o.cardInterface !== "contact" && o.cardInterface !== "contactless" && o.cardInterface !== "magstripe") bad("cardInterface must be contact, contactless or magstripe");
  if (!Array.isArray(o.emvData) || o.emvData.length > 64) bad("emvData must be a list of at most 64 items");
  const data: AuthorisationData = {
    cardInterface: o.cardInterface,
    emvData: o.emvData.map((item, i) => {
      const it = item as Record<string, unknown>;
      if (it === null || typeof it !== "object" || typeof it.tag !== "string" || !/^[0-9A-F]{2,6}$/.test(it.tag)) bad(`emvData[${i}].tag must be hex`);
      return { tag: it.tag, value: bytesField(it.value, `emvData[${i}].value`, 256) };
    }),
  };
  if (o.maskedPan !== undefined) {
    if (typeof o.maskedPan !== "string" || !/^[0-9*]{8,19}$/.test(o.maskedPan)) bad("maskedPan must be digits and '*'");
    data.maskedPan = o.maskedPan;
  }
  if (o.envelope !== undefined) {
    const e = o.envelope as Record<string, unknown>;
    if (e === null || typeof e !== "object" || (e.scheme !== "aes-dukpt" && e.scheme !== "tdes-dukpt")) bad("envelope.scheme must be aes-dukpt or tdes-dukpt");
    data.envelope = {
      scheme: e.scheme, ksn: bytesField(e.ksn, "envelope.ksn", 12),
      ciphertext: bytesField(e.ciphertext, "envelope.ciphertext", 4096 + 64), mac: bytesField(e.mac, "envelope.mac", 32),
    };
  }
  if (o.pinBlock !== undefined) {
    const p = o.pinBlock as Record<string, unknown>;
    if (p === null || typeof p !== "object" || (p.format !== 0 && p.format !== 4)) bad("pinBlock.format must be 0 or 4");
    data.pinBlock = { format: p.format, block: bytesField(p.block, "pinBlock.block", 16), ksn: bytesField(p.ksn, "pinBlock.ksn", 12) };
  }
  return data;
}

export class IssuerDesk {
  readonly issuer: IssuerHost = issuerWithWallets();
  private readonly entries: IssuerEntry[] = [];

  constructor(private readonly onEntry: (entry: IssuerEntry) => void, private readonly keep = 50) {}

  recent(): IssuerEntry[] {
    return this.entries.slice();
  }

  /** The phone's online request: the host decides, the answer goes back through the phone. */
  authorise(data: AuthorisationData): OnlineAnswer {
    let request;
    try {
      request = authorizationRequest(data);
    } catch {
      // No card data to authorise: the phone answers "unable to go online" (EMV Book 3, 10.10).
      return { result: "unable" };
    }
    const d = this.issuer.decide(request);
    const result: AuthorizationResult = { kind: "response", arc: d.arc };
    if (d.issuerAuthenticationData) result.issuerAuthenticationData = d.issuerAuthenticationData;
    if (d.issuerScripts) result.issuerScripts = d.issuerScripts;

    const entry: IssuerEntry = {
      at: new Date().toISOString(),
      cardInterface: data.cardInterface,
      received: data.emvData.filter((i) => !isSensitiveTag(i.tag)).map((i) => ({ tag: i.tag, name: nameOf(i.tag), value: toHex(i.value) })),
      decrypted: this.decrypted(data),
      decision: { arc: d.arc, approved: d.approved, reason: d.reason, decryptedByHost: d.decryptedByHost },
    };
    if (d.maskedPan ?? data.maskedPan) entry.maskedPan = d.maskedPan ?? data.maskedPan;
    if (data.envelope) entry.envelope = { scheme: data.envelope.scheme, ksn: toHex(data.envelope.ksn), bytes: data.envelope.ciphertext.length };
    if (data.pinBlock) entry.pinBlock = { format: data.pinBlock.format, ksn: toHex(data.pinBlock.ksn) };
    if (d.arqcVerified !== undefined) entry.decision.arqcVerified = d.arqcVerified;
    if (d.pinVerified !== undefined) entry.decision.pinVerified = d.pinVerified;
    if (d.entry !== undefined) entry.decision.entry = d.entry;
    this.entries.push(entry);
    if (this.entries.length > this.keep) this.entries.shift();
    this.onEntry(entry);
    return onlineAnswer(result);
  }

  /** Opens the envelope as the host does, keeps only the masked view, and zeroizes the clear data. */
  private decrypted(data: AuthorisationData): IssuerItem[] {
    if (!data.envelope) return [];
    let items: SensitiveItem[];
    try {
      items = openEnvelope(softwareCrypto, data.envelope.scheme === "aes-dukpt" ? simAesBdk() : simTdesBdk(), data.envelope);
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
      return [];
    }
    try {
      return items.map(maskedItem);
    } finally {
      for (const i of items) i.value.fill(0);
    }
  }
}
