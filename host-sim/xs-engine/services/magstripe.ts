import { isTrackNumber, MagstripeError, parseServiceCode, swipeDecision } from "../../../kernel/magstripe";
import { decodeFluxReport, decodeTrackReport } from "../../magstripe/reports";

// The magnetic stripe layer as services, so tests run the same decoding on Node and inside XS and
// compare, and the bench reads the XS compute of decoding one swipe.

export const magstripeServices: Record<string, (args: any) => unknown> = {
  /** {tracks:[{track, intervalsUs}]} -> {tracks:[{track, ok, data, direction, errors} | {track, ok:false, reason}]} */
  "magstripe.decodeFlux": (args) => decodeFluxReport(args),
  /** {text, track?} -> {track:{number, formatCode, pan, name, expiry, serviceCode, discretionary, luhn}} */
  "magstripe.decodeTrack": (args) => {
    if (args?.track !== undefined && !isTrackNumber(args.track)) throw new MagstripeError("magstripe-input", "track is 1, 2 or 3");
    return decodeTrackReport(args?.text, args?.track);
  },
  /** {serviceCode, chipFailed} -> {serviceCode: {...}, decision: {kind, fallback?}} */
  "magstripe.serviceCode": (args) => ({
    serviceCode: parseServiceCode(String(args?.serviceCode)),
    decision: swipeDecision(String(args?.serviceCode), args?.chipFailed === true),
  }),
};
