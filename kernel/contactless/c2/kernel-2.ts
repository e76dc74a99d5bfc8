import { concat } from "../../bytes";
import { hasBit } from "../../emv/bits";
import { decodeCardTlv } from "../../emv/card-tlv";
import { generateAc, getProcessingOptions, SW_OK, type AcType } from "../../emv/commands";
import type { TransactionContext } from "../../emv/context";
import { CardDataError } from "../../emv/errors";
import type { OdaCardData } from "../../emv/oda-environment";
import { processingRestrictions } from "../../emv/processing-restrictions";
import { terminalActionAnalysis } from "../../emv/terminal-action-analysis";
import { buildCardDol } from "../../emv/terminal-data";
import { TSI } from "../../emv/tsi";
import { TVR } from "../../emv/tvr";
import { encodeTlv, type Tlv } from "../../tlv";
import { cardReadSuccessfully, newKernelContext, outcomeForError, readRecords, releasingOdaRecords } from "../kernel-context";
import type { ContactlessKernel, KernelActivation, KernelResult } from "../kernel";
import { encodeOutcomeParameterSet, outcomeOf, type OutcomeCvm, type OutcomeParameterSet } from "../outcome";
import { ui } from "../ui";
import { selectCvm } from "./cvm-selection";

// Kernel 2 (EMV Contactless Book C-2), EMV mode: GET PROCESSING OPTIONS, the records, then - with
// the card still in the field - processing restrictions, CVM selection, the floor limit and
// terminal action analysis decide the cryptogram to ask for; GENERATE AC asks for it with a CDA
// signature whenever the card supports CDA and the request is not an AAC. Once the card has
// answered it may leave; the reader then recovers the ICC public key, verifies the CDA signature
// (EMV Book 2, 6.6) and gives the outcome. Mag-stripe mode and the data exchange with a terminal
// application (DEK/DET signals), torn transaction recovery and relay resistance are not used.

/** AIP byte 2 b8: EMV mode is supported (Book C-2, Annex A); byte 1 b1: CDA supported. */
const AIP_EMV_MODE = { byte: 2, bit: 8, name: "EMV mode is supported" } as const;
const AIP_CDA = { byte: 1, bit: 1, name: "CDA supported" } as const;

const AC_FOR: Record<"aac" | "tc" | "arqc", AcType> = { aac: "aac", tc: "tc", arqc: "arqc" };

/** The GENERATE AC response in either format (EMV Book 3, 6.5.5.4) into the data store. */
function storeGenerateAcResponse(ctx: TransactionContext, data: Uint8Array): Tlv[] {
  const objects = decodeCardTlv(data, "GENERATE AC");
  if (objects.length !== 1) throw new CardDataError("GENERATE AC: not one response template");
  const t = objects[0];
  if (t.tag === "77" && t.children) {
    ctx.data.addCard(t.children, false, "GENERATE AC");
    return t.children;
  }
  if (t.tag === "80" && t.value.length >= 11) {
    ctx.data.set("9F27", t.value.slice(0, 1), "card");
    ctx.data.set("9F36", t.value.slice(1, 3), "card");
    ctx.data.set("9F26", t.value.slice(3, 11), "card");
    if (t.value.length > 11) ctx.data.set("9F10", t.value.slice(11), "card");
    return [];
  }
  throw new CardDataError("GENERATE AC: neither format 1 nor format 2 (Book 3, 6.5.5.4)");
}

/** Book 2, 6.6.2: the CDA signature, after the ICC public key (6.1-6.4). */
function verifyCda(ctx: TransactionContext, responseObjects: Tlv[], cdol1Data: Uint8Array): { ok: true } | { ok: false; reason: string } {
  const sdad = ctx.data.get("9F4B");
  const cid = ctx.data.get("9F27");
  if (!sdad || !cid) return { ok: false, reason: "data-missing" };
  const card: OdaCardData = {
    rid: (ctx.app as { dfName: Uint8Array }).dfName.slice(0, 5),
    lookup: (tag) => ctx.data.get(tag),
    records: ctx.odaRecords,
    aip: ctx.aip,
    today: ctx.data.get("9A") as Uint8Array,
  };
  const key = ctx.deps.oda.iccPublicKey(card);
  if (!key.ok) return { ok: false, reason: key.reason };
  const withoutSdad = concat(...responseObjects.filter((o) => o.tag !== "9F4B").map((o) => encodeTlv(o.tag, o.value)));
  const r = ctx.deps.oda.verifyCombinedSignature({
    iccKey: key.key, sdad, unpredictableNumber: ctx.data.get("9F37") as Uint8Array, cid: cid[0],
    pdolData: ctx.pdolData, cdol1Data, responseWithoutSdad: withoutSdad,
  });
  if (!r.ok) return { ok: false, reason: r.reason };
  // Book 2, 6.6.2 step 12: the cryptogram from the signature is the Application Cryptogram.
  ctx.data.set("9F26", r.cryptogram, "card");
  ctx.data.set("9F4C", r.iccDynamicNumber, "card");
  return { ok: true };
}

function finalOutcome(ctx: TransactionContext, cvm: OutcomeCvm): OutcomeParameterSet {
  const cid = (ctx.data.get("9F27") as Uint8Array)[0] & 0xc0;
  if (cid === 0x40) {
    const sign = cvm === "obtain-signature";
    if (cvm === "online-pin") {
      return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: "online PIN selected but the card approved offline" });
    }
    return outcomeOf("approved", { cvm, receipt: sign, uiOnOutcome: ui(sign ? "approvedPleaseSign" : "approved", "notReady") });
  }
  if (cid === 0x80) return outcomeOf("online-request", { cvm, receipt: cvm === "obtain-signature", uiOnOutcome: ui("authorisingPleaseWait", "notReady") });
  return outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: "the card declined (AAC)" });
}

