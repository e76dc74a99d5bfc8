import type { MagstripeSwipe } from "../../hal/magstripe-head";
import { zeroize } from "../bytes";
import type { TransactionParams } from "../emv/context";
import type { AuthorizationRequest, OnlinePinBlock } from "../emv/online";
import { MposError } from "../errors";
import { completeSwipe, parseServiceCode, parseTrack1, parseTrack2, readSwipe, type SwipeRead } from "../magstripe";
import { magstripeTerminalData } from "./swipe-authorization";
import { abortOutcome, type CardOutcome, type CardReadResult, type ReadingEnvironment, type ReadingPorts } from "./card-reading";

// A swipe: the tracks read from the head's capture (kernel/magstripe), the chip-first rule of the
// service code (ISO/IEC 7813; a chip card is swiped as fallback only once its chip has failed),
// the tracks straight into the P2PE envelope, online PIN when the service code asks for one, and
// the online authorization. A swipe is always online: the stripe cannot approve anything.

/** The PAN and the PIN requirement, read from the good tracks before they are encrypted and zeroized. */
function accountOf(read: SwipeRead): { pan: string; pinRequired: boolean } | undefined {
  let track1: { pan: string; serviceCode: string | null } | undefined;
  for (const t of read.tracks) {
    if (!t.ok) continue;
    try {
      if (t.track === 2) {
        const track = parseTrack2(t.data.text());
        return { pan: track.pan, pinRequired: pinRequired(track.serviceCode) };
      }
      if (t.track === 1 && track1 === undefined) track1 = parseTrack1(t.data.text());
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
    }
  }
  return track1 ? { pan: track1.pan, pinRequired: pinRequired(track1.serviceCode) } : undefined;
}

/** ISO/IEC 7813 service code digit 3: 0, 3, 5 PIN required; 6, 7 PIN if a PIN pad is present (it is). */
function pinRequired(serviceCode: string | null): boolean {
  if (serviceCode === null) return false;
  const pin = parseServiceCode(serviceCode).pin;
  return pin === "required" || pin === "if-pin-pad";
}

export async function readSwipedCard(swipe: MagstripeSwipe, chipFailed: boolean, env: ReadingEnvironment,
    params: TransactionParams, ports: ReadingPorts): Promise<CardReadResult> {
  let read: SwipeRead;
  try {
    read = readSwipe(swipe);
  } catch (e) {
    if (e instanceof MposError) return { kind: "bad-swipe" };
    throw e;
  }
  const account = accountOf(read);
  const swiped = await completeSwipe(read, { chipFailed }, env.keys);
  if (swiped.kind === "bad-read") return { kind: "bad-swipe" };
  if (swiped.kind === "use-chip" || !account) return swiped.kind === "use-chip" ? { kind: "use-chip" } : { kind: "bad-swipe" };

  const out: CardOutcome = {
    kind: "outcome", cardInterface: "magstripe", outcome: "online-declined", cvm: "signature",
    maskedPan: swiped.maskedPan, envelope: swiped.envelope,
  };
  if (swiped.fallback) out.fallback = true;
  const request: AuthorizationRequest = { iccData: magstripeTerminalData(env.terminal, params, swiped.fallback), maskedPan: swiped.maskedPan, envelope: swiped.envelope };
  if (account.pinRequired) {
    ports.cardholder.display("enterPin", "");
    const entry = await ports.cardholder.enterPin({ kind: "online", lastTry: false });
    if (entry.kind === "entered") {
      let block: OnlinePinBlock;
      try {
        block = await env.keys.encryptPin(entry.pin, account.pan);
      } finally {
        zeroize(entry.pin);
      }
      request.pin = block;
      out.pinKsn = block.ksn.slice();
      out.cvm = "online-pin";
    } else if (entry.kind === "cancelled" || entry.kind === "timeout") {
      out.outcome = entry.kind;
      out.cvm = "none";
      return out;
    }
    // Bypassed, or the PIN pad cannot take a PIN: the issuer decides without one (signature).
  }
  ports.checkpoint();
  ports.cardholder.display("pleaseWait", "");
  let answer;
  try {
    answer = await ports.authorizer.authorize(request);
  } catch (e) {
    if (!(e instanceof MposError)) throw e;
    out.outcome = abortOutcome(`${e.code}:`) ?? "end-application";
    out.reason = `${e.code}: ${e.message}`;
    return out;
  }
  if (answer.kind !== "response") {
    out.reason = "unable to go online";
    return out;
  }
  out.arc = answer.arc;
  const approved = env.terminal.approvalResponseCodes.indexOf(answer.arc) >= 0;
  out.outcome = approved ? "online-approved" : "online-declined";
  ports.cardholder.display(approved ? "approved" : "declined", "");
  return out;
}
