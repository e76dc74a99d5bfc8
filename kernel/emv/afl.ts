import { CardDataError } from "./errors";

// Application File Locator '94' (EMV 4.4 Book 3, 10.2): a list of 4-byte entries, each naming an
// SFI, the first and last record to read, and how many records from the first take part in offline
// data authentication.

export interface AflEntry {
  sfi: number;
  first: number;
  last: number;
  /** Number of records, from `first`, whose data is authenticated offline (Book 3, 10.3). */
  odaCount: number;
}

/**
 * Book 3, 10.2: byte 1 is the SFI in b8-b4 (b3-b1 zero), byte 2 the first record (not 0), byte 3
 * the last record (>= first), byte 4 the number of ODA records (not more than last - first + 1).
 * Any other coding is an error the terminal terminates the transaction for.
 */
export function parseAfl(afl: Uint8Array): AflEntry[] {
  if (afl.length === 0 || afl.length % 4 !== 0) {
    throw new CardDataError(`AFL: ${afl.length} bytes is not a non-empty multiple of 4 (Book 3, 10.2)`);
  }
  const out: AflEntry[] = [];
  for (let i = 0; i < afl.length; i += 4) {
    const sfi = afl[i] >> 3;
    const first = afl[i + 1];
    const last = afl[i + 2];
    const odaCount = afl[i + 3];
    if ((afl[i] & 0x07) !== 0 || sfi < 1 || sfi > 30) throw new CardDataError(`AFL entry ${i / 4 + 1}: SFI not 1-30 (Book 3, 10.2)`);
    if (first === 0) throw new CardDataError(`AFL entry ${i / 4 + 1}: first record 0 (Book 3, 10.2)`);
    if (last < first) throw new CardDataError(`AFL entry ${i / 4 + 1}: last record before the first (Book 3, 10.2)`);
    if (odaCount > last - first + 1) {
      throw new CardDataError(`AFL entry ${i / 4 + 1}: more ODA records than records (Book 3, 10.2)`);
    }
    out.push({ sfi, first, last, odaCount });
  }
  return out;
}
