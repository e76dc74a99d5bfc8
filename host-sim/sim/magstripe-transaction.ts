import { concat, zeroize } from "../../kernel/bytes";
import { encodeTlv } from "../../kernel/tlv";
import { encodeDate } from "../../kernel/emv/dates";
import { encodeNumeric } from "../../kernel/emv/numeric";
import { completeSwipe, parseServiceCode, parseTrack2, readSwipe, type SwipeRead } from "../../kernel/magstripe";
import type { AuthorizationRequest } from "../../kernel/emv/online";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import { ordered, p2peReport, showMessage, type SimRunResult, type SimSetting } from "./sim-transaction";

// A swipe in the simulator: the card's stripe through the virtual head (flux intervals with speed,
// jitter), the reader's F2F decoder and track parsing, the chip-first rule of the service code, the
// tracks into the P2PE envelope, and an online authorization of the track data.

/** A cardholder swiping at an ordinary pace: 20 inches per second, 5 % faster at the end, 2 % jitter. */
const SWIPE = { speedIps: 20, acceleration: 0.05, jitter: 0.02 };
/** Swipes the cardholder makes before giving up on a stripe that does not read. */
const MAX_SWIPES = 3;

/** The swipe's duration: the longest track's interval stream, in ms. */
function swipeMs(read: { tracks: { intervalsUs: ArrayLike<number> }[] }): number {
  let longest = 0;
  for (const t of read.tracks) {
    let sum = 0;
    for (let i = 0; i < t.intervalsUs.length; i++) sum += t.intervalsUs[i];
    longest = Math.max(longest, sum);
  }
  return longest / 1000;
}

/** The PAN and whether the service code asks for a PIN, from track 2 (before the tracks are encrypted). */
function accountOf(read: SwipeRead): { pan: string; pinRequired: boolean } | undefined {
  for (const t of read.tracks) {
    if (t.ok && t.track === 2) {
      const track = parseTrack2(t.data.text());
      const pin = track.serviceCode ? parseServiceCode(track.serviceCode).pin : "none";
      return { pan: track.pan, pinRequired: pin === "required" || pin === "if-pin-pad" };
    }
  }
  return undefined;
}

/** The terminal data of a magstripe authorization request (no chip data: no cryptogram). */
function terminalData(setting: SimSetting): Uint8Array {
  return concat(
    encodeTlv("9F02", encodeNumeric(setting.amount, 6)),
    encodeTlv("5F2A", setting.config.currencyCode),
    encodeTlv("9A", encodeDate(setting.date)),
    encodeTlv("9C", new Uint8Array([0x00])),
    encodeTlv("9F1A", setting.config.countryCode),
    encodeTlv("9F35", new Uint8Array([setting.config.terminalType])),
    // POS Entry Mode '90': magnetic stripe read, full track data (ISO 8583:1987, field 22).
    encodeTlv("9F39", new Uint8Array([0x90])),
  );
}

export async function runMagstripeTransaction(setting: SimSetting): Promise<SimRunResult> {
  const stripe = setting.card.magstripe;
  const report = (r: Partial<SimRunResult> & Pick<SimRunResult, "outcome">, ms: number): SimRunResult => ordered({
    cvm: "none", apdus: 0, modeledMs: Math.round(ms * 1000) / 1000, prompts: setting.cardholder.prompts, ...r,
  });
  if (!stripe) return report({ outcome: "end-application", reason: "magstripe: the card has no magnetic stripe" }, 0);

  const head = new VirtualMagstripeHead({ seed: setting.options.seed ?? 1 });
  let ms = 0;
  for (let attempt = 1; attempt <= MAX_SWIPES; attempt++) {
    const swipe = head.swipe({ track1: stripe.track1, track2: stripe.track2 }, SWIPE);
    ms += swipeMs({ tracks: swipe.tracks.map((t) => ({ intervalsUs: t.kind === "flux" ? t.intervalsUs : [] })) });
    const read = readSwipe((await head.nextSwipe())!);
    const account = accountOf(read);
    // This run swipes first: the chip has not been tried, so a chip card is sent to the chip.
    const outcome = await completeSwipe(read, { chipFailed: false }, setting.keys.store);
    if (outcome.kind === "bad-read") {
      showMessage(setting, "tryAgain");
      continue;
    }
    if (outcome.kind === "use-chip") {
      showMessage(setting, "insertCard");
      return report({ outcome: "insert-card" }, ms);
    }
    const request: AuthorizationRequest = { iccData: terminalData(setting), maskedPan: outcome.maskedPan, envelope: outcome.envelope };
    let cvm: SimRunResult["cvm"] = "signature";
    if (account && account.pinRequired) {
      showMessage(setting, "enterPin");
      const entry = await setting.cardholder.enterPin({ kind: "online", lastTry: false });
      if (entry.kind !== "entered") return report({ outcome: entry.kind === "cancelled" ? "cancelled" : "timeout", maskedPan: outcome.maskedPan }, ms);
      try {
        request.pin = await setting.keys.store.encryptPin(entry.pin, account.pan);
      } finally {
        zeroize(entry.pin);
      }
      cvm = "online-pin";
    }
    showMessage(setting, "pleaseWait");
    const answer = await setting.issuer.authorize(request);
    const approved = answer.kind === "response" && setting.config.approvalResponseCodes.indexOf(answer.arc) >= 0;
    showMessage(setting, approved ? "approved" : "declined");
    const r: Partial<SimRunResult> & Pick<SimRunResult, "outcome"> = {
      outcome: approved ? "online-approved" : "online-declined",
      cvm: approved ? cvm : cvm === "online-pin" ? cvm : "none",
      maskedPan: outcome.maskedPan,
      p2pe: p2peReport(setting, outcome.envelope),
    };
    if (answer.kind === "response") r.arc = answer.arc;
    return report(r, ms);
  }
  return report({ outcome: "end-application", reason: "magstripe: no track read good in three swipes" }, ms);
}
