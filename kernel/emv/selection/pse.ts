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

/**
 * How deep DDFs may nest below the PSE. EMV names no limit; a hostile card could chain DDFs without
 * end, so the terminal stops following them past this depth (and never follows one twice).
 */
const MAX_DDF_DEPTH = 4;

/**
 * Book 1, 11.3.4, Table 8: the FCI of the PSE (or of a DDF, 11.3.4, Table 9), '6F' { '84', 'A5' {
 * '88' SFI, '5F2D', ... } }.
 */
function directorySfi(fci: Tlv[]): { sfi: number; languages: string[] } | undefined {
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
  const pse = directorySfi(fci);
  if (!pse) return { kind: "not-available" };
  const candidates: Candidate[] = [];
  await readDirectory(t, config, pse.sfi, pse.languages, 0, new Set([hexOf(PSE_NAME)]), candidates);
  return { kind: "read", candidates };
}

function hexOf(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

/**
 * Steps 2-4: read a directory, record 1 upward, until '6A83' (record not found). An ADF entry ('4F')
 * that the terminal supports joins the candidates; a DDF entry ('9D', Book 1, 12.2.3, Table 12) is
 * selected and its own directory read at that point, after which the referring directory resumes
 * (Book 1, 12.3.2, step 3).
 */
async function readDirectory(t: ApduTransport, config: TerminalConfig, sfi: number, languages: string[],
    depth: number, visited: Set<string>, candidates: Candidate[]): Promise<void> {
  for (let n = 1; n <= LAST_RECORD; n++) {
    const rec = await readRecord(t, sfi, n);
    if (rec.sw === 0x6a83) break;
    if (rec.sw !== SW_OK) continue;
    const entries = directoryEntries(rec.data);
    if (!entries) continue;
    for (const entry of entries) {
      const ddf = child(entry, "9D");
      if (ddf && !child(entry, "4F")) {
        await followDdf(t, config, ddf.value, languages, depth, visited, candidates);
        continue;
      }
      const adf = child(entry, "4F");
      // Book 1, 12.2.3, Table 12: ADF Name and Application Label are mandatory in an entry.
      if (!adf || adf.length < 5 || adf.length > 16 || !child(entry, "50")) continue;
      const supported = findSupported(config, adf.value);
      if (supported) candidates.push(describe(entry, adf.value, supported, languages));
    }
  }
}

async function followDdf(t: ApduTransport, config: TerminalConfig, name: Uint8Array, languages: string[],
    depth: number, visited: Set<string>, candidates: Candidate[]): Promise<void> {
  const key = hexOf(name);
  // A DDF name is 5 to 16 bytes (Table 12); a loop or a chain past MAX_DDF_DEPTH is not followed.
  if (name.length < 5 || name.length > 16 || visited.has(key) || depth + 1 > MAX_DDF_DEPTH) return;
  visited.add(key);
  const r = await select(t, name);
  if (r.sw !== SW_OK) return; // the DDF is not there or blocked: the terminal reads on
  let fci: Tlv[];
  try {
    fci = decodeCardTlv(r.data, "SELECT DDF");
  } catch (e) {
    if (e instanceof CardDataError) return;
    throw e;
  }
  const ddf = directorySfi(fci);
  if (ddf) await readDirectory(t, config, ddf.sfi, languages, depth + 1, visited, candidates);
}