async function activate(a: KernelActivation): Promise<KernelResult> {
  const combination = a.candidate.allowed.combination;
  const cvmRequired = a.candidate.allowed.indicators.readerCvmRequiredLimitExceeded;
  const ctx = newKernelContext(a, cvmRequired ? combination.cvmCapabilityCvmRequired : combination.cvmCapabilityNoCvmRequired);
  const result: KernelResult = { outcome: outcomeOf("end-application"), ctx, oda: "none", odaResult: "not-performed" };
  let cvm: OutcomeCvm = "no-cvm";
  let cdaRequested = false;
  let cdol1Data: Uint8Array = new Uint8Array(0);
  let responseObjects: Tlv[] = [];
  try {
    const pdol = ctx.data.get("9F38");
    ctx.pdolData = pdol ? buildCardDol(ctx, pdol, "PDOL") : new Uint8Array(0);
    const gpo = await getProcessingOptions(a.transport, ctx.pdolData);
    if (gpo.sw !== SW_OK) {
      result.outcome = gpo.sw === 0x6985
        ? outcomeOf("select-next", { start: "C", reason: "GPO 6985" })
        : outcomeOf("end-application", { uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"), reason: `GPO status ${gpo.sw.toString(16).toUpperCase()}` });
      return result;
    }
    const objects = decodeCardTlv(gpo.data, "GET PROCESSING OPTIONS");
    const t = objects.length === 1 ? objects[0] : undefined;
    if (t && t.tag === "77" && t.children) ctx.data.addCard(t.children, false, "GET PROCESSING OPTIONS");
    else if (t && t.tag === "80" && t.value.length >= 2) {
      ctx.data.set("82", t.value.slice(0, 2), "card");
      ctx.data.set("94", t.value.slice(2), "card");
    } else throw new CardDataError("GET PROCESSING OPTIONS: neither format 1 nor format 2");
    const aip = ctx.data.get("82");
    if (!aip || aip.length !== 2) throw new CardDataError("GET PROCESSING OPTIONS: AIP '82' missing or not 2 bytes");
    ctx.aip = aip.slice();
    if (!hasBit(aip, AIP_EMV_MODE)) {
      result.outcome = outcomeOf("try-another-interface", {
        uiOnOutcome: ui("insertSwipeOrTryAnotherCard", "processingError"), alternateInterface: "contact",
        reason: "the card offers mag-stripe mode only, which this reader does not do",
      });
      return result;
    }
    await readRecords(ctx);
    if (!ctx.data.has("8C") || !ctx.data.has("5A") || !ctx.data.has("5F24")) {
      throw new CardDataError("kernel 2: '8C', '5A' or '5F24' missing (Book C-2, Annex A)");
    }
    // With the card in the field: restrictions, CVM, floor limit, action analysis.
    processingRestrictions(ctx);
    cvm = selectCvm(ctx, cvmRequired, combination.onDeviceCvmSupported);
    ctx.tsi.set(TSI.cardholderVerificationPerformed);
    if (a.candidate.allowed.indicators.readerContactlessFloorLimitExceeded) ctx.tvr.set(TVR.floorLimitExceeded);
    ctx.tsi.set(TSI.terminalRiskManagementPerformed);
    const decision = terminalActionAnalysis(ctx);
    cdaRequested = decision !== "aac" && hasBit(aip, AIP_CDA);
    if (!cdaRequested && decision !== "aac") ctx.tvr.set(TVR.offlineDataAuthenticationNotPerformed);
    cdol1Data = buildCardDol(ctx, ctx.data.get("8C") as Uint8Array, "CDOL1");
    const r = await generateAc(a.transport, AC_FOR[decision], cdaRequested, cdol1Data);
    if (r.sw !== SW_OK) throw new CardDataError(`GENERATE AC: status ${r.sw.toString(16).toUpperCase()}`);
    responseObjects = storeGenerateAcResponse(ctx, r.data);
    ctx.tsi.set(TSI.cardRiskManagementPerformed);
  } catch (e) {
    result.outcome = outcomeForError(e);
    return result;
  }
  result.cardReadAtMs = cardReadSuccessfully(a);
  try {
    const cid = ctx.data.get("9F27");
    if (!cid || cid.length !== 1) throw new CardDataError("GENERATE AC: CID '9F27' missing");
    if (cdaRequested && (cid[0] & 0xc0) !== 0x00) {
      result.oda = "cda";
      ctx.tsi.set(TSI.offlineDataAuthenticationPerformed);
      const v = verifyCda(ctx, responseObjects, cdol1Data);
      result.odaResult = v.ok ? "passed" : "failed";
      if (!v.ok) {
        ctx.tvr.set(TVR.cdaFailed);
        result.outcome = outcomeOf("declined", { uiOnOutcome: ui("notAuthorised", "notReady"), reason: `CDA failed (${v.reason})` });
        return result;
      }
    } else if (!ctx.data.has("9F26")) {
      throw new CardDataError("GENERATE AC: no Application Cryptogram '9F26'");
    }
    result.outcome = finalOutcome(ctx, cvm);
  } catch (e) {
    result.outcome = outcomeForError(e);
  }
  ctx.data.set("DF8129", encodeOutcomeParameterSet(result.outcome));
  return result;
}

export const kernel2: ContactlessKernel = { kernelId: 2, activate: releasingOdaRecords(activate) };
