import { MagstripeError } from "./errors";
import { TRACK_FORMATS, codeWord, type TrackFormat, type TrackNumber } from "./character-set";
import { decodeTrackCharacters, wordAt, type CharacterFailure } from "./track-codec";
import { CELL_CLEAN, CELL_ERASED, decodeF2f, initialBitPeriods } from "./f2f";
import { parseTrack1, parseTrack2 } from "./iso7813";
import { parseTrack3 } from "./iso4909";
import { TrackData, asciiToString } from "./track-data";

// One track of one swipe, from the head's flux intervals (or a decoder chip's bits) to checked
// characters. A track is read good only when every check agrees: the start sentinel is found,
// every character has odd parity and the LRC matches (one character corrected only where both
// prove it, track-codec.ts), clocking zeros frame the characters on both sides, and the
// text has the layout of its track (ISO/IEC 7813 for tracks 1 and 2, ISO/IEC 4909 for track 3):
// parity and LRC alone let a burst of noise through now and then.
// The data of a reverse swipe arrives backwards; both directions are tried, and a track that
// reads good both ways with different data is refused as ambiguous.

export type Direction = "forward" | "reverse";

export type TrackReadFailure =
  /** No transitions, or none with a steady clock: nothing recorded on this track. */
  | "blank"
  /** Transitions, but no start sentinel in either direction. */
  | "no-start-sentinel"
  | CharacterFailure
  /** The characters span an erasure of the F2F decoder: transitions lost or added (f2f.ts). */
  | "erasure"
  /** Parity and LRC pass, but no clocking zeros frame it or the text is not a track of this number. */
  | "structure"
  /** Good in both directions with different data. */
  | "ambiguous"
  /** Good on its own, but it disagrees with another track of the same swipe (swipe-reader.ts). */
  | "inconsistent";

export type TrackRead =
  | { track: TrackNumber; ok: true; data: TrackData; direction: Direction; corrected: number }
  | { track: TrackNumber; ok: false; reason: TrackReadFailure };

/** The most intervals one track of one swipe can have: 107 characters at 210 bpi over 3.37 inches, with margin for noise. */
export const MAX_INTERVALS = 16384;

/** True when `text` has the layout of a track of number `track` (ISO/IEC 7813, ISO/IEC 4909). */
export function hasTrackStructure(track: TrackNumber, text: string): boolean {
  try {
    if (track === 1) parseTrack1(text);
    else if (track === 2) parseTrack2(text);
    else parseTrack3(text);
    return true;
  } catch (e) {
    if (e instanceof MagstripeError) return false;
    throw e;
  }
}

// How close a failure came to a read, for reporting the most telling reason of several attempts.
const FAILURE_RANK: Record<TrackReadFailure, number> = {
  "blank": 0, "no-start-sentinel": 1, "truncated": 2, "no-end-sentinel": 3, "parity": 4, "lrc": 5,
  "erasure": 6, "structure": 7, "ambiguous": 8, "inconsistent": 9,
};

type DirectionResult = { ok: true; ascii: Uint8Array; corrected: number } | { ok: false; reason: TrackReadFailure };

function better(a: TrackReadFailure, b: TrackReadFailure): TrackReadFailure {
  return FAILURE_RANK[b] > FAILURE_RANK[a] ? b : a;
}

/**
 * Clocking zeros fill the stripe before the start sentinel and after the LRC (ISO/IEC 7811-2).
 * Inside the data no run of zeros is this long (the longest a character set allows is 6, track 1's
 * space), so a "track" found in the middle of other data or noise, or one whose end sentinel is a
 * corrupted data character followed by more data, is not framed. A swipe that starts late or ends
 * early may cut the clocking zeros short: the end of the stream frames that side.
 */
export const MIN_CLOCKING_ZEROS = 8;

/** True when `MIN_CLOCKING_ZEROS` clean zeros, or the end of the stream, follow `from` in direction `step`. */
function framedSide(bits: Uint8Array, quality: Uint8Array | undefined, from: number, step: 1 | -1): boolean {
  for (let k = 0; k < MIN_CLOCKING_ZEROS; k++) {
    const i = from + k * step;
    if (i < 0 || i >= bits.length) return true;
    if (bits[i] !== 0 || (quality !== undefined && quality[i] === CELL_ERASED)) return false;
  }
  return true;
}

function framedByClockingZeros(bits: Uint8Array, quality: Uint8Array | undefined, start: number, end: number): boolean {
  return framedSide(bits, quality, start - 1, -1) && framedSide(bits, quality, end, 1);
}

/** The worst bit quality (f2f.ts) in [start, end); CELL_CLEAN for bits without timing (a decoder chip's). */
function worstQuality(quality: Uint8Array | undefined, start: number, end: number): number {
  let worst = CELL_CLEAN;
  if (quality !== undefined) for (let i = start; i < end; i++) if (quality[i] > worst) worst = quality[i];
  return worst;
}

