import { hasBit } from "../../emv/bits";
import { decodeCardTlv } from "../../emv/card-tlv";
import { getProcessingOptions, SW_OK } from "../../emv/commands";
import type { TransactionContext } from "../../emv/context";
import { compareDates, decodeDate } from "../../emv/dates";
import { CardDataError } from "../../emv/errors";
import { buildCardDol } from "../../emv/terminal-data";
import { TVR } from "../../emv/tvr";
import { cardReadSuccessfully, newKernelContext, outcomeForError, readRecords, releasingOdaRecords } from "../kernel-context";
import type { ContactlessKernel, KernelActivation, KernelResult } from "../kernel";
import { outcomeOf, type OutcomeCvm, type OutcomeParameterSet } from "../outcome";
import { ui } from "../ui";
import { performFdda } from "./fdda";
import { CTQ, TTQ } from "./qualifiers";

// Kernel 3 (EMV Contactless Book C-3), the qVSDC path: the reader sends its TTQ in the PDOL, the
// card decides in GET PROCESSING OPTIONS and returns its cryptogram at once (with fDDA's signature
// and its CTQ), the reader reads the records, tells the cardholder the card may go, and only then
// verifies the signature, checks the dates, settles the CVM and gives the outcome.

/** Cryptogram Information Data b8-b7 (EMV Book 3, 6.5.5.4): the type of the cryptogram. */
type Cryptogram = "aac" | "tc" | "arqc";

function cryptogramType(ctx: TransactionContext): Cryptogram | undefined {
  const cid = ctx.data.get("9F27");
  let bits: number | undefined;
  if (cid && cid.length === 1) bits = cid[0] & 0xc0;
  else {
    // Book C-3, Annex A: without '9F27', the type is in the Issuer Application Data, byte 5 b6-b5.
    const iad = ctx.data.get("9F10");
    if (iad && iad.length >= 5) bits = (iad[4] << 2) & 0xc0;
  }
  return bits === 0x00 ? "aac" : bits === 0x40 ? "tc" : bits === 0x80 ? "arqc" : undefined;
}

/** The data a kernel 3 card must return with its cryptogram (Book C-3, Annex A, qVSDC). */
const MANDATORY = ["82", "9F36", "9F26", "9F10"];

/**
 * Book C-3, cardholder verification: which CVM the reader completes, from the TTQ it sent and the
 * CTQ the card returned; undefined when a CVM is required and none can be done.
 */
export function selectCvm(ttq: Uint8Array, ctq: Uint8Array | undefined): OutcomeCvm | undefined {
  const required = hasBit(ttq, TTQ.cvmRequired);
  const pinOk = hasBit(ttq, TTQ.onlinePinSupported);
  const signOk = hasBit(ttq, TTQ.signatureSupported);
  if (ctq) {
    if (hasBit(ctq, CTQ.onlinePinRequired) && pinOk) return "online-pin";
    if (hasBit(ctq, CTQ.consumerDeviceCvmPerformed)) return "confirmation-code-verified";
    if (hasBit(ctq, CTQ.signatureRequired) && signOk) return "obtain-signature";
    return required ? undefined : "no-cvm";
  }
  if (!required) return "no-cvm";
  if (pinOk) return "online-pin";
  if (signOk) return "obtain-signature";
  return undefined;
}

function expired(ctx: TransactionContext): boolean {
  const exp = ctx.data.get("5F24");
  const today = ctx.data.get("9A");
  if (!exp || !today) return false;
  return compareDates(decodeDate(exp, "Application Expiration Date"), decodeDate(today, "Transaction Date")) < 0;
}

