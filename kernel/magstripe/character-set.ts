// The coded character sets and recording densities of the three tracks of a financial card
// (ISO/IEC 7811-2 for low-coercivity stripes, ISO/IEC 7811-6 for high-coercivity ones: the
// encoding is the same).
//
// - Track 1: 210 bpi, 7-bit characters: 6 data bits + odd parity; value = ASCII - 0x20, so the set
//   is 0x20 (space) to 0x5F ('_'). Start sentinel '%', end sentinel '?', field separator '^'.
// - Tracks 2 and 3: 75 bpi (track 2) and 210 bpi (track 3), 5-bit characters: 4 data bits + odd
//   parity; value = ASCII - 0x30, so the set is '0'-'9' and ':;<=>?'. Start sentinel ';', end
//   sentinel '?', field separator '='.
//
// Bits are recorded least significant first and the parity bit last: b1, b2, ... bn, P.
// The maximum lengths count every character on the track, the start sentinel, end sentinel and
// LRC included: 79 (track 1), 40 (track 2), 107 (track 3).

export type TrackNumber = 1 | 2 | 3;

export interface TrackFormat {
  track: TrackNumber;
  /** Data bits per character, parity excluded. */
  dataBits: 6 | 4;
  /** Bits per character on the stripe, parity included. */
  charBits: 7 | 5;
  /** ASCII code of character value 0. */
  asciiOffset: number;
  startSentinel: number;
  endSentinel: number;
  fieldSeparator: number;
  /** Characters on the track, start sentinel, end sentinel and LRC included. */
  maxChars: number;
  /** Recording density in bits per inch. */
  densityBpi: number;
}

const PERCENT = 0x25;
const SEMICOLON = 0x3b;
const QUESTION = 0x3f;
const CARET = 0x5e;
const EQUALS = 0x3d;

export const TRACK_FORMATS: Readonly<Record<TrackNumber, Readonly<TrackFormat>>> = {
  1: { track: 1, dataBits: 6, charBits: 7, asciiOffset: 0x20, startSentinel: PERCENT, endSentinel: QUESTION,
    fieldSeparator: CARET, maxChars: 79, densityBpi: 210 },
  2: { track: 2, dataBits: 4, charBits: 5, asciiOffset: 0x30, startSentinel: SEMICOLON, endSentinel: QUESTION,
    fieldSeparator: EQUALS, maxChars: 40, densityBpi: 75 },
  3: { track: 3, dataBits: 4, charBits: 5, asciiOffset: 0x30, startSentinel: SEMICOLON, endSentinel: QUESTION,
    fieldSeparator: EQUALS, maxChars: 107, densityBpi: 210 },
};

export function isTrackNumber(n: unknown): n is TrackNumber {
  return n === 1 || n === 2 || n === 3;
}

/** The character value (ASCII - offset) of an ASCII code, or -1 when it is outside the set. */
export function valueOf(format: TrackFormat, ascii: number): number {
  const v = ascii - format.asciiOffset;
  return Number.isInteger(v) && v >= 0 && v < (1 << format.dataBits) ? v : -1;
}

/** The ASCII code of a character value. */
export function asciiOf(format: TrackFormat, value: number): number {
  return value + format.asciiOffset;
}

/** The odd parity bit of a character value: set when the value has an even number of one bits. */
export function oddParityBit(value: number): number {
  let ones = 0;
  for (let v = value; v !== 0; v >>>= 1) ones += v & 1;
  return (ones & 1) ^ 1;
}

/** The code word as recorded: data bits, then the odd parity bit as the highest bit. */
export function codeWord(format: TrackFormat, value: number): number {
  return value | (oddParityBit(value) << format.dataBits);
}

/** True when a recorded code word (data bits and parity) has an odd number of one bits. */
export function hasOddParity(word: number): boolean {
  let ones = 0;
  for (let v = word; v !== 0; v >>>= 1) ones += v & 1;
  return (ones & 1) === 1;
}

/**
 * The index of the first character of `text` outside the track's coded character set, or -1.
 * (Callers report the position, never the character: track data is sensitive.)
 */
export function firstCharacterOutsideSet(format: TrackFormat, text: string): number {
  for (let i = 0; i < text.length; i++) if (valueOf(format, text.charCodeAt(i)) < 0) return i;
  return -1;
}
