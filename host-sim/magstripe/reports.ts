import type { MagstripeSwipe, TrackCapture } from "../../hal/magstripe-head";
import {
  MagstripeError, isTrackNumber, parseTrack1, parseTrack2, parseTrack3, readSwipe, type TrackNumber,
} from "../../kernel/magstripe";

// The developer views of the magnetic stripe layer, shared by the `mpos decode track` and
// `mpos decode flux` commands and by the XS services (so both engines give the same answer).
// These reveal track data: they exist only for what a developer explicitly asks to decode.

export type FluxTrackReport =
  | { track: TrackNumber; ok: true; data: string; direction: "forward" | "reverse"; errors: number }
  | { track: TrackNumber; ok: false; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks a flux file's content, `{"tracks":[{"track":1,"intervalsUs":[...]}, ...]}`, and makes it a swipe. */
export function fluxFileToSwipe(input: unknown): MagstripeSwipe {
  if (!isObject(input) || !Array.isArray(input.tracks)) {
    throw new MagstripeError("magstripe-input", 'a flux file is {"tracks":[{"track":1,"intervalsUs":[...]}, ...]}');
  }
  const tracks: TrackCapture[] = input.tracks.map((t: unknown, i: number) => {
    if (!isObject(t) || !isTrackNumber(t.track) || !Array.isArray(t.intervalsUs)) {
      throw new MagstripeError("magstripe-input", `tracks[${i}] needs "track" (1, 2 or 3) and "intervalsUs" (an array of numbers)`);
    }
    return { track: t.track, kind: "flux", intervalsUs: t.intervalsUs as number[] };
  });
  return { tracks };
}

/** Decodes a flux file: one entry per track, with the characters (sentinels included) of a good read. */
export function decodeFluxReport(input: unknown): { tracks: FluxTrackReport[] } {
  const read = readSwipe(fluxFileToSwipe(input));
  return {
    tracks: read.tracks.map((t): FluxTrackReport => {
      if (!t.ok) return { track: t.track, ok: false, reason: t.reason };
      const data = t.data.text();
      t.data.zeroize();
      return { track: t.track, ok: true, data, direction: t.direction, errors: t.corrected };
    }),
  };
}

export interface TrackReport {
  number: TrackNumber;
  /** Track 1's format code ("B") or track 3's ("01"); null on track 2. */
  formatCode: string | null;
  pan: string | null;
  name: string | null;
  expiry: string | null;
  serviceCode: string | null;
  discretionary: string;
  luhn: boolean | null;
}

/**
 * Parses one track given as text. Sentinels may be left out; the track number is then inferred:
 * a field separator '^' makes it track 1, otherwise track 2, unless `track` says 3.
 */
export function decodeTrackReport(text: string, track?: TrackNumber): { track: TrackReport } {
  if (typeof text !== "string" || text.length === 0) throw new MagstripeError("magstripe-format", "a track string is required");
  const number: TrackNumber = track ?? (text[0] === "%" || (text[0] !== ";" && text.indexOf("^") >= 0) ? 1 : 2);
  const start = number === 1 ? "%" : ";";
  let full = text;
  if (full[0] !== start) full = start + full;
  if (full[full.length - 1] !== "?") full = full + "?";
  if (number === 3) {
    const t = parseTrack3(full);
    return { track: { number, formatCode: t.formatCode, pan: t.pan, name: null, expiry: null, serviceCode: null,
      discretionary: t.additionalData, luhn: t.luhn } };
  }
  const t = number === 1 ? parseTrack1(full) : parseTrack2(full);
  return { track: { number, formatCode: t.formatCode, pan: t.pan, name: t.name, expiry: t.expiry,
    serviceCode: t.serviceCode, discretionary: t.discretionary, luhn: t.luhn } };
}
