import { select, SW_OK } from "../emv/commands";
import type { ApduTransport } from "../iso7816/apdu";
import { decodeTlv, TlvError, type Tlv } from "../tlv";

// The Proximity Payment System Environment (EMV Contactless Book B, 3.3.2): SELECT '2PAY.SYS.DDF01'
// answers with an FCI whose FCI Issuer Discretionary Data 'BF0C' holds one Directory Entry '61' per
// application: ADF Name '4F', Application Label '50', Application Priority Indicator '87', and
// optionally the Kernel Identifier '9F2A' and the Extended Selection '9F29'.

export const PPSE_NAME = Uint8Array.from("2PAY.SYS.DDF01", (ch) => ch.charCodeAt(0));

export interface DirectoryEntry {
  adfName: Uint8Array;
  label?: string;
  /** '87' b4-b1, 0 when absent (no priority). */
  priority: number;
  /** '9F2A' as the card gave it, absent when the entry has none. */
  kernelIdentifier?: Uint8Array;
  /** '9F29'. */
  extendedSelection?: Uint8Array;
  /** Position in the PPSE, for the order among equal priorities (3.3.3.3). */
  order: number;
}

export type PpseResult =
  | { kind: "ok"; entries: DirectoryEntry[] }
  /** 3.3.2.3: no PPSE, a status other than '9000', or an FCI that cannot be read. */
  | { kind: "failed"; reason: string };

function child(t: Tlv, tag: string): Tlv | undefined {
  return t.children ? t.children.find((c) => c.tag === tag) : undefined;
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/** 3.3.2.4-3.3.2.5: the directory entries of a PPSE FCI; entries without a valid ADF Name are skipped. */
export function parsePpseFci(fci: Uint8Array): PpseResult {
  let objects: Tlv[];
  try {
    objects = decodeTlv(fci);
  } catch (e) {
    if (e instanceof TlvError) return { kind: "failed", reason: `PPSE FCI: malformed BER-TLV (${e.code})` };
    throw e;
  }
  const fciTemplate = objects.length === 1 && objects[0].tag === "6F" ? objects[0] : undefined;
  const proprietary = fciTemplate ? child(fciTemplate, "A5") : undefined;
  const discretionary = proprietary ? child(proprietary, "BF0C") : undefined;
  if (!discretionary || !discretionary.children) return { kind: "failed", reason: "PPSE FCI: no 'BF0C' with directory entries (Book B, 3.3.2.3)" };
  const entries: DirectoryEntry[] = [];
  let order = 0;
  for (const entry of discretionary.children) {
    if (entry.tag !== "61" || !entry.children) continue;
    const adf = child(entry, "4F");
    // Step 1: an entry without an ADF Name of 5 to 16 bytes is ignored.
    if (!adf || adf.length < 5 || adf.length > 16) continue;
    const e: DirectoryEntry = { adfName: adf.value.slice(), priority: 0, order: order++ };
    const label = child(entry, "50");
    if (label) e.label = latin1(label.value);
    const api = child(entry, "87");
    if (api && api.length === 1) e.priority = api.value[0] & 0x0f;
    const kid = child(entry, "9F2A");
    if (kid) e.kernelIdentifier = kid.value.slice();
    const ext = child(entry, "9F29");
    if (ext) e.extendedSelection = ext.value.slice();
    entries.push(e);
  }
  if (entries.length === 0) return { kind: "failed", reason: "PPSE FCI: no directory entry with an ADF Name (Book B, 3.3.2.3)" };
  return { kind: "ok", entries };
}

/** 3.3.2.2: SELECT PPSE and read its directory. */
export async function selectPpse(transport: ApduTransport): Promise<PpseResult> {
  const r = await select(transport, PPSE_NAME);
  if (r.sw !== SW_OK) return { kind: "failed", reason: `SELECT PPSE: status ${r.sw.toString(16).toUpperCase()} (Book B, 3.3.2.3)` };
  return parsePpseFci(r.data);
}
