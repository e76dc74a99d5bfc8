import { InputError } from "../errors";

const HEX_DIGITS = "0123456789ABCDEF";

function nibble(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  if (code >= 0x41 && code <= 0x46) return code - 0x37; // A-F
  if (code >= 0x61 && code <= 0x66) return code - 0x57; // a-f
  return -1;
}

/**
 * Strict hex decoding: an even number of characters, each 0-9, A-F or a-f.
 * No whitespace, no 0x prefix. The message gives the position, never the content.
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== "string") throw new InputError("hex", "hex: expected a string");
  if (hex.length % 2 !== 0) throw new InputError("hex", `hex: odd length (${hex.length} characters)`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new InputError("hex", `hex: non-hex character at position ${hi < 0 ? 2 * i : 2 * i + 1}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Uppercase hex, the project's one spelling of bytes at the edges. */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    s += HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 0x0f];
  }
  return s;
}

/** True when `s` is a non-empty, even-length string of hex digits. */
export function isHex(s: string): boolean {
  if (typeof s !== "string" || s.length === 0 || s.length % 2 !== 0) return false;
  for (let i = 0; i < s.length; i++) if (nibble(s.charCodeAt(i)) < 0) return false;
  return true;
}
