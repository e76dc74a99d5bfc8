import type { MagstripeSwipe } from "../../hal/magstripe-head";
import { MagstripeError } from "./errors";
import { isTrackNumber, type TrackNumber } from "./character-set";
import { parseTrack1, parseTrack2 } from "./iso7813";
import { parseTrack3 } from "./iso4909";
import { readTrackBits, readTrackFlux, type TrackRead } from "./track-reader";

// All tracks of one swipe. Each track is read on its own (track-reader.ts); then the tracks that
// read good are held against each other: the PAN of every track, and the expiry date and service
// code of tracks 1 and 2, must agree (ISO/IEC 7813 records the same account on both; ISO/IEC 4909
// track 3 the same PAN when it records one). A swipe where two good tracks disagree has a wrong
// read in it, and which one is wrong cannot be told: all of them are refused. No wrong data, ever.

export interface SwipeRead {
  /** One read per captured track, in the order of the capture. */
  tracks: TrackRead[];
}

interface AccountFields {
  pan: string | null;
  expiry: string | null | undefined;
  serviceCode: string | null | undefined;
}

function accountFields(read: TrackRead & { ok: true }): AccountFields {
  const text = read.data.text();
  if (read.track === 1) { const t = parseTrack1(text); return { pan: t.pan, expiry: t.expiry, serviceCode: t.serviceCode }; }
  if (read.track === 2) { const t = parseTrack2(text); return { pan: t.pan, expiry: t.expiry, serviceCode: t.serviceCode }; }
  const t = parseTrack3(text);
  return { pan: t.pan, expiry: undefined, serviceCode: undefined };
}

function agree(a: AccountFields, b: AccountFields): boolean {
  if (a.pan !== null && b.pan !== null && a.pan !== b.pan) return false;
  if (a.expiry !== undefined && b.expiry !== undefined && a.expiry !== b.expiry) return false;
  if (a.serviceCode !== undefined && b.serviceCode !== undefined && a.serviceCode !== b.serviceCode) return false;
  return true;
}

/** Refuses every good track when any two good tracks disagree on the account. */
export function crossCheckTracks(reads: TrackRead[]): TrackRead[] {
  const good = reads.filter((r): r is TrackRead & { ok: true } => r.ok);
  const fields = good.map(accountFields);
  let consistent = true;
  for (let i = 0; i < fields.length && consistent; i++) {
    for (let j = i + 1; j < fields.length && consistent; j++) consistent = agree(fields[i], fields[j]);
  }
  if (consistent) return reads;
  return reads.map((r) => {
    if (!r.ok) return r;
    r.data.zeroize();
    return { track: r.track, ok: false, reason: "inconsistent" };
  });
}

/** Reads every track of a swipe as the head delivered it. */
export function readSwipe(swipe: MagstripeSwipe): SwipeRead {
  if (swipe === null || typeof swipe !== "object" || !Array.isArray(swipe.tracks) || swipe.tracks.length > 3) {
    throw new MagstripeError("magstripe-input", "a swipe is a list of at most three track captures");
  }
  const seen = new Set<TrackNumber>();
  const reads: TrackRead[] = [];
  for (const capture of swipe.tracks) {
    const track = capture?.track;
    if (!isTrackNumber(track)) throw new MagstripeError("magstripe-input", "a track number is 1, 2 or 3");
    if (seen.has(track)) throw new MagstripeError("magstripe-input", `track ${track} captured twice in one swipe`);
    seen.add(track);
    if (capture.kind === "flux") reads.push(readTrackFlux(track, capture.intervalsUs));
    else if (capture.kind === "bits" && capture.bits instanceof Uint8Array) reads.push(readTrackBits(track, capture.bits));
    else throw new MagstripeError("magstripe-input", `track ${track}: a capture is flux intervals or bits`);
  }
  return { tracks: crossCheckTracks(reads) };
}
