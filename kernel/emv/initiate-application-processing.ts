import { getProcessingOptions, SW_OK } from "./commands";
import { child, decodeCardTlv } from "./card-tlv";
import type { TransactionContext } from "./context";
import { CardDataError } from "./errors";
import { buildCardDol } from "./terminal-data";
import { newTsi } from "./tsi";
import { newTvr } from "./tvr";

// EMV 4.4 Book 3, 10.1: Initiate Application Processing. The terminal zeroes the TVR and TSI,
// answers the card's PDOL, and sends GET PROCESSING OPTIONS; the card answers with its
// Application Interchange Profile and Application File Locator.

export type InitiateResult =
  | { kind: "ok" }
  /**
   * '6985' conditions of use not satisfied: the application cannot be used for this transaction;
   * the terminal removes it and returns to application selection (Book 3, 10.1; Book 4, 6.3.1).
   */
  | { kind: "not-accepted" };

export async function initiateApplicationProcessing(ctx: TransactionContext): Promise<InitiateResult> {
  // "The TSI and TVR are set to zero" at the start of application processing.
  ctx.tvr.load(newTvr().bytes());
  ctx.tsi.load(newTsi().bytes());

  // The PDOL '9F38' came in the FCI of the selected application; no PDOL gives an empty '83'.
  const pdol = ctx.data.get("9F38");
  ctx.pdolData = pdol ? buildCardDol(ctx, pdol, "PDOL") : new Uint8Array(0);

  const r = await getProcessingOptions(ctx.deps.transport, ctx.pdolData);
  if (r.sw === 0x6985) return { kind: "not-accepted" };
  if (r.sw !== SW_OK) throw new CardDataError(`GET PROCESSING OPTIONS: status ${r.sw.toString(16).toUpperCase()}`);

  const objects = decodeCardTlv(r.data, "GET PROCESSING OPTIONS");
  if (objects.length !== 1) throw new CardDataError("GET PROCESSING OPTIONS: the response is not one template");
  const top = objects[0];
  let aip: Uint8Array;
  let afl: Uint8Array;
  if (top.tag === "80" && top.children === undefined) {
    // Book 3, 6.5.8.4, format 1: '80' with AIP (2 bytes) || AFL, no tags inside.
    if (top.length < 2) throw new CardDataError("GET PROCESSING OPTIONS format 1: shorter than an AIP");
    aip = top.value.subarray(0, 2);
    afl = top.value.subarray(2);
    ctx.data.set("82", aip, "card");
    ctx.data.set("94", afl, "card");
  } else if (top.tag === "77" && top.children !== undefined) {
    // Format 2: a '77' template holding at least '82' and '94'.
    const a = child(top, "82");
    const l = child(top, "94");
    if (!a) throw new CardDataError("GET PROCESSING OPTIONS format 2: no AIP '82'");
    if (!l) throw new CardDataError("GET PROCESSING OPTIONS format 2: no AFL '94'");
    if (a.length !== 2) throw new CardDataError("GET PROCESSING OPTIONS: AIP '82' is not 2 bytes");
    aip = a.value;
    afl = l.value;
    ctx.data.addCard(top.children, false, "GET PROCESSING OPTIONS");
  } else {
    throw new CardDataError(`GET PROCESSING OPTIONS: template '${top.tag}' is neither format 1 ('80') nor 2 ('77')`);
  }
  ctx.aip = aip.slice();
  return { kind: "ok" };
}
