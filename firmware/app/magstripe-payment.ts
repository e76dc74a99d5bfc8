import type { MagstripeHead } from "../../hal/magstripe-head";
import { concat, zeroize } from "../../kernel/bytes";
import type { CardholderInterface } from "../../kernel/emv/cardholder";
import { encodeDate } from "../../kernel/emv/dates";
import type { MessageName } from "../../kernel/emv/messages";
import { encodeNumeric } from "../../kernel/emv/numeric";
import type { AuthorizationRequest, OnlineAuthorizer } from "../../kernel/emv/online";
import { completeSwipe, parseServiceCode, parseTrack2, readSwipe, type SwipeRead } from "../../kernel/magstripe";
import type { KeyStore } from "../../kernel/security/key-store";
import { encodeTlv } from "../../kernel/tlv";
import type { ReaderConfig } from "./reader-config";
import type { PaymentRequest, PaymentResult } from "./payment";

// A swipe payment: the head's flux intervals decoded by the kernel (ISO/IEC 7811 F2F, ISO/IEC 7813
// tracks), the chip-first rule of the service code, the tracks straight into the P2PE envelope,
// the online PIN when the service code asks for one, and an online authorization of the track data.

/** Swipes the cardholder may make before the reader gives up on a stripe that does not read. */
export const MAX_SWIPES = 3;

export interface MagstripePaymentDeps {
  head: MagstripeHead;
  cardholder: CardholderInterface;
  authorizer: OnlineAuthorizer;
  keys: KeyStore;
}

/** The PAN and whether the service code asks for a PIN, from track 2 (before the tracks are encrypted). */
function accountOf(read: SwipeRead): { pan: string; pinRequired: boolean } | undefined {
  for (const t of read.tracks) {
    if (t.ok && t.track === 2) {
      const track = parseTrack2(t.data.text());
      // ISO/IEC 7813, service code digit 3: 0, 3, 5 (PIN required), 6, 7 (PIN if a PIN pad is present).
      const pin = track.serviceCode ? parseServiceCode(track.serviceCode).pin : "none";
      return { pan: track.pan, pinRequired: pin === "required" || pin === "if-pin-pad" };
    }
  }
  return undefined;
}

/** The terminal data of a magnetic stripe authorization request (no chip data, no cryptogram). */
function terminalData(config: ReaderConfig, request: PaymentRequest): Uint8Array {
  return concat(
    encodeTlv("9F02", encodeNumeric(request.amount, 6)),
    encodeTlv("5F2A", config.terminal.currencyCode),
    encodeTlv("9A", encodeDate(request.date)),
    encodeTlv("9C", new Uint8Array([request.transactionType])),
    encodeTlv("9F1A", config.terminal.countryCode),
    encodeTlv("9F35", new Uint8Array([config.terminal.terminalType])),
    // POS Entry Mode '90': magnetic stripe read, full track data (ISO 8583:1987, field 22).
    encodeTlv("9F39", new Uint8Array([0x90])),
  );
}

export async function magstripePayment(config: ReaderConfig, request: PaymentRequest, deps: MagstripePaymentDeps): Promise<PaymentResult> {
  const show = (m: MessageName) => deps.cardholder.display(m, config.terminal.languages[0]);
  for (let attempt = 1; attempt <= MAX_SWIPES; attempt++) {
    const swipe = await deps.head.nextSwipe();
    if (swipe === null) return { outcome: "cancelled", cvm: "none" };
    const read = readSwipe(swipe);
    const account = accountOf(read);
    // This payment starts with a swipe: the chip was not tried, so a chip card goes to the chip.
    const outcome = await completeSwipe(read, { chipFailed: false }, deps.keys);
    if (outcome.kind === "bad-read") {
      show("tryAgain");
      continue;
    }
    if (outcome.kind === "use-chip") {
      show("insertCard");
      return { outcome: "insert-card", cvm: "none" };
    }
    const authorization: AuthorizationRequest = { iccData: terminalData(config, request), maskedPan: outcome.maskedPan, envelope: outcome.envelope };
    let cvm: PaymentResult["cvm"] = "signature";
    if (account && account.pinRequired) {
      show("enterPin");
      const entry = await deps.cardholder.enterPin({ kind: "online", lastTry: false });
      if (entry.kind !== "entered") {
        return { outcome: entry.kind === "cancelled" ? "cancelled" : "timeout", cvm: "none", maskedPan: outcome.maskedPan };
      }
      try {
        authorization.pin = await deps.keys.encryptPin(entry.pin, account.pan);
      } finally {
        zeroize(entry.pin);
      }
      cvm = "online-pin";
    }
    show("pleaseWait");
    const answer = await deps.authorizer.authorize(authorization);
    const approved = answer.kind === "response" && config.terminal.approvalResponseCodes.indexOf(answer.arc) >= 0;
    show(approved ? "approved" : "declined");
    const result: PaymentResult = {
      outcome: approved ? "online-approved" : "online-declined",
      cvm: approved ? cvm : cvm === "online-pin" ? cvm : "none",
      maskedPan: outcome.maskedPan,
      envelope: outcome.envelope,
    };
    if (answer.kind === "response") result.arc = answer.arc;
    return result;
  }
  return { outcome: "end-application", cvm: "none", reason: "magstripe: no track read good in three swipes" };
}
