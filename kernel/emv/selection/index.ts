import type { ApduTransport } from "../../iso7816/apdu";
import type { TerminalConfig } from "../terminal-config";
import type { Candidate } from "./candidate";
import { findByListOfAids } from "./list-of-aids";
import { readPse } from "./pse";

// EMV 4.4 Book 1, section 12: application selection. 12.3 builds the candidate list (PSE first,
// then the list of AIDs); 12.4 (final-selection.ts) picks one and selects it.

export { finalSelection, type FinalSelectionResult } from "./final-selection";
export { selectLanguage } from "./language";
export type { Candidate } from "./candidate";

export type CandidateListResult = { kind: "list"; candidates: Candidate[] } | { kind: "card-blocked" };

/** Book 1, 12.3: the PSE method, and the list of AIDs when the PSE is absent or lists nothing usable. */
export async function buildCandidateList(t: ApduTransport, config: TerminalConfig): Promise<CandidateListResult> {
  const pse = await readPse(t, config);
  if (pse.kind === "card-blocked") return pse;
  // 12.3.2, step 5: no PSE, or a PSE that yields no candidate, leads to the list of AIDs.
  if (pse.kind === "read" && pse.candidates.length > 0) return { kind: "list", candidates: pse.candidates };
  const aids = await findByListOfAids(t, config);
  if (aids.kind === "card-blocked") return aids;
  return { kind: "list", candidates: aids.candidates };
}
