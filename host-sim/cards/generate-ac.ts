// The card's side of GENERATE AC (EMV Book 3, 6.5.5) and EXTERNAL AUTHENTICATE (6.5.4): card
// action analysis (Book 3, 10.8 describes the terminal's view; the card's rules here are the
// issuer's, as the profile says), the application cryptogram (Book 2, 8.1, CCD cryptogram version
// 5), CDA (Book 2, 6.6) and issuer authentication (Book 2, 8.2).

import { concat, constantTimeEqual } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import {
  applicationCryptogram, CCD_AC_DATA, cryptogramInput, decodeCardStatusUpdate, deriveAcSessionKey, verifyIssuerAuthentication,
} from "../../kernel/emv/crypto";
import type { ParsedCommandApdu } from "../../kernel/iso7816/apdu";
import { dolDataLength, encodeTlv, parseDol } from "../../kernel/tlv";
import { atcBytes, bcdAmount, splitDolData, type AppletContext } from "./applet-context";
import { CVR, issuerApplicationData, type AcType } from "./card-verification-results";
import { cdaSignature } from "./dynamic-signature";
import { respond, SW } from "./status-words";

/** Cryptogram Information Data (tag 9F27), Book 3, 6.5.5.4: b8-b7 give the AC type. */
const CID: Record<AcType, number> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };
const REFERENCE: Record<number, AcType> = { 0x00: "AAC", 0x40: "TC", 0x80: "ARQC" };
/** Authorisation Response Codes that approve (ISO 8583: 00, 08, 10, 11), as tag 8A carries them. */
const APPROVING_ARCS = ["00", "08", "10", "11"];
/** The ARC the terminal sets itself when it could not go online and approves offline (Book 4, Annex A). */
const ARC_OFFLINE_APPROVED = "Y3";

const ascii = (b: Uint8Array | undefined): string => (b ? String.fromCharCode(...b) : "");
const isZero = (b: Uint8Array | undefined): boolean => !b || b.every((x) => x === 0);

/** The card's decision on the first GENERATE AC for the type the terminal asked for. */
function firstDecision(ctx: AppletContext, requested: AcType, amountMinor: number): AcType {
  const { persistent: s, tx, image } = ctx;
  if (s.applicationBlocked) return "AAC";
  if (requested !== "TC") return requested;
  // The terminal would approve offline: the card goes online when its own limit is passed, when the
  // PIN is blocked, or when the issuer asked for the next transaction to go online.
  if (s.offlineAmountMinor + amountMinor > image.app.offlineLimitMinor) {
    tx.cvr.set(CVR.lowerCumulativeOfflineAmountExceeded[0], CVR.lowerCumulativeOfflineAmountExceeded[1]);
    return "ARQC";
  }
  if (s.pinTryCounter === 0 || s.goOnlineNext) return "ARQC";
  return "TC";
}

/** Applies a Card Status Update after a successful issuer authentication (Book 3 CCD). */
function applyCsu(ctx: AppletContext, csu: Uint8Array): void {
  const u = decodeCardStatusUpdate(csu);
  const s = ctx.persistent;
  ctx.tx.csuApproved = u.approveOnline;
  if (u.applicationBlock) s.applicationBlocked = true;
  if (u.cardBlock) s.cardBlocked = true;
  if (u.updatePinTryCounter) s.pinTryCounter = Math.min(u.pinTryCounter, ctx.image.app.pinTryLimit);
  s.goOnlineNext = u.goOnlineNextTransaction;
}

