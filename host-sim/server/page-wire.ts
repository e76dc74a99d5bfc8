import { fromHex, isHex, toHex } from "../../kernel/bytes";
import { InputError } from "../../kernel/errors";

// JSON between the simulator's server and its page. Bytes (the P2PE envelope, KSNs, EMV values,
// cryptograms) travel as { "$hex": "0A1B..." }; everything else is plain JSON. Used by the page's
// demo phone app to hand the reader's authorisation data to the acquirer and back, and by the
// server's event stream. Decoding is strict: what comes from the page is untrusted input.

const HEX_KEY = "$hex";
/** Far more than any authorisation request or answer needs (an envelope is at most 4 KiB of plaintext). */
export const MAX_WIRE_BYTES = 64 * 1024;
const MAX_DEPTH = 16;

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { [HEX_KEY]: toHex(v) } : v));
}

function revive(v: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new InputError("wire", "wire: nested too deeply");
  if (Array.isArray(v)) return v.map((x) => revive(x, depth + 1));
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === HEX_KEY) {
      const h = o[HEX_KEY];
      if (typeof h !== "string" || !isHex(h)) throw new InputError("wire", "wire: $hex must be an even number of hex digits");
      return fromHex(h);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      if (k === "__proto__" || k === "constructor" || k === "prototype") throw new InputError("wire", `wire: key ${k} is not allowed`);
      out[k] = revive(o[k], depth + 1);
    }
    return out;
  }
  return v;
}

export function decodeWire(text: string): unknown {
  if (text.length > MAX_WIRE_BYTES) throw new InputError("wire", `wire: a message is at most ${MAX_WIRE_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError("wire", "wire: not JSON");
  }
  return revive(parsed, 0);
}
