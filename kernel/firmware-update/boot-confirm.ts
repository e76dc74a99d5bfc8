import type { Ota } from "../../hal/ota";
import { FirmwareUpdateError } from "./errors";
import { decodeImageHeader, HEADER_LENGTH, PREAMBLE_LENGTH } from "./image-header";
import { verifyPreamble } from "./signature";
import { formatVersion, versionCounter } from "./version";

// Issue 13, item 3: a new image runs its self-tests on its first boot and marks itself good, or
// the reader falls back to the previous image. The firmware calls confirmBoot at start-up, before
// it serves the phone or a card. (A trial image that never gets here, because it crashes or hangs or
// loses power first, is abandoned by the bootloader: hal/ota.ts.)
//
// The order keeps the reader bootable through a power cut at any step: the image is marked valid
// first and the anti-rollback counter raised after. The other order could leave a raised counter
// with an image still on trial, whose fallback the counter would then forbid. The raise is repeated
// at every boot (it never lowers), so a cut between the two steps is repaired at the next start.

export type BootOutcome =
  /** The trial image passed its self-tests and is now the confirmed one. */
  | { kind: "confirmed"; version: string | null }
  /** A confirmed image started (the normal case). */
  | { kind: "valid"; version: string | null }
  /** The trial image failed its self-tests: marked invalid, the reader restarts into the previous one. */
  | { kind: "rolled-back"; failed: string[] };

export interface BootConfirmOptions {
  ota: Ota;
  /** The firmware signing public key: the stored header is verified before it raises the counter. */
  publicKey: Uint8Array;
  /** The power-on self-tests; resolves to the names of the tests that failed (empty: all passed). */
  selfTest(): Promise<string[]> | string[];
}

export async function confirmBoot(options: BootConfirmOptions): Promise<BootOutcome> {
  const { ota } = options;
  const state = await ota.state(ota.running());
  // "new" too: a driver whose bootloader does not mark the trial boot still gets it confirmed or refused.
  if (state === "pending-verify" || state === "new") {
    let failed: string[];
    try {
      failed = await options.selfTest();
    } catch (e) {
      failed = [`self-test: ${e instanceof Error ? e.name : "error"}`];
    }
    if (failed.length > 0) {
      await ota.rollback();
      return { kind: "rolled-back", failed };
    }
    await ota.markValid();
    return { kind: "confirmed", version: await raiseCounter(options) };
  }
  return { kind: "valid", version: await raiseCounter(options) };
}

/**
 * Raises the anti-rollback counter to the running image's version, from its stored signed header,
 * verified before it raises anything (a stored byte is untrusted, and a forged high version would
 * forbid every update). Returns the running version, or null when the slot has no readable header
 * (a factory image without one) or one that does not verify: the counter then stays where it is.
 */
async function raiseCounter(options: BootConfirmOptions): Promise<string | null> {
  const { ota } = options;
  const descriptor = await ota.descriptor(ota.running());
  if (descriptor === null || descriptor.length !== PREAMBLE_LENGTH) return null;
  let header;
  try {
    header = decodeImageHeader(descriptor.subarray(0, HEADER_LENGTH));
    // Nothing to raise (the usual boot): no signature to check.
    if (versionCounter(header.version) <= (await ota.rollbackCounter())) return formatVersion(header.version);
    header = verifyPreamble(descriptor, options.publicKey).header;
  } catch (e) {
    if (e instanceof FirmwareUpdateError) return null;
    throw e;
  }
  await ota.raiseRollbackCounter(versionCounter(header.version));
  return formatVersion(header.version);
}