/** Book 2, 8.2: checks tag 91 against the ARQC of this transaction and records the outcome. */
export function authenticateIssuer(ctx: AppletContext, issuerAuthenticationData: Uint8Array): boolean {
  const { tx, image, persistent: s } = ctx;
  const first = tx.first;
  if (!first || first.type !== "ARQC") return false;
  const sk = deriveAcSessionKey(c, image.mkAc, atcBytes(s.atc));
  const r = verifyIssuerAuthentication(c, image.app.arpcMethod, sk, first.cryptogram, issuerAuthenticationData);
  sk.fill(0);
  tx.cvr.set(CVR.issuerAuthenticationNotPerformed[0], CVR.issuerAuthenticationNotPerformed[1], false);
  if (!r.ok) {
    tx.issuerAuthentication = "failed";
    tx.cvr.set(CVR.issuerAuthenticationFailed[0], CVR.issuerAuthenticationFailed[1]);
    return false;
  }
  tx.issuerAuthentication = "passed";
  if (r.method === 1) tx.arc = r.arc;
  else applyCsu(ctx, r.csu);
  // The issuer has seen this transaction: reset the offline counters (Book 3 CCD, 'update counters').
  s.lastOnlineAtc = s.atc;
  s.offlineAmountMinor = 0;
  return true;
}

/** Book 3, 6.5.4: EXTERNAL AUTHENTICATE with the Issuer Authentication Data. */
export function externalAuthenticate(ctx: AppletContext, cmd: ParsedCommandApdu): Uint8Array {
  const { tx } = ctx;
  if (cmd.p1 !== 0x00 || cmd.p2 !== 0x00) return respond(SW.wrongP1P2);
  if (tx.generateAcCount !== 1 || !tx.first || tx.first.type !== "ARQC" || tx.externalAuthenticateDone) {
    return respond(SW.conditionsNotSatisfied);
  }
  if (cmd.data.length < 8 || cmd.data.length > 16) return respond(SW.wrongLength);
  tx.externalAuthenticateDone = true;
  return respond(authenticateIssuer(ctx, cmd.data) ? SW.ok : SW.verificationFailed);
}

/** The card's decision on the second GENERATE AC (TC or AAC only, Book 3, 6.5.5.1). */
function secondDecision(ctx: AppletContext, requested: AcType, cdol2: Map<string, Uint8Array>): AcType {
  const { tx, image, persistent: s } = ctx;
  if (s.applicationBlocked || requested !== "TC") return "AAC";
  const arc = ascii(cdol2.get("8A"));
  if (image.app.issuerAuthentication === "second-generate-ac" && !isZero(cdol2.get("91"))) {
    authenticateIssuer(ctx, cdol2.get("91") as Uint8Array);
  }
  if (arc === ARC_OFFLINE_APPROVED) {
    // Unable to go online: approve offline only within the card's own limit.
    tx.cvr.set(CVR.unableToGoOnline[0], CVR.unableToGoOnline[1]);
    const amount = tx.first ? tx.first.amountMinor : 0;
    if (s.offlineAmountMinor + amount > image.app.offlineLimitMinor) return "AAC";
    s.offlineAmountMinor += amount;
    return "TC";
  }
  if (tx.issuerAuthentication !== "passed") return "AAC";
  if (image.app.arpcMethod === 2) return tx.csuApproved ? "TC" : "AAC";
  return APPROVING_ARCS.includes(arc) && (!tx.arc || constantTimeEqual(tx.arc, cdol2.get("8A") as Uint8Array)) ? "TC" : "AAC";
}

