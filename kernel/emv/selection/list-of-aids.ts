import type { ApduTransport } from "../../iso7816/apdu";
import { select, SW_OK } from "../commands";
import { CardDataError } from "../errors";
import type { TerminalConfig } from "../terminal-config";
import { describe, matchAid, type Candidate } from "./candidate";
import { parseAdfFci } from "./fci";

// EMV 4.4 Book 1, 12.3.3: building the candidate list by selecting each AID the terminal supports.

export type ListOfAidsResult =
  | { kind: "read"; candidates: Candidate[] }
  /** SELECT answered '6A81' (card blocked or SELECT not supported): terminate (step 2). */
  | { kind: "card-blocked" };

/** Bound on SELECT next occurrence for one AID, so that a card repeating itself cannot loop us. */
const MAX_OCCURRENCES = 16;

export async function findByListOfAids(t: ApduTransport, config: TerminalConfig): Promise<ListOfAidsResult> {
  const candidates: Candidate[] = [];
  for (const app of config.applications) {
    // Step 1: SELECT with the terminal's AID, first occurrence.
    let r = await select(t, app.aid);
    if (r.sw === 0x6a81) return { kind: "card-blocked" };
    for (let occurrence = 0; occurrence < MAX_OCCURRENCES; occurrence++) {
      // Step 3: anything but '9000' or '6283' (application blocked) ends this AID.
      if (r.sw !== SW_OK && r.sw !== 0x6283) break;
      let fci;
      try {
        fci = parseAdfFci(r.data);
      } catch (e) {
        if (e instanceof CardDataError) break;
        throw e;
      }
      const match = matchAid(fci.dfName, app);
      // Step 4 (exact match) and step 6 (partial match allowed): a blocked application ('6283') is
      // not added.
      if (match !== "none" && r.sw === SW_OK) {
        candidates.push(describe(fci.proprietary, fci.dfName, app, []));
      }
      // Step 5: after an exact match, or a partial match the terminal does not allow, go on to the
      // next AID. Step 7: after an allowed partial match, SELECT the next occurrence.
      if (match !== "partial") break;
      r = await select(t, app.aid, true);
    }
  }
  return { kind: "read", candidates };
}
