import type { P2peEnvelope } from "../security/p2pe";
import { completion, setArc, TERMINAL_ARC } from "./completion";
import { show, type TransactionContext } from "./context";
import { authorizationRequest } from "./online-processing";

// Quick Chip (Visa, "Quick Chip for EMV and qVSDC", 2.1; Mastercard M/Chip Fast): once the first
// GENERATE AC gave an ARQC, the terminal finishes with the card at once, before it goes online: the
// second GENERATE AC asks for an AAC with the Authorisation Response Code 'Z3' ("unable to go
// online", Book 4, 6.3.6), the card may be removed, and the authorization request (built from the
// first cryptogram, before the second overwrites it) then goes to the issuer, whose answer alone
// decides. Issuer authentication and issuer scripts are not done: the card is gone.

export interface QuickChipResult {
  kind: "online-approved" | "online-declined" | "declined";
  /** CID of the second GENERATE AC (the card's AAC). */
  cid: number;
}

function validArc(arc: unknown): arc is string {
  return typeof arc === "string" && /^[\x20-\x7e]{2}$/.test(arc);
}

export async function quickChipCompletion(ctx: TransactionContext, cdol1Data: Uint8Array, envelope: P2peEnvelope): Promise<QuickChipResult> {
  const request = authorizationRequest(ctx, envelope);
  setArc(ctx, TERMINAL_ARC.unableToGoOnlineDeclined);
  const final = await completion(ctx, "aac", cdol1Data);
  show(ctx, "removeCard");
  show(ctx, "pleaseWait");
  const result = await ctx.deps.authorizer.authorize(request);
  if (result.kind !== "response" || !validArc(result.arc)) return { kind: "declined", cid: final.cid };
  // The issuer's code replaces 'Z3' in the transaction's data (for the receipt and the phone).
  setArc(ctx, result.arc);
  const approved = ctx.config.approvalResponseCodes.indexOf(result.arc) >= 0;
  return { kind: approved ? "online-approved" : "online-declined", cid: final.cid };
}
