// The static data to be authenticated, EMV Book 3, 10.3 (and Book 2, 5.4 / 6.4 that hash it):
// the records the AFL marks for offline data authentication, in the order read, then the value of
// the AIP when the Static Data Authentication Tag List (tag 9F4A) asks for it:
// - from files with SFI 1 to 10, the record's value only: the record must be one constructed data
//   object with tag '70', whose tag and length are left out; any other coding fails ODA;
// - from files with SFI 11 to 30, the whole record (tag and length included);
// - the Static Data Authentication Tag List may hold only the tag '82' (AIP); anything else fails ODA.

import { concat } from "../../bytes";
import { fail, type OdaOutcome } from "./errors";

export interface OdaRecord {
  /** Short File Identifier the record was read from, 1 to 30. */
  sfi: number;
  /** The record as READ RECORD returned it (response data without SW1 SW2). */
  record: Uint8Array;
}

/** The value of a record coded as one '70' template, or undefined when it is not so coded. */
function template70Value(record: Uint8Array): Uint8Array | undefined {
  if (record.length < 2 || record[0] !== 0x70) return undefined;
  let length: number;
  let offset: number;
  const first = record[1];
  if (first < 0x80) {
    length = first;
    offset = 2;
  } else if (first === 0x81 && record.length >= 3) {
    length = record[2];
    offset = 3;
  } else if (first === 0x82 && record.length >= 4) {
    length = record[2] * 256 + record[3];
    offset = 4;
  } else {
    return undefined;
  }
  if (offset + length !== record.length) return undefined;
  return record.subarray(offset, offset + length);
}

export function staticDataToAuthenticate(
  records: readonly OdaRecord[],
  options: { sdaTagList?: Uint8Array; aip?: Uint8Array } = {},
): OdaOutcome<{ data: Uint8Array }> {
  const parts: Uint8Array[] = [];
  for (const r of records) {
    if (!Number.isInteger(r.sfi) || r.sfi < 1 || r.sfi > 30) return fail("static-data");
    if (r.sfi <= 10) {
      const value = template70Value(r.record);
      if (!value) return fail("static-data");
      parts.push(value);
    } else {
      parts.push(r.record);
    }
  }
  const list = options.sdaTagList;
  if (list !== undefined && list.length > 0) {
    if (list.length !== 1 || list[0] !== 0x82) return fail("sda-tag-list");
    if (!options.aip || options.aip.length !== 2) return fail("data-missing");
    parts.push(options.aip);
  }
  return { ok: true, data: concat(...parts) };
}
