import { MposError } from "../errors";

// The stored form of the PIN entry window (pin-rate-limit.ts): what a reboot must not forget
// (PCI PTS POI, exhaustive PIN determination: the limit on PIN entries must hold across a power
// cycle, or switching the reader off and on would give an attacker fresh tries).
//
// The HAL clock's origin is lost at a reboot, so an entry is stored by its age when the record was
// written, never by a time stamp: at start-up each entry is placed that long before the boot.
// Layout: version 01 | count (1) | count x age in ms (4, big-endian), oldest first, each age below
// one hour and no age greater than the one before it.

export const PIN_WINDOW_VERSION = 0x01;
/** One hour: the window of the limit. */
export const PIN_WINDOW_MS = 3600000;
/** The most entries a window holds: the highest limit the configuration allows (120 an hour). */
export const MAX_PIN_WINDOW_ENTRIES = 120;

/**
 * The stored PIN entry window is unreadable. Codes: "pin-limit-corrupt" (both copies of the record
 * fail their check, or the payload breaks the layout above).
 */
export class PinLimitError extends MposError {
  constructor(message: string) {
    super("pin-limit-corrupt", message);
    this.name = "PinLimitError";
  }
}

/** The record of a window of entries of the given ages (ms, oldest first). */
export function encodePinWindow(agesMs: readonly number[]): Uint8Array {
  if (agesMs.length > MAX_PIN_WINDOW_ENTRIES) throw new Error("PIN window: more entries than a window holds");
  const out = new Uint8Array(2 + 4 * agesMs.length);
  out[0] = PIN_WINDOW_VERSION;
  out[1] = agesMs.length;
  let previous = PIN_WINDOW_MS;
  agesMs.forEach((raw, i) => {
    const age = Math.floor(raw);
    if (!(age >= 0 && age < PIN_WINDOW_MS && age <= previous)) throw new Error("PIN window: ages are 0 to one hour, oldest first");
    previous = age;
    const o = 2 + 4 * i;
    out[o] = age >>> 24;
    out[o + 1] = (age >>> 16) & 0xff;
    out[o + 2] = (age >>> 8) & 0xff;
    out[o + 3] = age & 0xff;
  });
  return out;
}

/** The ages (ms, oldest first) a stored window holds. Throws PinLimitError when it breaks the layout. */
export function decodePinWindow(bytes: Uint8Array): number[] {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) throw new PinLimitError("PIN window: record shorter than its header");
  if (bytes[0] !== PIN_WINDOW_VERSION) throw new PinLimitError(`PIN window: unknown record version ${bytes[0]}`);
  const count = bytes[1];
  if (count > MAX_PIN_WINDOW_ENTRIES) throw new PinLimitError(`PIN window: ${count} entries, at most ${MAX_PIN_WINDOW_ENTRIES}`);
  if (bytes.length !== 2 + 4 * count) throw new PinLimitError(`PIN window: ${bytes.length} bytes for ${count} entries`);
  const ages: number[] = [];
  let previous = PIN_WINDOW_MS;
  for (let i = 0; i < count; i++) {
    const o = 2 + 4 * i;
    const age = ((bytes[o] << 24) >>> 0) + (bytes[o + 1] << 16) + (bytes[o + 2] << 8) + bytes[o + 3];
    if (age >= PIN_WINDOW_MS) throw new PinLimitError(`PIN window: entry ${i} older than the window`);
    if (age > previous) throw new PinLimitError(`PIN window: entry ${i} out of order`);
    previous = age;
    ages.push(age);
  }
  return ages;
}
