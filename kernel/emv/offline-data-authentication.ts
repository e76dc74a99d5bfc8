import { AIP } from "./aip";
import { hasBit, type BitDef } from "./bits";
import { child, decodeCardTlv } from "./card-tlv";
import { internalAuthenticate, SW_OK } from "./commands";
import type { TransactionContext } from "./context";
import { CardDataError } from "./errors";
import type { OdaCardData } from "./oda-environment";
import { TERMINAL_CAPABILITIES } from "./terminal-capabilities";
import { buildCardDol } from "./terminal-data";
import { TSI } from "./tsi";
import { TVR } from "./tvr";
import { zeroize } from "../bytes";
import { parseDol } from "../tlv";

// EMV 4.4 Book 3, 10.3: Offline Data Authentication. The terminal runs the strongest method both it
// and the card support: CDA, else DDA, else SDA; with none in common it sets "Offline data
// authentication was not performed". The cryptography of Book 2 is behind ctx.deps.oda; this phase
// gathers the data, sends INTERNAL AUTHENTICATE for DDA and sets the TVR and TSI.

export type OdaMethod = "cda" | "dda" | "sda" | "none";

/** Book 3, 10.3: the method from the AIP and the Terminal Capabilities byte 3. */
export function chooseOdaMethod(aip: Uint8Array, capabilities: Uint8Array): OdaMethod {
  if (hasBit(aip, AIP.cdaSupported) && hasBit(capabilities, TERMINAL_CAPABILITIES.cda)) return "cda";
  if (hasBit(aip, AIP.ddaSupported) && hasBit(capabilities, TERMINAL_CAPABILITIES.dda)) return "dda";
  if (hasBit(aip, AIP.sdaSupported) && hasBit(capabilities, TERMINAL_CAPABILITIES.sda)) return "sda";
  return "none";
}

/** The card data the Book 2 checks read (the RID comes from the selected AID, Book 2, 5.2). */
export function odaCardData(ctx: TransactionContext): OdaCardData {
  const dfName = ctx.app ? ctx.app.dfName : new Uint8Array(5);
  return {
    rid: dfName.subarray(0, 5),
    lookup: (tag) => ctx.data.get(tag),
    records: ctx.odaRecords,
    aip: ctx.aip,
    today: ctx.data.get("9A") ?? new Uint8Array(3),
  };
}

function failed(ctx: TransactionContext, bit: BitDef, missing: boolean | undefined): void {
  ctx.tvr.set(bit);
  if (missing) ctx.tvr.set(TVR.iccDataMissing);
}

/** Book 2, section 5 through the ODA port. */
function performSda(ctx: TransactionContext): void {
  ctx.tvr.set(TVR.sdaSelected);
  const result = ctx.deps.oda.staticDataAuthentication(odaCardData(ctx));
  if (result.ok) ctx.data.set("9F45", result.dataAuthenticationCode, "card");
  else failed(ctx, TVR.sdaFailed, result.missing);
}

/**
 * Book 2, 6.5.1: the DDOL is the card's '9F49', else the terminal's default DDOL; it must ask for
 * the Unpredictable Number '9F37', or DDA fails.
 */
function ddolFor(ctx: TransactionContext): Uint8Array | undefined {
  const ddol = ctx.data.get("9F49") ?? (ctx.app ? ctx.app.config.defaultDdol : undefined);
  if (!ddol) return undefined;
  try {
    return parseDol(ddol).some((e) => e.tag === "9F37") ? ddol : undefined;
  } catch {
    return undefined;
  }
}

