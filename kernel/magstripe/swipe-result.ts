import { TRACK_TAGS, maskPan, type CardDataProtector, type P2peEnvelope, type SensitiveItem } from "../security/p2pe";
import { zeroize } from "../bytes";
import type { TrackNumber } from "./character-set";
import { parseTrack1, parseTrack2, type FinancialTrack } from "./iso7813";
import { swipeDecision } from "./service-code";
import type { SwipeRead } from "./swipe-reader";
import type { TrackReadFailure } from "./track-reader";

// What a swipe becomes for the rest of the reader (ARCHITECTURE.md, security rules): the raw
// tracks go straight into the P2PE envelope, and only the masked PAN, the expiry date and the
// service code leave in clear. A chip card whose chip has not failed is sent back to the chip
// before anything is encrypted (service-code.ts); a swipe of one after its chip failed is accepted
// and flagged as fallback.

/** The proprietary tags under which the envelope carries the raw tracks, as ASCII (kernel/security/p2pe.ts). */
const TRACK_TAG: Readonly<Record<TrackNumber, string>> = { 1: TRACK_TAGS.track1, 2: TRACK_TAGS.track2, 3: TRACK_TAGS.track3 };

export type SwipeOutcome =
  /** A chip card, chip not yet tried or not failed: insert it. Nothing was encrypted. */
  | { kind: "use-chip" }
  | {
    kind: "read";
    /** The swipe stands in for a chip that failed on this card. */
    fallback: boolean;
    /** First 6 and last 4 digits, the rest as '*' (kernel/security/p2pe.ts, maskPan). */
    maskedPan: string;
    /** YYMM, or null when the card records none. */
    expiry: string | null;
    serviceCode: string | null;
    /** The tracks inside the envelope. */
    tracks: TrackNumber[];
    envelope: P2peEnvelope;
  }
  /** Neither track 1 nor track 2 read good: swipe again. */
  | { kind: "bad-read"; failures: { track: TrackNumber; reason: TrackReadFailure }[] };

/**
 * Completes a swipe: the account from track 2 (or track 1 when track 2 did not read; the swipe
 * reader has already refused tracks that disagree), the chip-first rule, then every good track
 * into the envelope. Track bytes are zeroized before this returns, whatever the outcome.
 */
export async function completeSwipe(read: SwipeRead, options: { chipFailed: boolean },
    protector: CardDataProtector): Promise<SwipeOutcome> {
  const items: SensitiveItem[] = [];
  try {
    let account: FinancialTrack | undefined;
    for (const t of read.tracks) {
      if (!t.ok) continue;
      if (t.track === 2) account = parseTrack2(t.data.text());
      else if (t.track === 1 && account === undefined) account = parseTrack1(t.data.text());
    }
    if (account === undefined) {
      const failures = read.tracks.flatMap((t) => (t.ok ? [] : [{ track: t.track, reason: t.reason }]));
      return { kind: "bad-read", failures };
    }
    const decision = swipeDecision(account.serviceCode, options.chipFailed);
    if (decision.kind === "use-chip") return { kind: "use-chip" };

    const tracks: TrackNumber[] = [];
    for (const t of read.tracks) {
      if (!t.ok) continue;
      items.push({ tag: TRACK_TAG[t.track], value: t.data.ascii() });
      tracks.push(t.track);
    }
    const envelope = await protector.protect(items);
    return { kind: "read", fallback: decision.fallback, maskedPan: maskPan(account.pan), expiry: account.expiry,
      serviceCode: account.serviceCode, tracks, envelope };
  } finally {
    for (const item of items) zeroize(item.value);
    for (const t of read.tracks) if (t.ok) t.data.zeroize();
  }
}
