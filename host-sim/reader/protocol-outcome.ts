import type { CardInterface, EmvItem, TransactionOutcome } from "../../kernel/protocol";
import type { P2peEnvelope } from "../../kernel/security/p2pe";

/** A finished payment as the simulator's engines see it, EMV fields as bytes. */
export interface PaymentFacts {
  outcome: string;
  reason?: string;
  maskedPan?: string;
  tvr?: Uint8Array;
  tsi?: Uint8Array;
  cid?: Uint8Array;
  arc?: string;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/**
 * The protocol's outcome for a finished payment (docs/protocol.md): result and reason, the masked
 * PAN, the envelope, and the non-sensitive EMV data TVR 95, TSI 9B, CID 9F27, ARC 8A.
 */
export function protocolOutcome(r: PaymentFacts, cardInterface: CardInterface, envelope: P2peEnvelope | undefined): TransactionOutcome {
  const emvData: EmvItem[] = [];
  if (r.tvr !== undefined) emvData.push({ tag: "95", value: r.tvr.slice() });
  if (r.tsi !== undefined) emvData.push({ tag: "9B", value: r.tsi.slice() });
  if (r.cid !== undefined) emvData.push({ tag: "9F27", value: r.cid.slice() });
  if (r.arc !== undefined) emvData.push({ tag: "8A", value: ascii(r.arc) });
  const o: TransactionOutcome = { result: "failed", cardInterface, emvData };
  switch (r.outcome) {
    case "approved": case "online-approved": o.result = "approved"; break;
    case "declined": o.result = "declined"; o.reason = "declinedOffline"; break;
    case "online-declined": o.result = "declined"; o.reason = r.arc === undefined ? "unableToGoOnline" : "declinedByIssuer"; break;
    case "fallback-to-magstripe": case "insert-card": case "try-another-interface": o.result = "aborted"; o.reason = "tryAnotherInterface"; break;
    case "collision": case "present-card-again": case "no-card": o.result = "aborted"; o.reason = "cardError"; break;
    case "cancelled": o.result = "cancelled"; o.reason = "cancelled"; break;
    case "timeout": o.result = "aborted"; o.reason = "timeout"; break;
    case "end-application":
      o.result = "failed";
      o.reason = /^tampered/.test(r.reason ?? "") ? "tampered" : /removed/.test(r.reason ?? "") ? "cardRemoved" : "cardError";
      break;
  }
  if (r.maskedPan !== undefined) o.maskedPan = r.maskedPan;
  if (envelope !== undefined) o.envelope = envelope;
  return o;
}
