import { BoundsError } from "../errors";

/** Concatenates byte arrays into a new one. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * A bounds-checked copy of `length` bytes from `offset`. Unlike Uint8Array.slice, which silently
 * clamps, a request past the end is a BoundsError: data from outside never gets to be short.
 */
export function slice(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  checkRange(bytes, offset, length);
  return bytes.slice(offset, offset + length);
}

/** A bounds-checked view (no copy) of `length` bytes from `offset`. */
export function view(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  checkRange(bytes, offset, length);
  return bytes.subarray(offset, offset + length);
}

function checkRange(bytes: Uint8Array, offset: number, length: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 ||
      offset + length > bytes.length) {
    throw new BoundsError(`bytes: range ${offset}+${length} outside a buffer of ${bytes.length}`);
  }
}

/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they differ
 * (for MACs, cryptograms and PIN verification values).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Overwrites key material and PIN buffers in place. */
export function zeroize(...buffers: Uint8Array[]): void {
  for (const b of buffers) b.fill(0);
}

/** a xor b, of equal lengths. */
export function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new BoundsError(`xor: lengths differ (${a.length}, ${b.length})`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/** Big-endian unsigned integer of up to 6 bytes (exact in a double). */
export function readUint(bytes: Uint8Array): number {
  if (bytes.length > 6) throw new BoundsError(`readUint: ${bytes.length} bytes is more than 6`);
  let v = 0;
  for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i];
  return v;
}

/** Big-endian encoding of a non-negative integer into `length` bytes. */
export function writeUint(value: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0 || value >= Math.pow(256, length)) {
    throw new BoundsError(`writeUint: ${value} does not fit in ${length} bytes`);
  }
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = value % 256;
    value = Math.floor(value / 256);
  }
  return out;
}
