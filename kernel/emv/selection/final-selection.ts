import type { CardholderInterface } from "../cardholder";
import { select, SW_OK } from "../commands";
import { CardDataError } from "../errors";
import type { MessageName } from "../messages";
import type { TerminalConfig } from "../terminal-config";
import type { ApduTransport } from "../../iso7816/apdu";
import { choiceFor, sortByPriority, type Candidate } from "./candidate";
import { parseAdfFci, type AdfFci } from "./fci";

// EMV 4.4 Book 1, 12.4: choosing one application from the candidate list and selecting it, with
// the cardholder's choice or confirmation where the priority indicator asks for it, and another try
// when the SELECT fails.

export type FinalSelectionResult =
  | { kind: "selected"; candidate: Candidate; fci: AdfFci }
  /** Step 1: no mutually supported application is left ("NOT ACCEPTED"). */
  | { kind: "not-accepted" }
  /** SELECT answered '6A81': the card is blocked. */
  | { kind: "card-blocked" }
  /** The cardholder cancelled the choice or refused to confirm the only application. */
  | { kind: "cancelled" };

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Steps 2-4: the candidate to try next, or a result that ends selection. */
async function choose(
  list: Candidate[],
  config: TerminalConfig,
  cardholder: CardholderInterface,
): Promise<Candidate | FinalSelectionResult> {
  if (list.length === 0) return { kind: "not-accepted" };
  if (list.length === 1) {
    const only = list[0];
    if (!only.confirmationRequired) return only;
    // Step 2: the only application asks for confirmation; a terminal that cannot ask cannot use it.
    if (!config.cardholderSelection) return { kind: "not-accepted" };
    const ok = await cardholder.confirmApplication(choiceFor(only, config.additionalCapabilities));
    return ok ? only : { kind: "cancelled" };
  }
  if (config.cardholderSelection) {
    // Step 3: offer the list in priority order; the cardholder's choice needs no further confirmation.
    const index = await cardholder.selectApplication(list.map((c) => choiceFor(c, config.additionalCapabilities)));
    if (index === null) return { kind: "cancelled" };
    if (!Number.isInteger(index) || index < 0 || index >= list.length) throw new Error("selectApplication: index out of range");
    return list[index];
  }
  // Step 4: without cardholder selection, the highest priority application that needs no confirmation.
  const usable = list.filter((c) => !c.confirmationRequired);
  return usable.length > 0 ? usable[0] : { kind: "not-accepted" };
}

/**
 * Runs final selection over `candidates` (which it sorts and from which it removes every
 * application it fails to select, so that a later "return to application selection" after
 * GET PROCESSING OPTIONS '6985' goes on with the rest).
 */
export async function finalSelection(
  t: ApduTransport,
  candidates: Candidate[],
  config: TerminalConfig,
  cardholder: CardholderInterface,
  show: (m: MessageName) => void,
): Promise<FinalSelectionResult> {
  const sorted = sortByPriority(candidates);
  candidates.splice(0, candidates.length, ...sorted);
  for (;;) {
    const picked = await choose(candidates, config, cardholder);
    if (!("adfName" in picked)) return picked;
    candidates.splice(candidates.indexOf(picked), 1);
    // Step 5: SELECT the chosen ADF by its full name.
    const r = await select(t, picked.adfName);
    if (r.sw === 0x6a81) return { kind: "card-blocked" };
    if (r.sw === SW_OK) {
      try {
        const fci = parseAdfFci(r.data);
        // The DF Name the card answers with is the one the terminal asked for.
        if (equal(fci.dfName, picked.adfName)) return { kind: "selected", candidate: picked, fci };
      } catch (e) {
        if (!(e instanceof CardDataError)) throw e;
      }
    }
    // Any other answer ('6283' application blocked, a malformed FCI...): the application is removed
    // from the list, "TRY AGAIN" shown, and selection goes on with the rest (Book 1, 12.4).
    show("tryAgain");
  }
}