/** After the card has left: fDDA, expiry, CVM and the outcome (Book C-3, "processing the outcome"). */
function decide(a: KernelActivation, ctx: TransactionContext, result: KernelResult): OutcomeParameterSet {
  for (const tag of MANDATORY) {
    if (!ctx.data.has(tag)) throw new CardDataError(`kernel 3: mandatory '${tag}' missing (Book C-3, Annex A)`);
  }
  if (!ctx.data.has("57") && !ctx.data.has("5A")) throw new CardDataError("kernel 3: neither '57' nor '5A' (Book C-3, Annex A)");
  const type = cryptogramType(ctx);
  if (!type) throw new CardDataError("kernel 3: the cryptogram type is not AAC, TC or ARQC");
  const ttq = ctx.data.get("9F66") as Uint8Array;
  const ctq = ctx.data.get("9F6C");
  const onlineCapable = !hasBit(ttq, TTQ.offlineOnlyReader);
  const contact = a.config.contactChipSupported && hasBit(ttq, TTQ.emvContactChipSupported);
  if (type === "aac") {
    return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: "the card declined (AAC)" });
  }
  // The Card Authentication Related Data carries the CTQ the card signed: a CDCVM claim that does
  // not match it is not believed.
  const cvm = selectCvm(ttq, ctq);
  const signedCard = ctx.data.get("9F69");
  if (cvm === "confirmation-code-verified" && ctq && signedCard && signedCard.length >= 7 &&
      (signedCard[5] !== ctq[0] || signedCard[6] !== ctq[1])) {
    return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: "CTQ differs from the signed card data" });
  }
  if (type === "arqc") {
    if (cvm === undefined) return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: "CVM required and none possible" });
    return outcomeOf("online-request", { cvm, uiOnOutcome: ui("authorisingPleaseWait", "notReady"), receipt: cvm === "obtain-signature" });
  }
  // A TC: approved offline only with fDDA passed, an unexpired application and a CVM done.
  const aip = ctx.data.get("82") as Uint8Array;
  const fdda = (aip[0] & 0x20) !== 0 ? performFdda(ctx) : { ok: false as const, reason: "data-missing" as const };
  result.oda = "fdda";
  result.odaResult = fdda.ok ? "passed" : "failed";
  if (!fdda.ok) {
    // The TVR stays as the card received it in the PDOL: the issuer recomputes the cryptogram over it.
    if (ctq && hasBit(ctq, CTQ.goOnlineIfOdaFails) && onlineCapable) {
      return outcomeOf("online-request", { cvm: cvm ?? "n/a", uiOnOutcome: ui("authorisingPleaseWait", "notReady"), reason: `fDDA failed (${fdda.reason})` });
    }
    if (ctq && hasBit(ctq, CTQ.switchInterfaceIfOdaFails) && contact) {
      return outcomeOf("try-another-interface", { uiOnOutcome: ui("pleaseInsertCard", "processingError"), alternateInterface: "contact", reason: `fDDA failed (${fdda.reason})` });
    }
    return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: `fDDA failed (${fdda.reason})` });
  }
  if (expired(ctx)) {
    ctx.tvr.set(TVR.expiredApplication);
    return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: "application expired" });
  }
  if (cvm === undefined || cvm === "online-pin") {
    // Online PIN cannot follow a TC: the card would have asked for an ARQC.
    return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: "offline approval without a CVM the reader can do" });
  }
  const sign = cvm === "obtain-signature";
  return outcomeOf("approved", { cvm, receipt: sign, uiOnOutcome: ui(sign ? "approvedPleaseSign" : "approved", "notReady") });
}

async function activate(a: KernelActivation): Promise<KernelResult> {
  const ctx = newKernelContext(a);
  const ttq = a.candidate.allowed.indicators.ttq;
  if (!ttq) throw new Error("kernel 3 activated without a TTQ (configuration is checked at load)");
  ctx.data.set("9F66", ttq);
  const result: KernelResult = { outcome: outcomeOf("end-application"), ctx, oda: "none", odaResult: "not-performed" };
  try {
    const pdol = ctx.data.get("9F38");
    ctx.pdolData = pdol ? buildCardDol(ctx, pdol, "PDOL") : new Uint8Array(0);
    const r = await getProcessingOptions(a.transport, ctx.pdolData);
    // Book C-3, 5.2.2.2: the status words of GET PROCESSING OPTIONS.
    if (r.sw === 0x6984) {
      result.outcome = outcomeOf("try-another-interface", { uiOnOutcome: ui("insertOrSwipeCard", "processingError"), alternateInterface: "contact", reason: "GPO 6984" });
      return result;
    }
    if (r.sw === 0x6985) {
      result.outcome = outcomeOf("select-next", { start: "C", reason: "GPO 6985" });
      return result;
    }
    if (r.sw === 0x6986) {
      // The phone wants its owner to verify first: "See phone", then present it again.
      result.outcome = outcomeOf("try-again", { start: "B", uiOnOutcome: ui("seePhone", "notReady", 1300), uiOnRestart: ui("presentCard", "readyToRead"), reason: "GPO 6986" });
      return result;
    }
    if (r.sw !== SW_OK) {
      result.outcome = outcomeOf("end-application", { uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"), reason: `GPO status ${r.sw.toString(16).toUpperCase()}` });
      return result;
    }
    const objects = decodeCardTlv(r.data, "GET PROCESSING OPTIONS");
    if (objects.length !== 1 || objects[0].tag !== "77" || !objects[0].children) {
      throw new CardDataError("GET PROCESSING OPTIONS: kernel 3 needs the format 2 response ('77')");
    }
    ctx.data.addCard(objects[0].children, false, "GET PROCESSING OPTIONS");
    const aip = ctx.data.get("82");
    if (!aip || aip.length !== 2) throw new CardDataError("GET PROCESSING OPTIONS: AIP '82' missing or not 2 bytes");
    ctx.aip = aip.slice();
    await readRecords(ctx);
  } catch (e) {
    result.outcome = outcomeForError(e);
    return result;
  }
  result.cardReadAtMs = cardReadSuccessfully(a);
  try {
    result.outcome = decide(a, ctx, result);
  } catch (e) {
    result.outcome = outcomeForError(e);
  }
  return result;
}

export const kernel3: ContactlessKernel = { kernelId: 3, activate: releasingOdaRecords(activate) };