/** Book 3, 6.5.5: GENERATE AC. */
export function generateAc(ctx: AppletContext, cmd: ParsedCommandApdu): Uint8Array {
  const { tx, image, persistent: s } = ctx;
  if (cmd.p2 !== 0x00 || (cmd.p1 & 0x2f) !== 0) return respond(SW.wrongP1P2);
  const requested = REFERENCE[cmd.p1 & 0xc0];
  if (!requested) return respond(SW.wrongP1P2);
  const cdaRequested = (cmd.p1 & 0x10) !== 0 && image.app.oda === "cda";
  if (!tx.gpoDone || tx.generateAcCount >= 2) return respond(SW.conditionsNotSatisfied);
  const isFirst = tx.generateAcCount === 0;
  if (!isFirst && (requested === "ARQC" || !tx.first || tx.first.type !== "ARQC")) return respond(SW.conditionsNotSatisfied);
  const entries = parseDol(isFirst ? image.cdol1 : image.cdol2);
  if (cmd.data.length !== dolDataLength(entries)) return respond(SW.wrongLength);
  const values = splitDolData(entries, cmd.data);
  const amountMinor = bcdAmount(isFirst ? values.get("9F02") : undefined);
  if (amountMinor < 0) return respond(SW.wrongData);
  tx.generateAcCount++;

  let type: AcType;
  let lookup: (tag: string) => Uint8Array | undefined;
  if (isFirst) {
    tx.cvr.set(CVR.issuerAuthenticationNotPerformed[0], CVR.issuerAuthenticationNotPerformed[1]);
    type = firstDecision(ctx, requested, amountMinor);
    if (type === "TC") s.offlineAmountMinor += amountMinor;
    tx.cvr.firstAc(type);
    tx.first = { type, cryptogram: new Uint8Array(8), cdol1: values, cdol1Data: cmd.data, amountMinor };
    lookup = (tag) => values.get(tag);
  } else {
    type = secondDecision(ctx, requested, values);
    tx.cvr.secondAc(type as "AAC" | "TC");
    const cdol1 = (tx.first as { cdol1: Map<string, Uint8Array> }).cdol1;
    lookup = (tag) => values.get(tag) ?? cdol1.get(tag);
  }
  const cid = CID[type];
  const withCda = cdaRequested && type !== "AAC";
  if (withCda) tx.cvr.set(CVR.cdaPerformed[0], CVR.cdaPerformed[1]);
  tx.cvr.pinTryCounter(s.pinTryCounter);
  tx.cvr.scriptCommands(s.scriptCommands);
  tx.cvr.set(CVR.issuerScriptFailed[0], CVR.issuerScriptFailed[1], s.scriptFailed);
  tx.cvr.set(CVR.goOnlineNextTransaction[0], CVR.goOnlineNextTransaction[1], s.goOnlineNext);

  const atc = atcBytes(s.atc);
  const iad = issuerApplicationData(tx.cvr, s.lastOnlineAtc, s.offlineAmountMinor);
  const sk = deriveAcSessionKey(c, image.mkAc, atc);
  const input = cryptogramInput(CCD_AC_DATA, (tag) => (tag === "82" ? image.aip : tag === "9F36" ? atc : tag === "9F10" ? iad : lookup(tag)));
  const cryptogram = applicationCryptogram(c, sk, input);
  sk.fill(0);
  if (isFirst && tx.first) tx.first.cryptogram = cryptogram;

  const cidTlv = encodeTlv("9F27", Uint8Array.of(cid));
  const atcTlv = encodeTlv("9F36", atc);
  const iadTlv = encodeTlv("9F10", iad);
  if (withCda) {
    // Book 3, 6.5.5.4: with CDA the response is format 2 and carries 9F4B in place of 9F26.
    const cdolData = isFirst ? [cmd.data] : [(tx.first as { cdol1Data: Uint8Array }).cdol1Data, cmd.data];
    const sdad = cdaSignature(ctx, cid, cryptogram, lookup("9F37") ?? new Uint8Array(4), cdolData, [cidTlv, atcTlv, iadTlv]);
    return respond(SW.ok, encodeTlv("77", concat(cidTlv, atcTlv, encodeTlv("9F4B", sdad), iadTlv)));
  }
  if (image.app.responseFormat === 2) {
    return respond(SW.ok, encodeTlv("77", concat(cidTlv, atcTlv, encodeTlv("9F26", cryptogram), iadTlv)));
  }
  // Format 1 (Book 3, 6.5.5.4): '80' || CID || ATC || AC || IAD.
  return respond(SW.ok, encodeTlv("80", concat(Uint8Array.of(cid), atc, cryptogram, iad)));
}