/** Tries every start sentinel in `bits`, first to last, until one reads good. */
function readDirection(format: TrackFormat, bits: Uint8Array, quality: Uint8Array | undefined): DirectionResult {
  const w = format.charBits;
  const ss = codeWord(format, format.startSentinel - format.asciiOffset);
  let reason: TrackReadFailure = "no-start-sentinel";
  for (let p = 0; p + w <= bits.length; p++) {
    if (bits[p] !== 1 || wordAt(bits, p, w) !== ss) continue;
    const r = decodeTrackCharacters(format, bits, p);
    if (!r.ok) {
      reason = better(reason, r.reason);
      continue;
    }
    // An erasure may hide a lost character; a correction is proven only where the timing gave
    // no other reason to doubt the bits (a burst of errors can pass for a single one).
    const worst = worstQuality(quality, p, r.endBit);
    if (worst === CELL_ERASED || (r.corrected > 0 && worst !== CELL_CLEAN)) {
      r.ascii.fill(0);
      reason = better(reason, worst === CELL_ERASED ? "erasure" : "parity");
      continue;
    }
    if (!framedByClockingZeros(bits, quality, p, r.endBit) || !hasTrackStructure(format.track, asciiToString(r.ascii))) {
      r.ascii.fill(0);
      reason = better(reason, "structure");
      continue;
    }
    return { ok: true, ascii: r.ascii, corrected: r.corrected };
  }
  return { ok: false, reason };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Reads a track from its bits in arrival order (one bit per byte), trying both directions.
 * `quality` (from the F2F decoder, one grade per bit) marks doubtful and erased bits.
 */
export function readTrackBits(track: TrackNumber, bits: Uint8Array, quality?: Uint8Array): TrackRead {
  for (let i = 0; i < bits.length; i++) {
    if (bits[i] !== 0 && bits[i] !== 1) throw new MagstripeError("magstripe-input", `track ${track}: bit ${i} is not 0 or 1`);
  }
  if (quality !== undefined && quality.length !== bits.length) throw new Error("readTrackBits: one quality grade per bit");
  return readCheckedBits(track, bits, quality);
}

function readCheckedBits(track: TrackNumber, bits: Uint8Array, quality: Uint8Array | undefined): TrackRead {
  const format = TRACK_FORMATS[track];
  const forward = readDirection(format, bits, quality);
  const reversed = bits.slice().reverse();
  const reverse = readDirection(format, reversed, quality === undefined ? undefined : quality.slice().reverse());
  reversed.fill(0);
  if (forward.ok && reverse.ok) {
    const same = sameBytes(forward.ascii, reverse.ascii);
    reverse.ascii.fill(0);
    if (!same) {
      forward.ascii.fill(0);
      return { track, ok: false, reason: "ambiguous" };
    }
  }
  if (forward.ok) return { track, ok: true, data: new TrackData(track, forward.ascii), direction: "forward", corrected: forward.corrected };
  if (reverse.ok) return { track, ok: true, data: new TrackData(track, reverse.ascii), direction: "reverse", corrected: reverse.corrected };
  return { track, ok: false, reason: better(forward.reason, reverse.reason) };
}

/** Checks an interval stream from the HAL: finite, non-negative microseconds, of a bounded count. */
export function checkIntervals(track: TrackNumber, intervalsUs: ArrayLike<number>): void {
  if (intervalsUs === null || typeof intervalsUs !== "object" || typeof intervalsUs.length !== "number") {
    throw new MagstripeError("magstripe-input", `track ${track}: intervals must be an array of microseconds`);
  }
  if (intervalsUs.length > MAX_INTERVALS) {
    throw new MagstripeError("magstripe-input", `track ${track}: ${intervalsUs.length} intervals, more than ${MAX_INTERVALS}`);
  }
  for (let i = 0; i < intervalsUs.length; i++) {
    const v = intervalsUs[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new MagstripeError("magstripe-input", `track ${track}: interval ${i} is not a finite, non-negative number of microseconds`);
    }
  }
}

/** Reads a track from its flux-transition intervals in microseconds, in arrival order. */
export function readTrackFlux(track: TrackNumber, intervalsUs: ArrayLike<number>): TrackRead {
  checkIntervals(track, intervalsUs);
  const periods = initialBitPeriods(intervalsUs);
  // The first period is the clocking zeros' own; the second only rescues a swipe that began
  // inside the data, so a failure is reported as the first period saw it.
  let reason: TrackReadFailure | undefined;
  for (const period of periods) {
    const { bits, quality } = decodeF2f(intervalsUs, period);
    const read = readCheckedBits(track, bits, quality);
    bits.fill(0);
    if (read.ok) return read;
    if (reason === undefined || FAILURE_RANK[reason] <= FAILURE_RANK["no-start-sentinel"]) reason = read.reason;
  }
  return { track, ok: false, reason: reason ?? "blank" };
}
