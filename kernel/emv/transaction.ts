import { MposError } from "../errors";
import type { P2peEnvelope } from "../security/p2pe";
import { cardActionAnalysis } from "./card-action-analysis";
import { cardholderVerification } from "./cardholder-verification";
import type { AcType } from "./commands";
import { completion, setArc, TERMINAL_ARC } from "./completion";
import { newContext, show, type CvmName, type EmvKernelDeps, type TransactionContext, type TransactionParams } from "./context";
import { initiateApplicationProcessing } from "./initiate-application-processing";
import { parseIssuerScripts, processIssuerScripts } from "./issuer-scripts";
import type { MessageName } from "./messages";
import { decodePan } from "./numeric";
import { maskPan } from "../security/p2pe";
import { offlineDataAuthentication, releaseOdaRecords } from "./offline-data-authentication";
import { onlineProcessing, protectCardData } from "./online-processing";
import { processingRestrictions } from "./processing-restrictions";
import { quickChipCompletion } from "./quick-chip";
import { readApplicationData } from "./read-application-data";
import { buildCandidateList, finalSelection, selectLanguage } from "./selection";
import type { TerminalConfig } from "./terminal-config";
import { defaultActionAnalysis } from "./terminal-action-analysis";
import { setApplicationTerminalData, setTerminalData } from "./terminal-data";
import { terminalRiskManagement } from "./terminal-risk-management";

// One EMV contact transaction, phase by phase in the order of EMV 4.4 Book 3, section 10 (after
// application selection, Book 1, section 12). Every business result is an outcome; a card that
// breaks the rules ends in "end-application" with the rule it broke; a bug is thrown.

export type EmvOutcomeKind =
  /** Offline: the first GENERATE AC gave a TC, or the terminal could not go online and approved. */
  | "approved"
  /** Offline: an AAC (or a failed CDA signature), or unable to go online and declined. */
  | "declined"
  | "online-approved"
  | "online-declined"
  /** Book 1, 12.4: no application both support is left ("NOT ACCEPTED"); other interfaces may be tried. */
  | "not-accepted"
  /** SELECT answered '6A81': the card is blocked. */
  | "card-blocked"
  /** The transaction was terminated: malformed or missing card data, or the card left or went mute. */
  | "end-application"
  | "cancelled"
  | "timeout";

export interface EmvOutcome {
  kind: EmvOutcomeKind;
  /** For end-application: the error's code and message (never card data). */
  reason?: string;
  tvr: Uint8Array;
  tsi: Uint8Array;
  /** Cryptogram Information Data of the final GENERATE AC. */
  cid?: number;
  /** Authorisation Response Code '8A' (the issuer's, or the terminal's Y1/Z1/Y3/Z3). */
  arc?: string;
  cvm: CvmName;
  signatureRequired: boolean;
  cvmResults?: Uint8Array;
  issuerScriptResults?: Uint8Array;
  maskedPan?: string;
  /** The DF Name of the application used. */
  aid?: Uint8Array;
  language: string;
  /** The sensitive card data, encrypted (made once the card has given its cryptogram). */
  envelope?: P2peEnvelope;
  /** Key serial number of the online PIN block, when one was made. */
  pinKsn?: Uint8Array;
  messages: MessageName[];
}

function outcome(ctx: TransactionContext, kind: EmvOutcomeKind, extra: Partial<EmvOutcome> = {}): EmvOutcome {
  const o: EmvOutcome = {
    kind,
    tvr: ctx.tvr.bytes(),
    tsi: ctx.tsi.bytes(),
    cvm: ctx.cvm,
    signatureRequired: ctx.signatureRequired,
    language: ctx.app ? ctx.app.language : ctx.config.languages[0],
    messages: ctx.messages,
    ...extra,
  };
  const cid = ctx.data.get("9F27");
  if (cid && o.cid === undefined && (kind === "approved" || kind === "declined" || kind === "online-approved" || kind === "online-declined")) {
    o.cid = cid[0];
  }
  const arc = ctx.data.get("8A");
  if (arc && o.arc === undefined) o.arc = String.fromCharCode(arc[0], arc[1]);
  const cvmResults = ctx.data.get("9F34");
  if (cvmResults) o.cvmResults = cvmResults.slice();
  const scripts = ctx.data.get("9F5B");
  if (scripts) o.issuerScriptResults = scripts.slice();
  const pan = ctx.data.get("5A");
  if (pan) {
    try {
      o.maskedPan = maskPan(decodePan(pan));
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
    }
  }
  if (ctx.app) o.aid = ctx.app.dfName.slice();
  if (ctx.pinBlock) o.pinKsn = ctx.pinBlock.ksn.slice();
  return o;
}

