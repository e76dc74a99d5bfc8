import { MposError } from "../errors";
import { isSensitiveTag } from "../security/p2pe";
import type { ReaderEvent } from "./message-types";
import { checkMaskedPan } from "./messages";

// The last check on what the reader service sends a phone (reader-service.ts): card data leave the
// reader only as the engine's P2PE envelope, the masked PAN and EMV data without the sensitive tags.

/**
 * Defence in depth (ARCHITECTURE.md, "Security rules"): whatever the engine hands over, the phone
 * never gets a sensitive EMV tag or a PAN with more than six and four digits in clear.
 */
export function sanitiseEvent(event: ReaderEvent): ReaderEvent {
  if (event.kind !== "outcome" && event.kind !== "online-request") return event;
  const data = event.kind === "outcome" ? event.outcome : event.authorisation;
  const clean = { ...data, emvData: data.emvData.filter((i) => !isSensitiveTag(i.tag)) };
  if (clean.maskedPan !== undefined) {
    try {
      checkMaskedPan(clean.maskedPan);
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
      delete clean.maskedPan;
    }
  }
  return event.kind === "outcome"
    ? { kind: "outcome", outcome: clean as typeof event.outcome }
    : { kind: "online-request", authorisation: clean as typeof event.authorisation };
}
