import { zeroize } from "../bytes";
import type { TransactionParams } from "../emv/context";
import { decodePan } from "../emv/numeric";
import { authorizationRequest, protectCardData } from "../emv/online-processing";
import type { AuthorizationResult } from "../emv/online";
import { MposError } from "../errors";
import type { Pcd } from "../iso14443/pcd";
import { maskPan, type P2peEnvelope } from "../security/p2pe";
import type { ContactlessConfig } from "./config";
import { entryPoint, type EntryPointResult } from "./entry-point";
import type { ContactlessDeps, ContactlessKernel, KernelResult } from "./kernel";
import type { OutcomeCvm, OutcomeParameterSet } from "./outcome";
import { ui } from "./ui";

// One contactless transaction as the reader runs it: the Entry Point and a kernel until the outcome;
// then, for an Online Request, the CVM the reader completes after the card has left (online PIN at
// the PIN pad) and the authorization with the issuer; the sensitive card data leaves only inside
// the P2PE envelope. Every result is data: approved, declined, online approved or declined, try
// another interface, a collision, present the card again, end application.

export type ContactlessOutcomeKind =
  | "approved"
  | "declined"
  | "online-approved"
  | "online-declined"
  | "try-another-interface"
  | "end-application"
  | "collision"
  | "present-card-again"
  | "no-card"
  | "cancelled";

export interface ContactlessOutcome {
  kind: ContactlessOutcomeKind;
  kernelId?: number;
  aid?: Uint8Array;
  maskedPan?: string;
  cvm: OutcomeCvm;
  /** Authorisation Response Code of the issuer (online outcomes). */
  arc?: string;
  /** Cryptogram Information Data the card returned. */
  cid?: number;
  tvr?: Uint8Array;
  cvmResults?: Uint8Array;
  oda: "fdda" | "cda" | "none";
  odaResult: "passed" | "failed" | "not-performed";
  /** The Entry Point's or kernel's reason for a non-approval (a rule, never card data). */
  reason?: string;
  envelope?: P2peEnvelope;
  pinKsn?: Uint8Array;
  /** Preferred other interface on Try Another Interface. */
  alternateInterface?: "contact" | "magstripe";
  technology?: "A" | "B";
  restarts: number;
  /** Modeled time (clock ms, from the start) when the card had given everything, and when it all ended. */
  cardReadAtMs?: number;
  endAtMs: number;
}

export interface ContactlessTransactionOptions {
  config: ContactlessConfig;
  params: TransactionParams;
  deps: ContactlessDeps;
  pcd: Pcd;
  kernels?: readonly ContactlessKernel[];
}

function base(kind: ContactlessOutcomeKind, ep: EntryPointResult, deps: ContactlessDeps): ContactlessOutcome {
  return { kind, cvm: "n/a", oda: "none", odaResult: "not-performed", restarts: ep.restarts, endAtMs: deps.clock.nowMs() };
}

function fromKernel(o: ContactlessOutcome, k: KernelResult | undefined, outcome: OutcomeParameterSet): void {
  o.cvm = outcome.cvm;
  if (outcome.reason) o.reason = outcome.reason;
  if (outcome.alternateInterface) o.alternateInterface = outcome.alternateInterface;
  if (!k) return;
  const data = k.ctx.data;
  o.oda = k.oda;
  o.odaResult = k.odaResult;
  if (k.cardReadAtMs !== undefined) o.cardReadAtMs = k.cardReadAtMs;
  o.tvr = k.ctx.tvr.bytes();
  const cid = data.get("9F27");
  if (cid && cid.length === 1) o.cid = cid[0];
  const cvmResults = data.get("9F34");
  if (cvmResults) o.cvmResults = cvmResults.slice();
  if (k.ctx.app) o.aid = k.ctx.app.dfName.slice();
  const pan = panOf(k);
  if (pan) o.maskedPan = maskPan(pan);
}

function panOf(k: KernelResult): string | undefined {
  const fiveA = k.ctx.data.get("5A");
  try {
    if (fiveA) return decodePan(fiveA);
    const t2 = k.ctx.data.get("57");
    if (!t2) return undefined;
    let s = "";
    for (let i = 0; i < t2.length * 2; i++) {
      const n = i % 2 === 0 ? t2[i >> 1] >> 4 : t2[i >> 1] & 0x0f;
      if (n === 0x0d) break;
      if (n > 9) return undefined;
      s += String.fromCharCode(48 + n);
    }
    return s.length >= 7 ? s : undefined;
  } catch (e) {
    if (e instanceof MposError) return undefined;
    throw e;
  }
}

