import { toHex } from "../../kernel/bytes";
import type { CvmPerformed } from "../../kernel/transaction/card-reading";
import type { CardInterface, EmvItem } from "../../kernel/protocol";
import type { SimulatedHsm } from "../hsm/hsm";
import type { IssuerHost } from "../issuer";
import { p2peReportOf, type SimRunResult } from "../sim/sim-transaction";
import type { PhonePayment } from "./phone-rig";

// A payment on the device's firmware as the phone saw it (phone-rig.ts), in the words of
// `mpos sim run`: the outcome, the CVM, the non-sensitive EMV results, the P2PE envelope's KSN and
// whether the host opened it, the prompts. The phone learns the result and its reason, the masked
// PAN, TVR '95', TSI '9B', CID '9F27', ARC '8A' (docs/protocol.md, TRANSACTION-OUTCOME) and, when
// the reader went online, the authorization data it relayed: the run reports nothing else.

/** The outcome names of `mpos sim run` (host-sim/sim/payment.ts), as far as the phone can tell them apart. */
export type PhoneOutcome =
  | "approved" | "online-approved" | "declined" | "online-declined" | "cancelled" | "timeout"
  | "fallback-to-magstripe" | "insert-card" | "try-another-interface" | "end-application";

/**
 * The CVM as the phone can tell it: CVM Results '9F34' of the online request, or the Card
 * Transaction Qualifiers' CDCVM bit; offline, a PIN prompt without an online PIN block is a PIN
 * the card verified ("offline-pin": the phone cannot tell plaintext from enciphered), the
 * approved-please-sign prompt a signature.
 */
export type PhoneCvm = CvmPerformed | "offline-pin";

export interface PhoneReport {
  outcome: PhoneOutcome;
  cvm: PhoneCvm;
  maskedPan?: string;
  tvr?: string;
  tsi?: string;
  cid?: string;
  arc?: string;
  p2pe?: SimRunResult["p2pe"];
  prompts: string[];
  reason?: string;
}

function item(items: readonly EmvItem[] | undefined, tag: string): Uint8Array | undefined {
  return items?.find((i) => i.tag === tag)?.value;
}

/** The outcome of `mpos sim run` for the protocol's result and reason (firmware/app/payment-engine.ts maps them the other way). */
export function phoneOutcome(paid: PhonePayment, cardInterface: CardInterface): PhoneOutcome {
  const o = paid.outcome;
  switch (o.result) {
    case "approved": return paid.authorisation !== undefined ? "online-approved" : "approved";
    case "declined": return o.reason === "declinedOffline" ? "declined" : "online-declined";
    case "cancelled": return "cancelled";
    case "aborted":
      if (o.reason === "timeout") return "timeout";
      if (o.reason !== "tryAnotherInterface") return "end-application";
      // EMV Book 4, 11.2: fallback from a failed chip; ISO/IEC 7813 service code 2xx: insert the chip; Book A: another interface.
      return cardInterface === "contact" ? "fallback-to-magstripe" : cardInterface === "magstripe" ? "insert-card" : "try-another-interface";
    case "failed": return "end-application";
  }
}

/** CVM Results '9F34', byte 1, b6-b1: the CVM performed (EMV Book 3, Annex C3, Table 39). */
function cvmOfResults(results: Uint8Array): PhoneCvm | null {
  if (results.length !== 3 || results[2] === 0x01) return null; // '01': failed
  switch (results[0] & 0x3f) {
    case 0x01: case 0x03: return "offline-plaintext-pin";
    case 0x02: return "online-pin";
    case 0x04: case 0x05: return "offline-enciphered-pin";
    case 0x1e: return "signature";
    case 0x1f: return "no-cvm";
    default: return null;
  }
}

export function phoneCvm(paid: PhonePayment): PhoneCvm {
  const online = paid.authorisation;
  if (online?.pinBlock !== undefined) return "online-pin";
  // EMV Contactless Book C-3, Annex A: CTQ '9F6C' byte 2 b8, Consumer Device CVM performed.
  const ctq = item(online?.emvData, "9F6C");
  if (ctq !== undefined && ctq.length === 2 && (ctq[1] & 0x80) !== 0) return "cdcvm";
  const results = item(online?.emvData, "9F34");
  const fromResults = results === undefined ? null : cvmOfResults(results);
  if (fromResults !== null) return fromResults;
  if (paid.prompts.includes("approvedPleaseSign")) return "signature";
  if (paid.prompts.includes("enterPin") && paid.prompts.includes("pinOk")) return "offline-pin";
  if (paid.prompts.includes("seePhone")) return "cdcvm";
  return "none";
}

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** The report of one payment; `issuer` and `hsm` say whether the host opened its envelope. */
export function phoneReport(paid: PhonePayment, cardInterface: CardInterface, issuer: IssuerHost, hsm: SimulatedHsm): PhoneReport {
  const o = paid.outcome;
  const r: PhoneReport = { outcome: phoneOutcome(paid, cardInterface), cvm: phoneCvm(paid), prompts: paid.prompts.slice() };
  if (o.maskedPan !== undefined) r.maskedPan = o.maskedPan;
  const tvr = item(o.emvData, "95"), tsi = item(o.emvData, "9B"), cid = item(o.emvData, "9F27"), arc = item(o.emvData, "8A");
  if (tvr !== undefined) r.tvr = toHex(tvr);
  if (tsi !== undefined) r.tsi = toHex(tsi);
  if (cid !== undefined) r.cid = toHex(cid);
  if (arc !== undefined) r.arc = ascii(arc);
  const p2pe = p2peReportOf(o.envelope, paid.authorisation !== undefined ? issuer.lastDecision : undefined, hsm);
  if (p2pe) r.p2pe = p2pe;
  if (o.reason !== undefined && r.outcome !== "approved" && r.outcome !== "online-approved") r.reason = o.reason;
  return r;
}
