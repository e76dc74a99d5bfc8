import type { AcType } from "./commands";
import type { TransactionContext } from "./context";
import { performGenerateAc, verifyCda } from "./generate-ac";
import { cdaRequested } from "./offline-data-authentication";
import { terminalActionAnalysis } from "./terminal-action-analysis";
import { TSI } from "./tsi";

// EMV 4.4 Book 3, 10.8: Card Action Analysis. The terminal asks for the cryptogram terminal action
// analysis chose, with a CDA signature when CDA is the method and has not failed (Book 2, 6.6; an
// AAC is never signed); the card's own risk management may lower the answer. The result says how
// the transaction goes on: offline approved (TC), offline declined (AAC), or online (ARQC).

export interface CardActionResult {
  /** What the terminal asked for. */
  requested: AcType;
  /** What the card answered, after the CDA check (a failed signature turns TC and ARQC into decline). */
  type: AcType;
  cid: number;
  /** The CDOL1 data, which a CDA check of the second GENERATE AC hashes again. */
  cdol1Data: Uint8Array;
  /** The card answered with TC or ARQC but its CDA signature failed (Book 2, 6.6.2). */
  cdaFailed: boolean;
}

export async function cardActionAnalysis(ctx: TransactionContext): Promise<CardActionResult> {
  const requested = terminalActionAnalysis(ctx);
  const cda = requested !== "aac" && cdaRequested(ctx);
  const r = await performGenerateAc(ctx, requested, cda, "8C");
  ctx.tsi.set(TSI.cardRiskManagementPerformed);
  let cdaFailed = false;
  if (cda && r.type !== "aac") cdaFailed = !verifyCda(ctx, r);
  return { requested, type: r.type, cid: r.cid, cdol1Data: r.cdolData, cdaFailed };
}
