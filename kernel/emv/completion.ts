import type { AcType } from "./commands";
import type { TransactionContext } from "./context";
import { performGenerateAc, verifyCda } from "./generate-ac";
import { cdaRequested } from "./offline-data-authentication";

// EMV 4.4 Book 3, 10.11: Completion. After online processing (or a failed attempt at it), the
// terminal asks the card for its final cryptogram with the second GENERATE AC and CDOL2: a TC to
// approve, an AAC to decline. With CDA, a TC is asked for with a signature (Book 2, 6.6), and a
// signature that fails declines the transaction.

export interface CompletionResult {
  type: AcType;
  cid: number;
}

export async function completion(ctx: TransactionContext, decision: "tc" | "aac", cdol1Data: Uint8Array): Promise<CompletionResult> {
  const cda = decision === "tc" && cdaRequested(ctx);
  const r = await performGenerateAc(ctx, decision, cda, "8D");
  if (cda && r.type === "tc" && !verifyCda(ctx, r, cdol1Data)) return { type: "aac", cid: r.cid };
  return { type: r.type, cid: r.cid };
}

/** Book 4, 6.3.6: the Authorisation Response Codes the terminal sets itself when it decides offline. */
export const TERMINAL_ARC = {
  offlineApproved: "Y1",
  offlineDeclined: "Z1",
  unableToGoOnlineApproved: "Y3",
  unableToGoOnlineDeclined: "Z3",
} as const;

export function setArc(ctx: TransactionContext, arc: string): void {
  ctx.data.set("8A", new Uint8Array([arc.charCodeAt(0), arc.charCodeAt(1)]));
}
