import { MposError } from "../errors";

/**
 * Malformed input to the magnetic-stripe layer: an interval stream that is not a list of finite,
 * non-negative microseconds, a track string outside its coded character set, a track that breaks
 * the ISO/IEC 7813 layout when one is asked to parse it. A swipe that simply fails to read is not
 * an error: it is a `TrackRead` with `ok: false` (STYLE.md: outcomes are data).
 *
 * Messages name the rule and a position, never a character of the track: track data is sensitive.
 */
export class MagstripeError extends MposError {
  constructor(code: MagstripeErrorCode, message: string) {
    super(code, message);
    this.name = "MagstripeError";
  }
}

export type MagstripeErrorCode =
  /** An interval stream or bit stream that is not what the HAL contract promises. */
  | "magstripe-input"
  /** A character outside the track's coded character set (ISO/IEC 7811-2). */
  | "magstripe-charset"
  /** Track text that breaks the layout of ISO/IEC 7813 (tracks 1, 2) or ISO/IEC 4909 (track 3). */
  | "magstripe-format";