/** Book 1, 12: the candidate list, then final selection and GET PROCESSING OPTIONS until one is accepted. */
async function selectAndInitiate(ctx: TransactionContext): Promise<EmvOutcome | undefined> {
  const t = ctx.deps.transport;
  const list = await buildCandidateList(t, ctx.config);
  if (list.kind === "card-blocked") return outcome(ctx, "card-blocked");
  const candidates = list.candidates;
  for (;;) {
    const sel = await finalSelection(t, candidates, ctx.config, ctx.deps.cardholder, (m) => show(ctx, m));
    if (sel.kind === "not-accepted") {
      show(ctx, "notAccepted");
      return outcome(ctx, "not-accepted");
    }
    if (sel.kind !== "selected") return outcome(ctx, sel.kind);
    ctx.data.clearCard();
    ctx.data.addCard(sel.fci.objects, false, "SELECT");
    ctx.app = {
      dfName: sel.fci.dfName.slice(),
      config: sel.candidate.config,
      // Book 4, 11.1: the application's Language Preference (or the PSE's, which it inherits).
      language: selectLanguage(sel.candidate.languages, ctx.config.languages),
    };
    setApplicationTerminalData(ctx);
    const init = await initiateApplicationProcessing(ctx);
    if (init.kind === "ok") return undefined;
    // Book 3, 10.1 / Book 4, 6.3.1: '6985' - "NOT ACCEPTED", and back to selection without it.
    show(ctx, "notAccepted");
  }
}

async function transactionPhases(ctx: TransactionContext): Promise<EmvOutcome> {
  setTerminalData(ctx);
  const ended = await selectAndInitiate(ctx);
  if (ended) return ended;
  await readApplicationData(ctx);
  await offlineDataAuthentication(ctx);
  processingRestrictions(ctx);
  const cvm = await cardholderVerification(ctx);
  // The last reader of the ODA records was the ICC PIN encipherment key of an offline PIN.
  releaseOdaRecords(ctx);
  if (cvm.kind === "aborted") return outcome(ctx, cvm.reason);
  await terminalRiskManagement(ctx);
  const caa = await cardActionAnalysis(ctx);
  const envelope = await protectCardData(ctx);

  if (caa.type === "tc" && !caa.cdaFailed) {
    setArc(ctx, TERMINAL_ARC.offlineApproved);
    show(ctx, "approved");
    return outcome(ctx, "approved", { envelope });
  }
  if (caa.type === "aac" || caa.type === "tc") {
    setArc(ctx, TERMINAL_ARC.offlineDeclined);
    show(ctx, "declined");
    return outcome(ctx, "declined", { envelope });
  }
  if (caa.cdaFailed) {
    // Book 2, 6.6.2: an ARQC whose signature fails is not sent online; the card is told with an AAC.
    setArc(ctx, TERMINAL_ARC.offlineDeclined);
    const final = await completion(ctx, "aac", caa.cdol1Data);
    show(ctx, "declined");
    return outcome(ctx, "declined", { envelope, cid: final.cid });
  }

  if (ctx.params.quickChip) {
    // Quick Chip (quick-chip.ts): the card finishes now, the issuer's answer decides afterwards.
    const quick = await quickChipCompletion(ctx, caa.cdol1Data, envelope);
    show(ctx, quick.kind === "online-approved" ? "approved" : "declined");
    return outcome(ctx, quick.kind, { envelope, cid: quick.cid });
  }
  // ARQC: online processing (10.9), scripts '71' (10.10), completion (10.11), scripts '72'.
  show(ctx, "pleaseWait");
  const answer = await onlineProcessing(ctx, envelope);
  if (answer.kind === "unable-to-go-online") {
    const decision = defaultActionAnalysis(ctx);
    setArc(ctx, decision === "tc" ? TERMINAL_ARC.unableToGoOnlineApproved : TERMINAL_ARC.unableToGoOnlineDeclined);
    const final = await completion(ctx, decision, caa.cdol1Data);
    return finish(ctx, final.type, "approved", "declined", envelope, final.cid);
  }
  const scripts = answer.scripts ? parseIssuerScripts(answer.scripts) : [];
  await processIssuerScripts(ctx, scripts, "71");
  const final = await completion(ctx, answer.approved ? "tc" : "aac", caa.cdol1Data);
  await processIssuerScripts(ctx, scripts, "72");
  return finish(ctx, final.type, "online-approved", "online-declined", envelope, final.cid);
}

function finish(
  ctx: TransactionContext,
  type: AcType,
  approved: EmvOutcomeKind,
  declined: EmvOutcomeKind,
  envelope: P2peEnvelope,
  cid: number,
): EmvOutcome {
  const ok = type === "tc";
  show(ctx, ok ? "approved" : "declined");
  return outcome(ctx, ok ? approved : declined, { envelope, cid });
}

/**
 * Runs one transaction with a card already activated behind `deps.transport`. Never throws for what
 * a card, the cardholder or the issuer does; throws only for a bug or a broken dependency.
 */
export async function performTransaction(
  config: TerminalConfig,
  params: TransactionParams,
  deps: EmvKernelDeps,
): Promise<EmvOutcome> {
  const ctx = newContext(config, params, deps);
  try {
    return await transactionPhases(ctx);
  } catch (e) {
    // Card errors (CardDataError), the line's errors (card removed, mute, protocol) and the
    // security core's refusals all carry a stable code: the transaction ends, the reason is kept.
    if (e instanceof MposError) {
      show(ctx, e.code === "card-data" ? "cardError" : "processingError");
      return outcome(ctx, "end-application", { reason: `${e.code}: ${e.message}` });
    }
    throw e;
  } finally {
    ctx.data.clear();
  }
}
