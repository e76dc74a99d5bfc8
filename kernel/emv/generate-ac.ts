import { concat } from "../bytes";
import { encodeTlv, parseDol, type Tlv } from "../tlv";
import { child, decodeCardTlv } from "./card-tlv";
import { generateAc, SW_OK, type AcType } from "./commands";
import type { TransactionContext } from "./context";
import { CardDataError } from "./errors";
import { buildCardDol } from "./terminal-data";
import { TSI } from "./tsi";
import { TVR } from "./tvr";

// GENERATE APPLICATION CRYPTOGRAM (EMV 4.4 Book 3, 6.5.5) as both card action analysis (10.8) and
// completion (10.11) use it: the CDOL data, the command, the two response formats, the check that
// the card answered with a cryptogram it may give, and the CDA signature check (Book 2, 6.6.2).

/** Cryptogram Information Data '9F27', Book 3, 6.5.5.4, Table 15: b8-b7 the cryptogram type. */
export function cryptogramType(cid: number): AcType | undefined {
  switch (cid & 0xc0) {
    case 0x00:
      return "aac";
    case 0x40:
      return "tc";
    case 0x80:
      return "arqc";
    default:
      return undefined; // '11' is RFU
  }
}

/**
 * Book 3, 6.5.5.4 / 10.8: the card may answer with the type asked for or a lower one (AAC < ARQC <
 * TC in what it grants): asked AAC -> AAC; asked ARQC -> ARQC or AAC; asked TC -> any.
 */
export function allowedAnswer(requested: AcType, returned: AcType): boolean {
  if (requested === "aac") return returned === "aac";
  if (requested === "arqc") return returned === "arqc" || returned === "aac";
  return true;
}

export interface GenerateAcResult {
  type: AcType;
  cid: number;
  /** The CDOL data sent, which CDA hashes. */
  cdolData: Uint8Array;
  /** CDA asked for and the card answered with a signature (TC or ARQC). */
  signed?: { sdad: Uint8Array; responseWithoutSdad: Uint8Array };
}

/**
 * TC Hash Value '98' for a CDOL that asks for it: SHA-1 over the TDOL data. The TDOL is the card's
 * '97', else the terminal's default TDOL, which sets "Default TDOL used" (Annex C5, byte 5 b8).
 */
function prepareTcHash(ctx: TransactionContext, cdol: Uint8Array): void {
  let asks = false;
  try {
    asks = parseDol(cdol).some((e) => e.tag === "98");
  } catch {
    return; // buildCardDol reports the malformed CDOL
  }
  if (!asks) return;
  let tdol = ctx.data.get("97");
  if (!tdol && ctx.app && ctx.app.config.defaultTdol) {
    tdol = ctx.app.config.defaultTdol;
    ctx.tvr.set(TVR.defaultTdolUsed);
  }
  const data = tdol ? buildCardDol(ctx, tdol, "TDOL") : new Uint8Array(0);
  ctx.data.set("98", ctx.deps.crypto.sha1(data));
}

/** The response's objects other than the SDAD, re-encoded in the card's order (Book 2, 6.6.1). */
function withoutSdad(objects: readonly Tlv[]): Uint8Array {
  return concat(...objects.filter((o) => o.tag !== "9F4B").map((o) => encodeTlv(o.tag, o.value)));
}

