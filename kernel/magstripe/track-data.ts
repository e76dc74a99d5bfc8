import { zeroize } from "../bytes";
import type { TrackNumber } from "./character-set";

/**
 * The characters of one track as read, start sentinel to end sentinel, in ASCII. Track data is
 * sensitive (ARCHITECTURE.md, security rules): it lives in bytes that `zeroize()` erases, and it
 * never serializes itself: `JSON.stringify`, string templates and logs see "[redacted]". Only
 * `text()` reveals it, for the code that must (the P2PE envelope, a developer's `mpos decode`).
 */
export class TrackData {
  readonly track: TrackNumber;
  // Not enumerable, so neither a debugger's nor Node's inspection prints the bytes.
  declare private readonly bytes: Uint8Array;

  constructor(track: TrackNumber, ascii: Uint8Array) {
    this.track = track;
    Object.defineProperty(this, "bytes", { value: ascii, enumerable: false, writable: false });
  }

  /** Number of characters, sentinels included. */
  get length(): number {
    return this.bytes.length;
  }

  /** A copy of the ASCII bytes; the caller zeroizes it after use. */
  ascii(): Uint8Array {
    return this.bytes.slice();
  }

  /** The track as a string, sentinels included. Strings cannot be erased: use only at the edge. */
  text(): string {
    return asciiToString(this.bytes);
  }

  zeroize(): void {
    zeroize(this.bytes);
  }

  toJSON(): string {
    return "[redacted]";
  }

  toString(): string {
    return "[redacted]";
  }
}

/** ASCII bytes of a string of 7-bit characters; any other character becomes 0xFF (outside every set). */
export function stringToAscii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c < 0x80 ? c : 0xff;
  }
  return out;
}

export function asciiToString(ascii: Uint8Array): string {
  let s = "";
  for (let i = 0; i < ascii.length; i++) s += String.fromCharCode(ascii[i]);
  return s;
}
