import { fromHex, toHex } from "../../kernel/bytes";
import { MposError } from "../../kernel/errors";

// The values that cross the bridge between the firmware on the XS engine and the simulator's mock
// hardware on Node, as JSON: bytes become {"$bytes":"<uppercase hex>"} (the project's rule: hex
// at the edges), other typed arrays plain arrays of numbers, undefined becomes null. Both sides
// use this one codec, so a value arrives as the same shape it left, never sharing memory with the
// sender (the kernel zeroizes buffers it was handed; a copy keeps the other side's intact).

// Both engines have the WHATWG encoders (Node, and xsnap's XS); the device's typings do not declare them.
declare const TextEncoder: { new (): { encode(text: string): Uint8Array } };
declare const TextDecoder: { new (): { decode(bytes: Uint8Array): string } };

/** How deep a value may nest: the HAL's values are shallow; anything deeper is a bug or an attack. */
const MAX_DEPTH = 16;

export class BridgeWireError extends MposError {
  constructor(message: string) {
    super("bridge-wire", message);
    this.name = "BridgeWireError";
  }
}

/** A value as it travels: JSON-able, with bytes tagged. */
export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };

export function toWire(value: unknown, depth = 0): WireValue {
  if (depth > MAX_DEPTH) throw new BridgeWireError("value nested too deep for the bridge");
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new BridgeWireError("a number on the bridge must be finite");
    return value;
  }
  if (value instanceof Uint8Array) return { $bytes: toHex(value) };
  if (ArrayBuffer.isView(value)) {
    const items = value as unknown as ArrayLike<number>;
    return Array.from({ length: items.length }, (_, i) => items[i]);
  }
  if (Array.isArray(value)) return value.map((v) => toWire(v, depth + 1));
  if (typeof value === "object") {
    const out: { [key: string]: WireValue } = {};
    for (const key of Object.keys(value as object)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== "function") out[key] = toWire(v, depth + 1);
    }
    return out;
  }
  throw new BridgeWireError(`a ${typeof value} cannot cross the bridge`);
}

export function fromWire(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new BridgeWireError("value nested too deep for the bridge");
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => fromWire(v, depth + 1));
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "$bytes") {
      if (typeof o.$bytes !== "string") throw new BridgeWireError("$bytes must be a hex string");
      return fromHex(o.$bytes);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = fromWire(o[key], depth + 1);
    return out;
  }
  throw new BridgeWireError(`a ${typeof value} is not a bridge value`);
}

/** One call from the firmware to a device the host serves. */
export interface BridgeRequest {
  /** The device, e.g. "contactSlot" (see hal/xs-bridge/devices.ts). */
  device: string;
  method: string;
  args: WireValue[];
}

/** The host's answer: a result, or the error the mock hardware threw (code and message only). */
export type BridgeReply = { ok: true; value: WireValue } | { ok: false; error: { name: string; code: string | null; message: string } };

/** An error thrown on the other side of the bridge, with its stable code when it had one. */
export class BridgeRemoteError extends MposError {
  constructor(name: string, code: string | null, message: string) {
    super(code ?? "bridge-remote", message);
    this.name = name;
  }
}

export function describeError(e: unknown): { name: string; code: string | null; message: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, code: typeof code === "string" ? code : null, message: e.message };
  }
  return { name: "Error", code: null, message: String(e) };
}

export function encodeJson(value: unknown): ArrayBuffer {
  return encodeText(JSON.stringify(value));
}

/** Text as UTF-8 bytes, in an ArrayBuffer of their own. */
export function encodeText(text: string): ArrayBuffer {
  return new TextEncoder().encode(text).slice().buffer as ArrayBuffer;
}

/** UTF-8 bytes as text (both engines have TextDecoder). */
export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

export function decodeJson(buffer: ArrayBuffer | Uint8Array): unknown {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  try {
    return JSON.parse(decodeUtf8(bytes));
  } catch {
    throw new BridgeWireError("the bridge message is not JSON");
  }
}