/** Sends GENERATE AC with the CDOL ('8C' or '8D') data and reads the response into the data store. */
export async function performGenerateAc(
  ctx: TransactionContext,
  requested: AcType,
  cda: boolean,
  cdolTag: "8C" | "8D",
): Promise<GenerateAcResult> {
  const cdol = ctx.data.get(cdolTag);
  if (!cdol) throw new CardDataError(`CDOL '${cdolTag}' missing (Book 3, 7.2)`);
  prepareTcHash(ctx, cdol);
  const what = cdolTag === "8C" ? "first GENERATE AC" : "second GENERATE AC";
  const cdolData = buildCardDol(ctx, cdol, cdolTag === "8C" ? "CDOL1" : "CDOL2");
  const r = await generateAc(ctx.deps.transport, requested, cda, cdolData);
  if (r.sw !== SW_OK) throw new CardDataError(`${what}: status ${r.sw.toString(16).toUpperCase()} (Book 3, 6.5.5.4)`);

  const objects = decodeCardTlv(r.data, what);
  if (objects.length !== 1) throw new CardDataError(`${what}: the response is not one template`);
  const top = objects[0];
  let cid: number;
  let signed: GenerateAcResult["signed"];
  if (top.tag === "80" && top.children === undefined) {
    // Format 1: CID (1) || ATC (2) || Application Cryptogram (8) || Issuer Application Data (0-32).
    if (top.length < 11 || top.length > 43) throw new CardDataError(`${what}: format 1 of ${top.length} bytes`);
    cid = top.value[0];
    ctx.data.set("9F27", top.value.subarray(0, 1), "card");
    ctx.data.set("9F36", top.value.subarray(1, 3), "card");
    ctx.data.set("9F26", top.value.subarray(3, 11), "card");
    if (top.length > 11) ctx.data.set("9F10", top.value.subarray(11), "card");
  } else if (top.tag === "77" && top.children !== undefined) {
    // Format 2: '9F27', '9F36', and '9F26' or (CDA) '9F4B', optionally '9F10'.
    const c = child(top, "9F27");
    const atc = child(top, "9F36");
    if (!c || c.length !== 1) throw new CardDataError(`${what}: no Cryptogram Information Data '9F27'`);
    if (!atc || atc.length !== 2) throw new CardDataError(`${what}: no Application Transaction Counter '9F36'`);
    cid = c.value[0];
    const sdad = child(top, "9F4B");
    if (!child(top, "9F26") && !sdad) throw new CardDataError(`${what}: neither an Application Cryptogram nor a signature`);
    ctx.data.addCard(top.children, false, what);
    if (sdad) signed = { sdad: sdad.value.slice(), responseWithoutSdad: withoutSdad(top.children) };
  } else {
    throw new CardDataError(`${what}: template '${top.tag}' is neither format 1 ('80') nor 2 ('77')`);
  }

  const type = cryptogramType(cid);
  if (!type) throw new CardDataError(`${what}: Cryptogram Information Data of the RFU type '11'`);
  if (!allowedAnswer(requested, type)) throw new CardDataError(`${what}: the card answered ${type} to a request for ${requested}`);
  // Book 2, 6.6.2: an AAC is never signed; a TC or ARQC asked for with CDA must be, and one that
  // comes without its signature fails CDA (verifyCda).
  return { type, cid, cdolData, signed: cda && type !== "aac" ? signed : undefined };
}

/**
 * Book 2, 6.6.2: verifies the CDA signature of a GENERATE AC response (first, or second with
 * `cdol1Data`). On success the cryptogram recovered from the signature is the Application Cryptogram
 * '9F26'; on failure "CDA failed" is set. Either way offline data authentication was performed.
 */
export function verifyCda(ctx: TransactionContext, result: GenerateAcResult, cdol1Data?: Uint8Array): boolean {
  const key = ctx.oda.iccPublicKey;
  const signed = result.signed;
  ctx.tsi.set(TSI.offlineDataAuthenticationPerformed);
  if (!key || !signed) {
    ctx.tvr.set(TVR.cdaFailed);
    return false;
  }
  const check = ctx.deps.oda.verifyCombinedSignature({
    iccKey: key,
    sdad: signed.sdad,
    unpredictableNumber: ctx.data.get("9F37") ?? new Uint8Array(4),
    cid: result.cid,
    pdolData: ctx.pdolData,
    cdol1Data: cdol1Data ?? result.cdolData,
    cdol2Data: cdol1Data ? result.cdolData : undefined,
    responseWithoutSdad: signed.responseWithoutSdad,
  });
  if (!check.ok) {
    ctx.tvr.set(TVR.cdaFailed);
    return false;
  }
  ctx.data.set("9F26", check.cryptogram, "card");
  ctx.data.set("9F4C", check.iccDynamicNumber, "card");
  return true;
}