/** Book 2, 6.1-6.5 with INTERNAL AUTHENTICATE (Book 3, 6.5.9). */
async function performDda(ctx: TransactionContext): Promise<void> {
  const key = ctx.deps.oda.iccPublicKey(odaCardData(ctx));
  if (!key.ok) return failed(ctx, TVR.ddaFailed, key.missing);
  const ddol = ddolFor(ctx);
  if (!ddol) return failed(ctx, TVR.ddaFailed, false);
  const ddolData = buildCardDol(ctx, ddol, "DDOL");
  const r = await internalAuthenticate(ctx.deps.transport, ddolData);
  // Book 3, 6.5.9.4: only '9000' carries a signature; anything else terminates the transaction.
  if (r.sw !== SW_OK) throw new CardDataError(`INTERNAL AUTHENTICATE: status ${r.sw.toString(16).toUpperCase()}`);
  const objects = decodeCardTlv(r.data, "INTERNAL AUTHENTICATE");
  let sdad: Uint8Array | undefined;
  if (objects.length === 1 && objects[0].tag === "80" && !objects[0].children) {
    sdad = objects[0].value; // format 1
  } else if (objects.length === 1 && objects[0].tag === "77" && objects[0].children) {
    const s = child(objects[0], "9F4B"); // format 2
    if (s) sdad = s.value;
    ctx.data.addCard(objects[0].children, false, "INTERNAL AUTHENTICATE");
  }
  if (!sdad) throw new CardDataError("INTERNAL AUTHENTICATE: no Signed Dynamic Application Data (Book 3, 6.5.9.4)");
  const check = ctx.deps.oda.verifyDynamicSignature(key.key, sdad, ddolData);
  if (check.ok) ctx.data.set("9F4C", check.iccDynamicNumber, "card");
  else ctx.tvr.set(TVR.ddaFailed);
}

/**
 * Book 2, 6.6.1: for CDA the terminal recovers the ICC public key before GENERATE AC; the signature
 * itself is checked on the GENERATE AC response (card-action-analysis.ts). When recovery fails, "CDA
 * failed" is set now and no CDA signature is asked for (Book 2, 6.6; Book 4, 6.3.2.1).
 */
function prepareCda(ctx: TransactionContext): void {
  const key = ctx.deps.oda.iccPublicKey(odaCardData(ctx));
  if (key.ok) {
    // CDA completes with the signature of GENERATE AC, which sets the TSI bit (generate-ac.ts); a
    // first GENERATE AC that asks for an AAC carries no signature, and CDA is then not performed.
    ctx.oda.iccPublicKey = key.key;
    return;
  }
  failed(ctx, TVR.cdaFailed, key.missing);
  // The TSI says ODA was performed: it was, and it failed.
  ctx.tsi.set(TSI.offlineDataAuthenticationPerformed);
}

export async function offlineDataAuthentication(ctx: TransactionContext): Promise<void> {
  const method = chooseOdaMethod(ctx.aip, ctx.config.capabilities);
  ctx.oda = { method };
  switch (method) {
    case "none":
      ctx.tvr.set(TVR.offlineDataAuthenticationNotPerformed);
      return;
    case "sda":
      performSda(ctx);
      break;
    case "dda":
      await performDda(ctx);
      break;
    case "cda":
      prepareCda(ctx);
      return;
  }
  ctx.tsi.set(TSI.offlineDataAuthenticationPerformed);
}

/** Whether the terminal asks for a CDA signature in GENERATE AC: CDA chosen and not failed yet. */
export function cdaRequested(ctx: TransactionContext): boolean {
  return ctx.oda.method === "cda" && !ctx.tvr.has(TVR.cdaFailed) && ctx.oda.iccPublicKey !== undefined;
}

/**
 * Book 3, 10.3: the records set aside for offline data authentication are read only by the Book 2
 * key recoveries - ODA itself and, for an offline enciphered PIN, the ICC PIN encipherment key
 * (Book 2, 7.1); a CDA signature is then checked with the ICC public key already recovered. Once the
 * last of those is over, the copies (they hold the PAN) are zeroized and dropped, so that they take
 * no RAM while the transaction goes online (issue 10, item 5).
 */
export function releaseOdaRecords(ctx: Pick<TransactionContext, "odaRecords">): void {
  for (const r of ctx.odaRecords) zeroize(r.record);
  ctx.odaRecords = [];
}
