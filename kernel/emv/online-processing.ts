import { concat } from "../bytes";
import { maskPan, SENSITIVE_TAGS, type P2peEnvelope, type SensitiveItem } from "../security/p2pe";
import { encodeTlv } from "../tlv";
import { AIP } from "./aip";
import { hasBit } from "./bits";
import { externalAuthenticate, SW_OK } from "./commands";
import type { TransactionContext } from "./context";
import { decodePan } from "./numeric";
import type { AuthorizationRequest, AuthorizationResult } from "./online";
import { lookupTag } from "./terminal-data";
import { TSI } from "./tsi";
import { TVR } from "./tvr";

// EMV 4.4 Book 3, 10.9: Online Processing. The ARQC and its data go to the issuer; the answer brings
// the Authorisation Response Code, perhaps Issuer Authentication Data and scripts. Issuer
// authentication is done with EXTERNAL AUTHENTICATE when the AIP says the card supports it;
// otherwise the Issuer Authentication Data reaches the card in the second GENERATE AC (CDOL2).

/** The data of the authorization request that may travel in clear (ISO 8583 field 55 content). */
export const AUTHORIZATION_TAGS: readonly string[] = [
  "9F26", "9F27", "9F10", "9F37", "9F36", "95", "9A", "9C", "9F02", "5F2A", "82", "9F1A", "9F34",
  "9F33", "9F35", "9F1E", "84", "9F09", "9F03", "5F34", "9F41", "9F21", "9B", "9F06",
];

/**
 * Encrypts the card's sensitive data elements (kernel/security's SENSITIVE_TAGS: the PAN, track 2
 * equivalent data, name, expiry...) into a P2PE envelope.
 */
export async function protectCardData(ctx: TransactionContext): Promise<P2peEnvelope> {
  const items: SensitiveItem[] = [];
  for (const tag of SENSITIVE_TAGS) {
    const value = ctx.data.get(tag);
    if (value) items.push({ tag, value });
  }
  return ctx.deps.protector.protect(items);
}

export function authorizationRequest(ctx: TransactionContext, envelope: P2peEnvelope): AuthorizationRequest {
  const parts: Uint8Array[] = [];
  for (const tag of AUTHORIZATION_TAGS) {
    const value = tag === "84" ? ctx.app?.dfName : lookupTag(ctx, tag);
    if (value) parts.push(encodeTlv(tag, value));
  }
  const request: AuthorizationRequest = {
    iccData: concat(...parts),
    maskedPan: maskPan(decodePan(ctx.data.get("5A") as Uint8Array)),
    envelope,
  };
  if (ctx.pinBlock) request.pin = ctx.pinBlock;
  return request;
}

/** What the terminal learned from the issuer, checked at the door. */
export type IssuerAnswer =
  | { kind: "unable-to-go-online" }
  | { kind: "answer"; arc: string; approved: boolean; scripts?: Uint8Array };

function validArc(arc: unknown): arc is string {
  return typeof arc === "string" && arc.length === 2 && /^[\x20-\x7e]{2}$/.test(arc);
}

/**
 * Sends the request and performs issuer authentication. An answer that is malformed (an ARC that is
 * not two characters, Issuer Authentication Data not 8-16 bytes) counts as no answer at all.
 */
export async function onlineProcessing(ctx: TransactionContext, envelope: P2peEnvelope): Promise<IssuerAnswer> {
  const result: AuthorizationResult = await ctx.deps.authorizer.authorize(authorizationRequest(ctx, envelope));
  if (result.kind !== "response" || !validArc(result.arc)) return { kind: "unable-to-go-online" };
  const iad = result.issuerAuthenticationData;
  if (iad !== undefined && (iad.length < 8 || iad.length > 16)) return { kind: "unable-to-go-online" };

  ctx.data.set("8A", new Uint8Array([result.arc.charCodeAt(0), result.arc.charCodeAt(1)]), "issuer");
  if (iad) {
    ctx.data.set("91", iad, "issuer");
    if (hasBit(ctx.aip, AIP.issuerAuthenticationSupported)) {
      // Book 3, 6.5.4: any status other than '9000' means the card did not authenticate the issuer.
      const r = await externalAuthenticate(ctx.deps.transport, iad);
      if (r.sw !== SW_OK) ctx.tvr.set(TVR.issuerAuthenticationFailed);
      ctx.tsi.set(TSI.issuerAuthenticationPerformed);
    }
  }
  const answer: IssuerAnswer = { kind: "answer", arc: result.arc, approved: ctx.config.approvalResponseCodes.indexOf(result.arc) >= 0 };
  if (result.issuerScripts && result.issuerScripts.length > 0) answer.scripts = result.issuerScripts;
  return answer;
}
