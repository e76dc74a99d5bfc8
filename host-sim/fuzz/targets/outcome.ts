import { MposError } from "../../../kernel/errors";

// What every target here counts as a defined outcome, and what it counts as a finding.
//
// Defined: returning normally, or a typed error of the project (MposError and its subclasses, with
// a stable `code`: the card, the field or the phone sent something the kernel refuses). A finding:
// any other exception (TypeError, RangeError, a bare Error from a bug), and a run that does not end
// within its modeled bound (HangError below): payments run unattended, so a reader that spins on
// hostile input is as bad as one that crashes.

/** A run went past its bound of modeled time or line operations: a hang, always a finding. */
export class HangError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HangError";
  }
}

/** Typed errors of the project are defined outcomes; a HangError never is. */
export function isTypedError(e: unknown): boolean {
  return e instanceof MposError;
}

/**
 * A cheap, deterministic 32-bit hash of an input (FNV-1a), for targets that derive a structured
 * mutation from the input itself, so a finding replays from its input alone.
 */
export function inputHash(input: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The input split into length-prefixed records (a big-endian length of `lengthBytes` bytes, 1 or 2,
 * before each), the last one cut short as it comes.
 */
export function splitRecords(input: Uint8Array, maxRecords: number, lengthBytes: 1 | 2 = 1): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at + lengthBytes <= input.length && out.length < maxRecords) {
    const length = lengthBytes === 1 ? input[at] : (input[at] << 8) | input[at + 1];
    at += lengthBytes;
    out.push(input.subarray(at, Math.min(input.length, at + length)));
    at += length;
  }
  return out;
}

/** Records joined with their length prefixes (the inverse of splitRecords; longer records are cut to fit). */
export function joinRecords(records: Uint8Array[], lengthBytes: 1 | 2 = 1): Uint8Array {
  const max = lengthBytes === 1 ? 0xff : 0xffff;
  let length = 0;
  for (const r of records) length += lengthBytes + Math.min(max, r.length);
  const out = new Uint8Array(length);
  let at = 0;
  for (const r of records) {
    const n = Math.min(max, r.length);
    if (lengthBytes === 2) out[at++] = n >> 8;
    out[at++] = n & 0xff;
    out.set(r.subarray(0, n), at);
    at += n;
  }
  return out;
}
