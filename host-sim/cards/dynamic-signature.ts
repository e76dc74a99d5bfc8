// The card's side of DDA and CDA (EMV Book 2, 6.5.1 and 6.6.1): INTERNAL AUTHENTICATE signs the
// DDOL data; GENERATE AC with CDA signs the cryptogram and the Transaction Data Hash Code.

import { concat } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import type { ParsedCommandApdu } from "../../kernel/iso7816/apdu";
import { encodeTlv } from "../../kernel/tlv";
import { randomBytesFrom, type AppletContext } from "./applet-context";
import { signedDynamicApplicationData } from "./certificates";
import { CVR } from "./card-verification-results";
import { respond, SW } from "./status-words";

/** ICC Dynamic Number length: 8 bytes (Book 2, Table 18 allows 2 to 8). */
const DYNAMIC_NUMBER_BYTES = 8;

/** Book 3, 6.5.9: INTERNAL AUTHENTICATE, answered in format 1 (tag 80, Book 3, 6.5.9.4). */
export function internalAuthenticate(ctx: AppletContext, cmd: ParsedCommandApdu): Uint8Array {
  const key = ctx.image.iccKey;
  if (!key || (ctx.image.app.oda !== "dda" && ctx.image.app.oda !== "cda")) return respond(SW.insNotSupported);
  if (cmd.p1 !== 0x00 || cmd.p2 !== 0x00) return respond(SW.wrongP1P2);
  if (!ctx.tx.gpoDone) return respond(SW.conditionsNotSatisfied);
  if (cmd.data.length === 0) return respond(SW.wrongLength);
  // Table 18: ICC Dynamic Data = ICC Dynamic Number Length || ICC Dynamic Number.
  const dynamic = concat(Uint8Array.of(DYNAMIC_NUMBER_BYTES), randomBytesFrom(ctx.random, DYNAMIC_NUMBER_BYTES));
  const sdad = signedDynamicApplicationData(key, dynamic, cmd.data);
  ctx.tx.cvr.set(CVR.offlineDdaPerformed[0], CVR.offlineDdaPerformed[1]);
  return respond(SW.ok, encodeTlv("80", sdad));
}

/**
 * Book 2, 6.6.1: the Signed Dynamic Application Data of a GENERATE AC response. `responseObjects`
 * are the TLV objects of the response template except 9F4B, in the order the card returns them.
 */
export function cdaSignature(
  ctx: AppletContext,
  cid: number,
  cryptogram: Uint8Array,
  unpredictableNumber: Uint8Array,
  cdolData: Uint8Array[],
  responseObjects: Uint8Array[],
): Uint8Array {
  const key = ctx.image.iccKey;
  if (!key) throw new Error("cda: the card has no ICC key");
  const hashCode = softwareCrypto.sha1(concat(ctx.tx.pdolData, ...cdolData, ...responseObjects));
  // Table 19: ICC Dynamic Number Length || ICC Dynamic Number || CID || AC || Transaction Data Hash Code.
  const dynamic = concat(
    Uint8Array.of(DYNAMIC_NUMBER_BYTES), randomBytesFrom(ctx.random, DYNAMIC_NUMBER_BYTES), Uint8Array.of(cid), cryptogram, hashCode,
  );
  return signedDynamicApplicationData(key, dynamic, unpredictableNumber);
}
