import { hasBit } from "./bits";
import { AUC } from "./auc";
import type { TransactionContext } from "./context";
import { TRANSACTION_TYPE } from "./context";
import { compareDates, decodeDate } from "./dates";
import { CardDataError } from "./errors";
import { isAtm } from "./terminal-capabilities";
import { TVR } from "./tvr";

// EMV 4.4 Book 3, 10.4: Processing Restrictions. The terminal checks that the card's application
// is allowed for this transaction; each failed check sets its TVR bit, and terminal action analysis
// decides what that means. Nothing here ends the transaction by itself.

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** 10.4.1: Application Version Number of the card '9F08' against the terminal's '9F09'. */
export function checkApplicationVersion(ctx: TransactionContext): void {
  const card = ctx.data.get("9F08");
  // Absent on the card: the versions are assumed compatible.
  if (!card || !ctx.app) return;
  if (!ctx.app.config.applicationVersions.some((v) => equal(v, card))) ctx.tvr.set(TVR.differentApplicationVersions);
}

/** 10.4.2: Application Usage Control '9F07' against where and what the transaction is. */
export function checkApplicationUsageControl(ctx: TransactionContext): void {
  const auc = ctx.data.get("9F07");
  if (!auc) return;
  if (auc.length !== 2) throw new CardDataError("Application Usage Control '9F07' is not 2 bytes");
  const atm = isAtm(ctx.config.terminalType, ctx.config.additionalCapabilities);
  // Valid at ATMs / at terminals other than ATMs.
  if (!hasBit(auc, atm ? AUC.atms : AUC.nonAtmTerminals)) ctx.tvr.set(TVR.serviceNotAllowed);

  // The domestic / international checks need the Issuer Country Code '5F28'.
  const issuerCountry = ctx.data.get("5F28");
  if (!issuerCountry) return;
  const domestic = equal(issuerCountry, ctx.config.countryCode);
  const type = ctx.params.transactionType;
  let allowed = true;
  if (type === TRANSACTION_TYPE.cash) {
    allowed = hasBit(auc, domestic ? AUC.domesticCash : AUC.internationalCash);
  } else if (type === TRANSACTION_TYPE.goodsAndServices || type === TRANSACTION_TYPE.cashback) {
    allowed = domestic
      ? hasBit(auc, AUC.domesticGoods) || hasBit(auc, AUC.domesticServices)
      : hasBit(auc, AUC.internationalGoods) || hasBit(auc, AUC.internationalServices);
  }
  // A purchase with cashback (or any transaction with an Amount, Other) needs the cashback bit too.
  if (type === TRANSACTION_TYPE.cashback || ctx.params.amountOther > 0) {
    allowed = allowed && hasBit(auc, domestic ? AUC.domesticCashback : AUC.internationalCashback);
  }
  if (!allowed) ctx.tvr.set(TVR.serviceNotAllowed);
}

/** 10.4.3: Application Effective Date '5F25' and Application Expiration Date '5F24'. */
export function checkDates(ctx: TransactionContext): void {
  const today = ctx.params.date;
  const effective = ctx.data.get("5F25");
  if (effective && compareDates(today, decodeDate(effective, "Application Effective Date '5F25'")) < 0) {
    ctx.tvr.set(TVR.applicationNotYetEffective);
  }
  const expiry = ctx.data.get("5F24");
  if (!expiry) throw new CardDataError("Application Expiration Date '5F24' missing (Book 3, 7.2)");
  if (compareDates(today, decodeDate(expiry, "Application Expiration Date '5F24'")) > 0) {
    ctx.tvr.set(TVR.expiredApplication);
  }
}

export function processingRestrictions(ctx: TransactionContext): void {
  checkApplicationVersion(ctx);
  checkApplicationUsageControl(ctx);
  checkDates(ctx);
}
