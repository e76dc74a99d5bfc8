import { writeUint } from "../bytes";
import { newContext, type TransactionContext } from "../emv/context";
import { decodeCardTlv } from "../emv/card-tlv";
import { parseAfl } from "../emv/afl";
import { readRecord, SW_OK } from "../emv/commands";
import { CardDataError } from "../emv/errors";
import { setApplicationTerminalData, setTerminalData } from "../emv/terminal-data";
import { isRfError } from "../iso14443/errors";
import { MposError } from "../errors";
import { releaseOdaRecords } from "../emv/offline-data-authentication";
import type { ContactlessKernel, KernelActivation, KernelResult } from "./kernel";
import { outcomeOf, type OutcomeParameterSet } from "./outcome";
import { findTag } from "../tlv";
import { ui } from "./ui";

// The parts every contactless kernel shares: the transaction context (the contact kernel's data
// store, TVR and terminal data, reused), reading the records the AFL names, the "card read" moment
// of EMV Contactless Book A, and the outcomes for a card that leaves the field or sends bad data.

/** POS Entry Mode '9F39' '07': contactless integrated circuit card (ISO 8583:1987, field 22). */
const POS_ENTRY_CONTACTLESS_CHIP = 0x07;

/**
 * A transaction context for one kernel activation: the terminal's data (Book 3 Annex A, EMV Book 4),
 * the application's (its floor limit the combination's contactless one), the FCI of the SELECT.
 * `cvmCapability` replaces Terminal Capabilities byte 2 (kernel 2: 'DF8118' or 'DF8119').
 */
export function newKernelContext(a: KernelActivation, cvmCapability?: number): TransactionContext {
  const terminal = a.config.terminal;
  const capabilities = terminal.capabilities.slice();
  if (cvmCapability !== undefined) capabilities[1] = cvmCapability;
  const combination = a.candidate.allowed.combination;
  const app = { ...combination.app, floorLimit: combination.floorLimit ?? combination.app.floorLimit };
  const ctx = newContext({ ...terminal, capabilities }, a.params, { ...a.deps, transport: a.transport });
  setTerminalData(ctx);
  ctx.data.set("9F39", Uint8Array.of(POS_ENTRY_CONTACTLESS_CHIP));
  ctx.app = { dfName: a.candidate.entry.adfName.slice(), config: app, language: terminal.languages[0] };
  setApplicationTerminalData(ctx);
  ctx.data.set("9F1B", writeUint(app.floorLimit, 4));
  ctx.data.set("9C", Uint8Array.of(a.params.transactionType));
  ctx.data.addCard(a.fciObjects, false, "SELECT");
  return ctx;
}

/**
 * Reads the records the AFL names (EMV Book 3, 10.2, as the contactless kernels do it: Book C-2
 * and C-3 read every record before the card may leave), keeping those marked for offline data
 * authentication. A record missing or not a '70' template is card data the kernel cannot accept.
 */
export async function readRecords(ctx: TransactionContext): Promise<void> {
  const afl = ctx.data.get("94");
  if (!afl) return;
  ctx.odaRecords = [];
  for (const e of parseAfl(afl)) {
    for (let n = e.first; n <= e.last; n++) {
      const what = `READ RECORD SFI ${e.sfi} record ${n}`;
      const r = await readRecord(ctx.deps.transport, e.sfi, n);
      if (r.sw !== SW_OK) throw new CardDataError(`${what}: status ${r.sw.toString(16).toUpperCase()}`);
      const objects = decodeCardTlv(r.data, what);
      if (objects.length !== 1 || objects[0].tag !== "70" || !objects[0].children) {
        if (e.sfi <= 10) throw new CardDataError(`${what}: not a '70' template (Book 3, 10.2)`);
      } else {
        ctx.data.addCard(objects[0].children, true, what);
      }
      if (n < e.first + e.odaCount) ctx.odaRecords.push({ sfi: e.sfi, record: r.data.slice() });
    }
  }
}

/**
 * Book A (status "Card Read Successfully"): the card has given all it will: "Card read OK, please remove card", the fourth light
 * and the success tone. Returns the modeled time of that moment. The request carries the card's
 * Language Preference '5F2D' from the FCI of the SELECT where the card gave one (Book C-2, "User
 * Interface Request Data": Language Preference; Book C-3 likewise), so the reader shows the rest of
 * the transaction in the cardholder's language as on the contact path (EMV Book 4, 11.1).
 */
export function cardReadSuccessfully(a: KernelActivation): number {
  const request = ui("cardReadOk", "cardReadSuccessfully");
  const preference = findTag(a.fciObjects, "5F2D");
  if (preference !== undefined && preference.children === undefined) request.languagePreference = preference.value.slice();
  a.deps.ui.request(request);
  return a.deps.clock.nowMs();
}

/**
 * Errors while the card is in the field (Book C-2 and C-3, "L1 error"): a card that left or stopped
 * answering gives Try Again with "Present card again" on restart (Book A standard message '21'); card data the
 * kernel cannot accept gives End Application. Anything else is a bug and is rethrown.
 */
export function outcomeForError(e: unknown): OutcomeParameterSet {
  if (isRfError(e)) {
    return outcomeOf("try-again", {
      start: "B",
      uiOnOutcome: ui("presentCardAgain", "readyToRead"),
      uiOnRestart: ui("presentCardAgain", "readyToRead"),
      reason: `communication error: ${(e as MposError).code}`,
    });
  }
  if (e instanceof MposError) {
    return outcomeOf("end-application", {
      uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"),
      reason: `${e.code}: ${e.message}`,
    });
  }
  throw e;
}

/**
 * A kernel's activation whose result keeps no ODA records: the kernel has made its last use of them
 * (fDDA, Book C-3 5.3; CDA, Book C-2 with Book 2 6.6) before it returns, while its context lives on
 * into the online request (issue 10, item 5: RAM while the reader goes online).
 */
export function releasingOdaRecords(activate: ContactlessKernel["activate"]): ContactlessKernel["activate"] {
  return async (a) => {
    const result: KernelResult = await activate(a);
    releaseOdaRecords(result.ctx);
    return result;
  };
}
