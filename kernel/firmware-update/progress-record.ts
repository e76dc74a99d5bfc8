import { concat, readUint, view, writeUint } from "../bytes";
import { PREAMBLE_LENGTH } from "./image-header";

// The record of an update in progress, kept in the OTA store (hal/ota.ts saveProgress) so that a
// reader that lost power resumes the transfer instead of starting over:
//
//   offset  length  field
//        0       1  record format, 1
//        1     144  the preamble (header || signature) of the image being written
//      145       4  durable offset: the image bytes [0, offset) are programmed in the inactive slot
//
// The record only saves time, it is never trusted for safety: the phone must send the same
// preamble again (compared byte for byte) to resume, and the SHA-256 over the slot and the
// signature are checked before the switch whatever the record said.

const RECORD_FORMAT = 1;
export const PROGRESS_RECORD_LENGTH = 1 + PREAMBLE_LENGTH + 4;

export interface ProgressRecord {
  preamble: Uint8Array;
  durableOffset: number;
}

export function encodeProgressRecord(r: ProgressRecord): Uint8Array {
  return concat(Uint8Array.of(RECORD_FORMAT), r.preamble, writeUint(r.durableOffset, 4));
}

/** The record, or null for anything that is not a well-formed record of this format (start over). */
export function decodeProgressRecord(bytes: Uint8Array | null): ProgressRecord | null {
  if (!(bytes instanceof Uint8Array) || bytes.length !== PROGRESS_RECORD_LENGTH || bytes[0] !== RECORD_FORMAT) return null;
  return {
    preamble: bytes.slice(1, 1 + PREAMBLE_LENGTH),
    durableOffset: readUint(view(bytes, 1 + PREAMBLE_LENGTH, 4)),
  };
}
