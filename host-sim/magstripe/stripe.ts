import { TRACK_FORMATS, encodeTrackBits, stringToAscii, type TrackNumber } from "../../kernel/magstripe";

// Where the flux transitions of a track lie on an ID-1 card, in inches from the card edge that
// enters the head first on a forward swipe.
//
// - ID-1 card length 85.60 mm = 3.370 in (ISO/IEC 7810).
// - The first bit of the start sentinel lies 0.293 in (7.4 mm) from that edge (ISO/IEC 7811-2
//   and 7811-6, tolerance +/-0.020 in); clocking zeros fill the space before it and after the
//   LRC, to the other end.
// - F2F recording (ISO/IEC 7811-2): a transition at the start of every bit cell, another in the
//   middle of a one, and one closing the last cell.

export const CARD_LENGTH_IN = 3.37;
export const START_SENTINEL_OFFSET_IN = 0.293;
/** The stripe's recording ends this close to either card edge (writers do not reach the edge). */
export const EDGE_MARGIN_IN = 0.08;

export interface StripeTrack {
  track: TrackNumber;
  densityBpi: number;
  /** Bits from the first clocking zero to the last, one per byte. */
  bits: Uint8Array;
  /** Position of the first bit cell, inches from the leading edge. */
  firstCellIn: number;
}

/** Lays out `text` (start sentinel to end sentinel) on `track` as recorded on a card. */
export function layOutTrack(track: TrackNumber, text: string): StripeTrack {
  const format = TRACK_FORMATS[track];
  const data = encodeTrackBits(format, stringToAscii(text));
  const cell = 1 / format.densityBpi;
  const leading = Math.floor((START_SENTINEL_OFFSET_IN - EDGE_MARGIN_IN) / cell);
  const total = Math.floor((CARD_LENGTH_IN - 2 * EDGE_MARGIN_IN) / cell);
  const trailing = total - leading - data.length;
  if (trailing < 8) throw new Error(`track ${track}: the text does not fit on the card`);
  const bits = new Uint8Array(total);
  bits.set(data, leading);
  return { track, densityBpi: format.densityBpi, bits, firstCellIn: START_SENTINEL_OFFSET_IN - leading * cell };
}

/** Positions (inches from the leading edge) of every flux transition of a laid-out track, ascending. */
export function transitionPositions(stripe: StripeTrack): Float64Array {
  const cell = 1 / stripe.densityBpi;
  let count = stripe.bits.length + 1;
  for (let i = 0; i < stripe.bits.length; i++) count += stripe.bits[i];
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < stripe.bits.length; i++) {
    const start = stripe.firstCellIn + i * cell;
    out[k++] = start;
    if (stripe.bits[i] === 1) out[k++] = start + cell / 2;
  }
  out[k] = stripe.firstCellIn + stripe.bits.length * cell;
  return out;
}
