import { writeUint } from "../bytes";
import { buildDol, TlvError } from "../tlv";
import type { TransactionContext } from "./context";
import { encodeDate } from "./dates";
import { CardDataError } from "./errors";
import { encodeNumeric } from "./numeric";

// The terminal's own data elements for one transaction (EMV 4.4 Book 3, Annex A, source "terminal";
// Book 4, Annex A), set before GET PROCESSING OPTIONS so that a PDOL may ask for any of them, and the
// lookup that answers DOLs (Book 3, 5.4).

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}

/** Sets the terminal data that does not depend on the application (before application selection). */
export function setTerminalData(ctx: TransactionContext): void {
  const { config, params, data } = ctx;
  data.set("9F35", new Uint8Array([config.terminalType]));
  data.set("9F33", config.capabilities);
  data.set("9F40", config.additionalCapabilities);
  data.set("9F1A", config.countryCode);
  data.set("5F2A", config.currencyCode);
  data.set("5F36", encodeNumeric(config.currencyExponent, 1));
  data.set("9F15", config.merchantCategoryCode);
  data.set("9F1C", ascii(config.terminalId));
  data.set("9F16", ascii(config.merchantId));
  data.set("9F1E", ascii(config.ifdSerialNumber));
  data.set("9A", encodeDate(params.date));
  data.set("9F21", new Uint8Array([
    encodeNumeric(params.time.hour, 1)[0], encodeNumeric(params.time.minute, 1)[0], encodeNumeric(params.time.second, 1)[0],
  ]));
  data.set("9C", new Uint8Array([params.transactionType]));
  // Amount, Authorised: n12 '9F02' and b4 '81'; Amount, Other: n12 '9F03' and b4 '9F04'.
  data.set("9F02", encodeNumeric(params.amount, 6));
  data.set("81", writeUint(params.amount, 4));
  data.set("9F03", encodeNumeric(params.amountOther, 6));
  data.set("9F04", writeUint(params.amountOther, 4));
  data.set("9F41", encodeNumeric(params.sequenceCounter % 100000000, 4));
  // Point-of-Service Entry Mode: '05', integrated circuit card (ISO 8583:1987, field 22).
  data.set("9F39", new Uint8Array([0x05]));
  // Unpredictable Number, 4 bytes from the random source (Book 4, 6.5.6).
  const un = new Uint8Array(4);
  ctx.deps.random.fill(un);
  data.set("9F37", un);
}

/** Sets the data that depends on the application chosen (after final selection, Book 1, 12.4). */
export function setApplicationTerminalData(ctx: TransactionContext): void {
  const app = ctx.app;
  if (!app) throw new Error("setApplicationTerminalData before final selection");
  ctx.data.set("9F06", app.config.aid);
  ctx.data.set("9F09", app.config.applicationVersions[0]);
  ctx.data.set("9F1B", writeUint(app.config.floorLimit, 4));
}

/** The value a DOL gets for `tag`: the TVR and TSI as they are now, else the data store. */
export function lookupTag(ctx: TransactionContext, tag: string): Uint8Array | undefined {
  if (tag === "95") return ctx.tvr.bytes();
  if (tag === "9B") return ctx.tsi.bytes();
  return ctx.data.get(tag);
}

/**
 * Book 3, 5.4: the data for a DOL the card gave. A DOL that cannot be parsed (or asks for more than
 * a command can carry) is card data the terminal cannot accept.
 */
export function buildCardDol(ctx: TransactionContext, dol: Uint8Array, what: string): Uint8Array {
  try {
    return buildDol(dol, (tag) => lookupTag(ctx, tag));
  } catch (e) {
    if (e instanceof TlvError) throw new CardDataError(`${what}: malformed DOL (${e.code})`);
    throw e;
  }
}