/** The online part: PIN if the outcome asks for it, the envelope, the authorization. */
async function goOnline(o: ContactlessOutcome, k: KernelResult, deps: ContactlessDeps, approvalCodes: readonly string[]): Promise<void> {
  const ctx = k.ctx;
  const pan = panOf(k);
  if (!ctx.data.has("5A") && pan) {
    // Track 2 equivalent data only (kernel 3): the PAN for the PIN block and the request comes from it.
    ctx.data.set("5A", encodePanCn(pan), "card");
  }
  if (o.cvm === "online-pin") {
    if (!deps.pinEncryptor || !pan) {
      o.kind = "online-declined";
      o.reason = "online PIN required and no PIN key";
      return;
    }
    deps.ui.request(ui("enterPin", "notReady"));
    const entry = await deps.cardholder.enterPin({ kind: "online", lastTry: false });
    if (entry.kind === "cancelled" || entry.kind === "timeout") {
      o.kind = "cancelled";
      o.reason = `PIN entry ${entry.kind}`;
      return;
    }
    if (entry.kind === "entered") {
      try {
        ctx.pinBlock = await deps.pinEncryptor.encryptPin(entry.pin, pan);
      } finally {
        zeroize(entry.pin);
      }
      o.pinKsn = ctx.pinBlock.ksn.slice();
    }
    deps.ui.request(ui("authorisingPleaseWait", "notReady"));
  }
  const envelope = await protectCardData(ctx);
  o.envelope = envelope;
  const request = authorizationRequest(ctx, envelope);
  // The card has left and the kernel is done (Book A, "Card Read Successfully"): once the request
  // holds what goes online, the card's data is zeroized rather than held while the issuer answers
  // (issue 10, item 5: the reader's RAM at its peak; PCI PTS: sensitive data kept no longer than needed).
  ctx.data.clear();
  const result: AuthorizationResult = await deps.authorizer.authorize(request);
  if (result.kind !== "response") {
    o.kind = "online-declined";
    o.reason = "unable to go online";
    return;
  }
  o.arc = result.arc;
  o.kind = approvalCodes.indexOf(result.arc) >= 0 ? "online-approved" : "online-declined";
}

function encodePanCn(pan: string): Uint8Array {
  const digits = pan.length % 2 === 0 ? pan : pan + "F";
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.substr(2 * i, 2), 16);
  return out;
}

/** One contactless transaction, from "Present card" to the result. */
export async function performContactlessTransaction(options: ContactlessTransactionOptions): Promise<ContactlessOutcome> {
  const { deps, config } = options;
  const ep = await entryPoint(options);
  if (ep.kind === "collision") return base("collision", ep, deps);
  if (ep.kind === "no-card") return base("no-card", ep, deps);
  if (ep.kind === "present-card-again") {
    const o = base("present-card-again", ep, deps);
    if (ep.last.reason) o.reason = ep.last.reason;
    return o;
  }
  const outcome = ep.outcome;
  const k = ep.kernel;
  const o = base("end-application", ep, deps);
  if (ep.card) o.technology = ep.card.technology;
  if (ep.candidate) o.kernelId = ep.candidate.kernelId;
  fromKernel(o, k, outcome);
  switch (outcome.outcome) {
    case "approved":
    case "declined":
      o.kind = outcome.outcome;
      // The card data is encrypted at capture for the acquirer's clearing, approved or declined.
      if (k && (k.ctx.data.has("57") || k.ctx.data.has("5A"))) o.envelope = await protectCardData(k.ctx);
      break;
    case "online-request":
      if (!k) throw new Error("online request without a kernel");
      await goOnline(o, k, deps, config.terminal.approvalResponseCodes);
      if (o.kind === "online-approved") deps.ui.request(ui(outcome.cvm === "obtain-signature" ? "approvedPleaseSign" : "approved", "notReady"));
      else if (o.kind === "online-declined") deps.ui.request(ui("notAuthorised", "notReady"));
      break;
    case "try-another-interface":
      o.kind = "try-another-interface";
      break;
    case "try-again":
      o.kind = "present-card-again";
      break;
    default:
      o.kind = "end-application";
  }
  o.endAtMs = deps.clock.nowMs();
  return o;
}
