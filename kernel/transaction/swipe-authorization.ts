import { concat, zeroize } from "../bytes";
import type { CardholderInterface } from "../emv/cardholder";
import type { TransactionParams } from "../emv/context";
import { encodeDate } from "../emv/dates";
import type { MessageName } from "../emv/messages";
import { encodeNumeric } from "../emv/numeric";
import type { AuthorizationRequest, OnlineAuthorizer } from "../emv/online";
import type { TerminalConfig } from "../emv/terminal-config";
import { completeSwipe, parseServiceCode, parseTrack2, type SwipeRead } from "../magstripe";
import type { CardDataProtector, P2peEnvelope } from "../security/p2pe";
import type { OnlinePinEncryptor } from "../security/pin-block";
import { encodeTlv } from "../tlv";

// The online authorization of a swipe: the terminal data of a magnetic stripe request, and for a
// reader that runs a swipe on its own (the firmware's swipe payment, the simulator's `sim run`,
// not the payment state machine of swipe-reading.ts) one swipe taken to its end: the chip-first
// rule of the service code (ISO/IEC 7813), the tracks into the P2PE envelope, the online PIN when
// the service code asks for one, the issuer's answer.

/** ISO 8583:1987, field 22 (POS entry mode), the two digits EMV carries in '9F39'. */
const POS_ENTRY_MODE = { magstripe: 0x90, fallback: 0x80 } as const;

/** The terminal data of a magnetic stripe authorization request: no chip data, no cryptogram. */
export function magstripeTerminalData(
  terminal: Pick<TerminalConfig, "currencyCode" | "countryCode" | "terminalType">,
  params: Pick<TransactionParams, "amount" | "date" | "transactionType">,
  fallback: boolean,
): Uint8Array {
  return concat(
    encodeTlv("9F02", encodeNumeric(params.amount, 6)),
    encodeTlv("5F2A", terminal.currencyCode),
    encodeTlv("9A", encodeDate(params.date)),
    encodeTlv("9C", Uint8Array.of(params.transactionType)),
    encodeTlv("9F1A", terminal.countryCode),
    encodeTlv("9F35", Uint8Array.of(terminal.terminalType)),
    encodeTlv("9F39", Uint8Array.of(fallback ? POS_ENTRY_MODE.fallback : POS_ENTRY_MODE.magstripe)),
  );
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

export interface SwipeAuthorizationDeps {
  terminal: Pick<TerminalConfig, "currencyCode" | "countryCode" | "terminalType" | "approvalResponseCodes">;
  /** The key store: the P2PE envelope and the online PIN block. */
  keys: CardDataProtector & OnlinePinEncryptor;
  cardholder: CardholderInterface;
  authorizer: OnlineAuthorizer;
  /** Shows a message of EMV Book 4, 11.2 to the cardholder. */
  show(message: MessageName): void;
}

export type SwipeAttempt =
  /** Neither track read good: the cardholder was asked to swipe again. */
  | { kind: "bad-read" }
  /** A chip card (service code 2xx or 6xx): the cardholder was asked to insert it. */
  | { kind: "use-chip" }
  /** The service code asked for a PIN and the cardholder cancelled or did not enter one in time. */
  | { kind: "pin-not-entered"; outcome: "cancelled" | "timeout"; maskedPan: string }
  /** The issuer answered (or could not be reached: declined). */
  | { kind: "authorized"; approved: boolean; cvm: "signature" | "online-pin" | "none"; maskedPan: string; envelope: P2peEnvelope; arc?: string };

/** One swipe of a payment that started with the swipe: the chip was not tried, so a chip card goes to the chip. */
export async function authorizeSwipe(read: SwipeRead, params: Pick<TransactionParams, "amount" | "date" | "transactionType">,
    deps: SwipeAuthorizationDeps): Promise<SwipeAttempt> {
  const account = accountOf(read);
  const outcome = await completeSwipe(read, { chipFailed: false }, deps.keys);
  if (outcome.kind === "bad-read") {
    deps.show("tryAgain");
    return { kind: "bad-read" };
  }
  if (outcome.kind === "use-chip") {
    deps.show("insertCard");
    return { kind: "use-chip" };
  }
  const request: AuthorizationRequest = {
    iccData: magstripeTerminalData(deps.terminal, params, false), maskedPan: outcome.maskedPan, envelope: outcome.envelope,
  };
  let cvm: "signature" | "online-pin" = "signature";
  if (account && account.pinRequired) {
    deps.show("enterPin");
    const entry = await deps.cardholder.enterPin({ kind: "online", lastTry: false });
    if (entry.kind !== "entered") {
      return { kind: "pin-not-entered", outcome: entry.kind === "cancelled" ? "cancelled" : "timeout", maskedPan: outcome.maskedPan };
    }
    try {
      request.pin = await deps.keys.encryptPin(entry.pin, account.pan);
    } finally {
      zeroize(entry.pin);
    }
    cvm = "online-pin";
  }
  deps.show("pleaseWait");
  const answer = await deps.authorizer.authorize(request);
  const approved = answer.kind === "response" && deps.terminal.approvalResponseCodes.indexOf(answer.arc) >= 0;
  deps.show(approved ? "approved" : "declined");
  // A declined swipe keeps the online PIN it verified; a signature was never taken.
  const attempt: SwipeAttempt = {
    kind: "authorized", approved, cvm: approved || cvm === "online-pin" ? cvm : "none", maskedPan: outcome.maskedPan, envelope: outcome.envelope,
  };
  if (answer.kind === "response") attempt.arc = answer.arc;
  return attempt;
}
