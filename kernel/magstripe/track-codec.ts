import { MagstripeError } from "./errors";
import { codeWord, hasOddParity, valueOf, type TrackFormat } from "./character-set";

// Characters to bits and back for one track (ISO/IEC 7811-2, coded character sets and error
// detection): each character is its value least significant bit first, then an odd parity bit;
// after the end sentinel comes the longitudinal redundancy check character, whose data bits make
// every bit column from the start sentinel to the LRC even, and whose own parity bit is odd parity
// over the LRC character alone.
//
// Bit streams are one bit per byte (0 or 1), in the order they pass the head on a forward swipe.

/** The LRC of character values from start sentinel to end sentinel: the XOR of their data bits. */
export function lrcOf(values: ArrayLike<number>): number {
  let lrc = 0;
  for (let i = 0; i < values.length; i++) lrc ^= values[i];
  return lrc;
}

/**
 * The bits of a track as recorded between the clocking zeros: every character of `ascii` (start
 * sentinel first, end sentinel last), then the LRC. Refuses text that a reader could not read
 * back as it was written: a missing sentinel, a sentinel inside the data, a character outside the
 * set, or more characters than the track holds.
 */
export function encodeTrackBits(format: TrackFormat, ascii: Uint8Array): Uint8Array {
  const n = ascii.length;
  if (n < 2 || ascii[0] !== format.startSentinel || ascii[n - 1] !== format.endSentinel) {
    throw new MagstripeError("magstripe-format", `track ${format.track}: text must start with its start sentinel and end with the end sentinel`);
  }
  if (n + 1 > format.maxChars) {
    throw new MagstripeError("magstripe-format", `track ${format.track}: ${n + 1} characters with the LRC, more than ${format.maxChars}`);
  }
  const values = new Uint8Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = valueOf(format, ascii[i]);
    if (v < 0) throw new MagstripeError("magstripe-charset", `track ${format.track}: character ${i + 1} is outside the coded character set`);
    if (i > 0 && i < n - 1 && (ascii[i] === format.startSentinel || ascii[i] === format.endSentinel)) {
      throw new MagstripeError("magstripe-format", `track ${format.track}: a sentinel at character ${i + 1} inside the data`);
    }
    values[i] = v;
  }
  values[n] = lrcOf(values.subarray(0, n));
  const w = format.charBits;
  const bits = new Uint8Array(values.length * w);
  for (let i = 0; i < values.length; i++) {
    const word = codeWord(format, values[i]);
    for (let b = 0; b < w; b++) bits[i * w + b] = (word >>> b) & 1;
  }
  return bits;
}

/** The code word of `format.charBits` bits at `offset`, first bit least significant. */
export function wordAt(bits: Uint8Array, offset: number, width: number): number {
  let word = 0;
  for (let b = 0; b < width; b++) word |= (bits[offset + b] & 1) << b;
  return word;
}

export type CharacterFailure =
  /** More than one character fails its parity, or one does and the LRC does not locate the bit. */
  | "parity"
  /** Every character passes its parity but the LRC does not match. */
  | "lrc"
  /** No end sentinel within the track's maximum length. */
  | "no-end-sentinel"
  /** The bits end before the end sentinel and the LRC. */
  | "truncated";

export type CharacterDecode =
  | { ok: true; ascii: Uint8Array; corrected: number; endBit: number }
  | { ok: false; reason: CharacterFailure };

/**
 * Reads the characters of a track from the start sentinel at bit `start` through the LRC.
 *
 * A read that fails parity or the LRC is a bad read, never data. One exception, where row parity
 * and the LRC together prove a single bit error (ISO/IEC 7811-2 error detection, both checks):
 * exactly one character fails its parity, and the LRC syndrome (the columns that are not even)
 * is either one bit, the bit of that character that flipped, or empty, when the parity bit itself
 * flipped. That character is corrected and `corrected` is 1.
 */
export function decodeTrackCharacters(format: TrackFormat, bits: Uint8Array, start: number): CharacterDecode {
  const w = format.charBits;
  const dataMask = (1 << format.dataBits) - 1;
  const ssWord = codeWord(format, format.startSentinel - format.asciiOffset);
  const esWord = codeWord(format, format.endSentinel - format.asciiOffset);
  if (start < 0 || start + w > bits.length || wordAt(bits, start, w) !== ssWord) return { ok: false, reason: "truncated" };

  // Rows: start sentinel, data..., end sentinel, LRC. The LRC must fit within maxChars.
  // Two characters with bad parity already make a bad read: stop there (a false start sentinel in
  // noise or in the wrong direction fails within a few characters).
  const words: number[] = [ssWord];
  let offset = start + w;
  let ended = false;
  let badRows = 0;
  while (words.length < format.maxChars - 1) {
    if (offset + w > bits.length) return { ok: false, reason: "truncated" };
    const word = wordAt(bits, offset, w);
    words.push(word);
    offset += w;
    if (word === esWord) { ended = true; break; }
    if (!hasOddParity(word) && ++badRows > 1) return { ok: false, reason: "parity" };
  }
  if (!ended) return { ok: false, reason: "no-end-sentinel" };
  if (offset + w > bits.length) return { ok: false, reason: "truncated" };
  const lrcWord = wordAt(bits, offset, w);
  offset += w;
  const rows = words.concat([lrcWord]);

  let syndrome = 0;
  const bad: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    syndrome ^= rows[i] & dataMask;
    if (!hasOddParity(rows[i])) bad.push(i);
  }
  let corrected = 0;
  if (bad.length === 0) {
    if (syndrome !== 0) return { ok: false, reason: "lrc" };
  } else if (bad.length === 1 && (syndrome & (syndrome - 1)) === 0) {
    const row = bad[0];
    // A zero syndrome: the parity bit flipped, the data bits are right. One syndrome bit: that
    // data bit of the bad row flipped; flipping it back restores both its parity and the LRC.
    const value = (rows[row] ^ syndrome) & dataMask;
    if (row < rows.length - 1) {
      const ascii = value + format.asciiOffset;
      if (ascii === format.startSentinel || ascii === format.endSentinel) return { ok: false, reason: "parity" };
      rows[row] = value;
    }
    corrected = 1;
  } else {
    return { ok: false, reason: "parity" };
  }
  const ascii = new Uint8Array(words.length);
  for (let i = 0; i < words.length; i++) ascii[i] = (rows[i] & dataMask) + format.asciiOffset;
  return { ok: true, ascii, corrected, endBit: offset };
}
