import type { Tlv } from "../../tlv";
import { readRecord, select, SW_OK } from "../commands";
import { child, decodeCardTlv } from "../card-tlv";
import { CardDataError } from "../errors";
import type { TerminalConfig } from "../terminal-config";
import type { ApduTransport } from "../../iso7816/apdu";
import { describe, findSupported, parseLanguagePreference, type Candidate } from "./candidate";

// EMV 4.4 Book 1, 12.3.2: building the candidate list from the Payment System Environment, the
// directory '1PAY.SYS.DDF01' (Book 1, 12.2.2) whose records list the card's applications.

export const PSE_NAME = new Uint8Array(Array.from("1PAY.SYS.DDF01", (ch) => ch.charCodeAt(0)));

export type PseResult =
  /** The PSE was read; the list may be empty (then the list of AIDs method follows, step 5). */
  | { kind: "read"; candidates: Candidate[] }
  /** No usable PSE (not found, blocked, malformed): use the list of AIDs (step 1). */
  | { kind: "not-available" }
  /** SELECT answered '6A81': the card is blocked or does not support SELECT; terminate (step 1). */
  | { kind: "card-blocked" };

/** The last record number a READ RECORD can name (P1 '01' to 'FE'). */
const LAST_RECORD = 254;

/** Book 1, 11.3.4, Table 8: the FCI of the PSE, '6F' { '84', 'A5' { '88' SFI, '5F2D', ... } }. */
function pseSfi(fci: Tlv[]): { sfi: number; languages: string[] } | undefined {
  if (fci.length !== 1 || fci[0].tag !== "6F" || !fci[0].children) return undefined;
  const a5 = child(fci[0], "A5");
  if (!a5 || !a5.children) return undefined;
  const sfi = child(a5, "88");
  // Book 1, 12.2.2: the SFI of the directory elementary file is 1 to 10.
  if (!sfi || sfi.length !== 1 || sfi.value[0] < 1 || sfi.value[0] > 10) return undefined;
  const lang = child(a5, "5F2D");
  return { sfi: sfi.value[0], languages: parseLanguagePreference(lang ? lang.value : undefined) };
}

/**
 * Book 1, 12.2.3, Tables 11-12: a directory record is a '70' template of Application Templates
 * '61', each with ADF Name '4F' and Application Label '50'. Returns undefined for a record that is
 * not such a template (the terminal ignores it and reads on).
 */
function directoryEntries(record: Uint8Array): Tlv[] | undefined {
  let objects: Tlv[];
  try {
    objects = decodeCardTlv(record, "PSE directory record");
  } catch (e) {
    if (e instanceof CardDataError) return undefined;
    throw e;
  }
  if (objects.length !== 1 || objects[0].tag !== "70" || !objects[0].children) return undefined;
  return objects[0].children.filter((o) => o.tag === "61" && o.children !== undefined);
}

export async function readPse(t: ApduTransport, config: TerminalConfig): Promise<PseResult> {
  // Step 1: SELECT the PSE.
  const r = await select(t, PSE_NAME);
  if (r.sw === 0x6a81) return { kind: "card-blocked" };
  if (r.sw !== SW_OK) return { kind: "not-available" };
  let fci: Tlv[];
  try {
    fci = decodeCardTlv(r.data, "SELECT PSE");
  } catch (e) {
    if (e instanceof CardDataError) return { kind: "not-available" };
    throw e;
  }
  const pse = pseSfi(fci);
  if (!pse) return { kind: "not-available" };

  // Steps 2-4: read the directory, record 1 upward, until '6A83' (record not found).
  const candidates: Candidate[] = [];
  for (let n = 1; n <= LAST_RECORD; n++) {
    const rec = await readRecord(t, pse.sfi, n);
    if (rec.sw === 0x6a83) break;
    if (rec.sw !== SW_OK) continue;
    const entries = directoryEntries(rec.data);
    if (!entries) continue;
    for (const entry of entries) {
      // A DDF entry ('9D' DDF Name instead of '4F') is not followed: its applications are found by
      // the list of AIDs method when the PSE lists none of them.
      const adf = child(entry, "4F");
      // Book 1, 12.2.3, Table 12: ADF Name and Application Label are mandatory in an entry.
      if (!adf || adf.length < 5 || adf.length > 16 || !child(entry, "50")) continue;
      const supported = findSupported(config, adf.value);
      if (supported) candidates.push(describe(entry, adf.value, supported, pse.languages));
    }
  }
  return { kind: "read", candidates };
}
