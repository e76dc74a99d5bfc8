import { concat } from "../../bytes";
import type { TransactionContext } from "../../emv/context";
import type { OdaCardData } from "../../emv/oda-environment";
import type { OdaFailure } from "../../emv/oda";

// Fast Dynamic Data Authentication (EMV Contactless Book C-3, offline data authentication): the card signs,
// while it computes the cryptogram in GET PROCESSING OPTIONS, dynamic data that binds the
// transaction, and returns the Signed Dynamic Application Data '9F4B'. The reader verifies it after
// the card has left: the ICC public key from the certificates in the records (EMV Book 2, 6.1-6.4),
// then the signature (Book 2, 6.5.2) over the terminal dynamic data, which for fDDA version '01'
// is the Unpredictable Number '9F37', the Amount, Authorised '9F02', the Transaction Currency Code
// '5F2A' and the Card Authentication Related Data '9F69'; for version '00', the Unpredictable
// Number alone.

export type FddaResult = { ok: true } | { ok: false; reason: OdaFailure | "fdda-version" };

/** The terminal dynamic data the card signed (see the header). */
export function fddaTerminalData(ctx: TransactionContext): Uint8Array | undefined {
  const un = ctx.data.get("9F37");
  if (!un) return undefined;
  const card = ctx.data.get("9F69");
  const version = card && card.length > 0 ? card[0] : 0x00;
  if (version === 0x00) return un;
  if (version !== 0x01) return undefined;
  const amount = ctx.data.get("9F02");
  const currency = ctx.data.get("5F2A");
  if (!amount || !currency || !card) return undefined;
  return concat(un, amount, currency, card);
}

/** Book C-3: fDDA. Card data that fails is an outcome, never an exception. */
export function performFdda(ctx: TransactionContext): FddaResult {
  const sdad = ctx.data.get("9F4B");
  const terminalData = fddaTerminalData(ctx);
  if (!sdad) return { ok: false, reason: "data-missing" };
  if (!terminalData) return { ok: false, reason: "fdda-version" };
  const dfName = ctx.app ? ctx.app.dfName : new Uint8Array(5);
  const card: OdaCardData = {
    rid: dfName.slice(0, 5),
    lookup: (tag) => ctx.data.get(tag),
    records: ctx.odaRecords,
    aip: ctx.data.get("82") ?? new Uint8Array(2),
    today: ctx.data.get("9A") as Uint8Array,
  };
  const oda = ctx.deps.oda;
  const key = oda.iccPublicKey(card);
  if (!key.ok) return { ok: false, reason: key.reason };
  const signature = oda.verifyDynamicSignature(key.key, sdad, terminalData);
  if (!signature.ok) return { ok: false, reason: signature.reason };
  ctx.data.set("9F4C", signature.iccDynamicNumber, "card");
  return { ok: true };
}
