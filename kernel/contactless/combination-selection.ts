import { concat } from "../bytes";
import type { AllowedCombination } from "./pre-processing";
import type { DirectoryEntry } from "./ppse";

// EMV Contactless Book B, 3.3.2.5 to 3.3.3: from the PPSE directory and the combinations allowed
// after pre-processing, the Candidate List (every pair of a directory entry and a combination whose
// AID and kernel both match), then the choice of the candidate to select (highest priority, the
// first found among equals) and the DF name to SELECT it with.

export interface Candidate {
  entry: DirectoryEntry;
  allowed: AllowedCombination;
  kernelId: number;
}

/** Book B, 3.3.2.5, Table 3-6: the default kernel of an AID's RID when the card names none. */
const DEFAULT_KERNEL_BY_RID: readonly [string, number][] = [
  ["A000000004", 2], // Mastercard
  ["A000000003", 3], // Visa
  ["A000000025", 4], // American Express
  ["A000000065", 5], // JCB
  ["A000000152", 6], // Discover
  ["A000000333", 7], // UnionPay
];

function hex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16).toUpperCase();
  return s;
}

/**
 * 3.3.2.5 step 2C: the Requested Kernel ID. Absent, empty or '00' in '9F2A': the default kernel of
 * the RID (0 when there is none). Otherwise byte 1 b8-b7 say the format: '00'/'01' an international
 * kernel (byte 1), '10'/'11' a domestic kernel (the first 3 bytes). A domestic ID too short is not
 * usable: undefined (the entry is skipped).
 */
export function requestedKernelId(entry: DirectoryEntry): number | undefined {
  const k = entry.kernelIdentifier;
  if (!k || k.length === 0 || (k.length === 1 && k[0] === 0)) {
    const rid = hex(entry.adfName.subarray(0, 5));
    const d = DEFAULT_KERNEL_BY_RID.find(([r]) => r === rid);
    return d ? d[1] : 0;
  }
  const type = k[0] & 0xc0;
  if (type === 0x00 || type === 0x40) return k[0];
  if (k.length < 3) return undefined;
  return (k[0] << 16) | (k[1] << 8) | k[2];
}

/** 3.3.2.5 step 2B: the ADF Name matches the combination's AID exactly, or partially where allowed. */
export function aidMatches(adfName: Uint8Array, c: AllowedCombination["combination"]): boolean {
  if (adfName.length < c.aid.length) return false;
  for (let i = 0; i < c.aid.length; i++) if (adfName[i] !== c.aid[i]) return false;
  return adfName.length === c.aid.length || c.partialSelection;
}

/** 3.3.2.5: the Candidate List, in directory order, each entry paired with every matching combination. */
export function buildCandidates(entries: readonly DirectoryEntry[], allowed: readonly AllowedCombination[]): Candidate[] {
  const out: Candidate[] = [];
  for (const entry of entries) {
    const requested = requestedKernelId(entry);
    if (requested === undefined) continue;
    for (const a of allowed) {
      if (!aidMatches(entry.adfName, a.combination)) continue;
      // Step 2D: the kernel the card asks for (0: any) must be the combination's.
      if (requested !== 0 && requested !== a.combination.kernelId) continue;
      out.push({ entry, allowed: a, kernelId: a.combination.kernelId });
    }
  }
  return out;
}

/** 3.3.3.2-3.3.3.3: the highest priority (1 highest, 0 none and lowest); the first found among equals. */
export function chooseCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  const rank = (c: Candidate) => (c.entry.priority === 0 ? 16 : c.entry.priority);
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || rank(c) < rank(best)) best = c;
  return best;
}

/** 3.3.3.5: the DF name to select, with the Extended Selection appended when the combination supports it. */
export function selectionName(c: Candidate): Uint8Array {
  const ext = c.entry.extendedSelection;
  return ext && c.allowed.combination.extendedSelectionSupported ? concat(c.entry.adfName, ext) : c.entry.adfName.slice();
}
