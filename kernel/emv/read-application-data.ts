import type { Tlv } from "../tlv";
import { parseAfl } from "./afl";
import { readRecord, SW_OK } from "./commands";
import { decodeCardTlv } from "./card-tlv";
import type { TransactionContext } from "./context";
import { CardDataError } from "./errors";

// EMV 4.4 Book 3, 10.2: Read Application Data. The terminal reads every record the AFL names, keeps
// the data objects, sets aside the records that offline data authentication signs (10.3), and checks
// that the mandatory data is there and none of it is redundant.

/** Book 3, 7.2, Table 28: data objects a card must provide for any transaction. */
export const MANDATORY_RECORD_DATA: readonly string[] = ["5F24", "5A", "8C", "8D"];

/** Records of SFI 11-30 need not be BER-TLV at all: undecodable content is simply not EMV data. */
function decodeOptional(bytes: Uint8Array, what: string): Tlv[] {
  try {
    return decodeCardTlv(bytes, what);
  } catch (e) {
    if (e instanceof CardDataError) return [];
    throw e;
  }
}

export async function readApplicationData(ctx: TransactionContext): Promise<void> {
  const afl = ctx.data.get("94");
  if (!afl) throw new CardDataError("AFL '94' missing (Book 3, 6.5.8.4)");
  const entries = parseAfl(afl);
  ctx.odaRecords = [];

  for (const e of entries) {
    for (let n = e.first; n <= e.last; n++) {
      const what = `READ RECORD SFI ${e.sfi} record ${n}`;
      const r = await readRecord(ctx.deps.transport, e.sfi, n);
      // A record the AFL names must be there: anything but '9000' terminates the transaction.
      if (r.sw !== SW_OK) throw new CardDataError(`${what}: status ${r.sw.toString(16).toUpperCase()}`);
      const forOda = n < e.first + e.odaCount;
      const objects = e.sfi <= 10 ? decodeCardTlv(r.data, what) : decodeOptional(r.data, what);
      const isTemplate = objects.length === 1 && objects[0].tag === "70" && objects[0].children !== undefined;
      if (e.sfi <= 10) {
        // Files 1-10 hold EMV data: each record is a READ RECORD Response Message Template '70'.
        if (!isTemplate) throw new CardDataError(`${what}: not a '70' template (Book 3, 10.2)`);
        ctx.data.addCard(objects[0].children!, true, what);
      } else if (isTemplate) {
        // Files 11-30 are the issuer's own; their EMV data, if any, is still a '70' template.
        ctx.data.addCard(objects[0].children!, true, what);
      }
      // Book 3, 10.3: the records for offline data authentication, as read; which part of each is
      // signed depends on the SFI (kernel/emv/oda/static-data.ts).
      if (forOda) ctx.odaRecords.push({ sfi: e.sfi, record: r.data.slice() });
    }
  }

  // Book 3, 10.2: a missing mandatory data object terminates the transaction.
  for (const tag of MANDATORY_RECORD_DATA) {
    if (!ctx.data.has(tag)) throw new CardDataError(`mandatory data object ${tag} missing (Book 3, 7.2)`);
  }
}
