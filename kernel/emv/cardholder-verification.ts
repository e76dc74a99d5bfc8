import { zeroize } from "../bytes";
import { PinBlockError } from "../security/errors";
import { AIP } from "./aip";
import { hasBit } from "./bits";
import { show, TRANSACTION_TYPE, type CvmName, type TransactionContext } from "./context";
import { CVM, CVM_CONDITION, isPinCvm, isRecognisedCvm, parseCvmList, type CvmList, type CvRule } from "./cvm-list";
import { decodePan } from "./numeric";
import { performOfflinePin, pinNotObtained, type CvmStep } from "./offline-pin";
import { isUnattended, TERMINAL_CAPABILITIES } from "./terminal-capabilities";
import { TSI } from "./tsi";
import { TVR } from "./tvr";

// EMV 4.4 Book 3, 10.5: Cardholder Verification. The terminal goes through the card's CVM List rule
// by rule: a rule whose condition is not satisfied (or not understood) is skipped; the first rule
// whose CVM succeeds ends processing; a failed CVM either fails cardholder verification or, when its
// b7 says so, passes on to the next rule. CVM Results '9F34' records what happened.

export type CvmPhaseResult = { kind: "done" } | { kind: "aborted"; reason: "cancelled" | "timeout" };

/** CVM Results byte 3 (Annex C3 / Book 4, A4). */
const RESULT = { unknown: 0x00, failed: 0x01, successful: 0x02 } as const;

function setCvmResults(ctx: TransactionContext, code: number, condition: number, result: number): void {
  ctx.data.set("9F34", new Uint8Array([code, condition, result]));
}

/** Terminal Capabilities byte 2 (Book 4, A2) for each CVM the terminal can perform. */
export function terminalSupportsCvm(ctx: TransactionContext, method: number): boolean {
  const caps = ctx.config.capabilities;
  const has = (b: typeof TERMINAL_CAPABILITIES.signature) => hasBit(caps, b);
  switch (method) {
    case CVM.failCvmProcessing:
      return true;
    case CVM.plaintextPinByIcc:
      return has(TERMINAL_CAPABILITIES.plaintextPinForIccVerification);
    case CVM.encipheredPinOnline:
      return has(TERMINAL_CAPABILITIES.encipheredPinForOnlineVerification) && ctx.deps.pinEncryptor !== undefined;
    case CVM.plaintextPinByIccAndSignature:
      return has(TERMINAL_CAPABILITIES.plaintextPinForIccVerification) && has(TERMINAL_CAPABILITIES.signature);
    case CVM.encipheredPinByIcc:
      return has(TERMINAL_CAPABILITIES.encipheredPinForOfflineVerification);
    case CVM.encipheredPinByIccAndSignature:
      return has(TERMINAL_CAPABILITIES.encipheredPinForOfflineVerification) && has(TERMINAL_CAPABILITIES.signature);
    case CVM.signature:
      return has(TERMINAL_CAPABILITIES.signature);
    case CVM.noCvmRequired:
      return has(TERMINAL_CAPABILITIES.noCvmRequired);
    default:
      return false;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Annex C3, Table 44: is the rule's condition satisfied? Undefined when the condition code is not
 * one the terminal understands (RFU or a payment system's own): the rule is then skipped. Amount
 * conditions need the Application Currency Code '9F42' to equal the transaction currency; without
 * it they are not satisfied.
 */
export function conditionSatisfied(ctx: TransactionContext, rule: CvRule, list: CvmList): boolean | undefined {
  const type = ctx.params.transactionType;
  const unattended = isUnattended(ctx.config.terminalType);
  const cash = type === TRANSACTION_TYPE.cash;
  const cashback = type === TRANSACTION_TYPE.cashback || ctx.params.amountOther > 0;
  const unattendedCash = unattended && cash;
  const manualCash = !unattended && cash;
  const appCurrency = ctx.data.get("9F42");
  const inAppCurrency = appCurrency !== undefined && equal(appCurrency, ctx.config.currencyCode);
  const amount = ctx.params.amount;
  switch (rule.condition) {
    case CVM_CONDITION.always:
      return true;
    case CVM_CONDITION.unattendedCash:
      return unattendedCash;
    case CVM_CONDITION.notUnattendedCashNotManualCashNotCashback:
      return !unattendedCash && !manualCash && !cashback;
    case CVM_CONDITION.terminalSupportsCvm:
      return terminalSupportsCvm(ctx, rule.method);
    case CVM_CONDITION.manualCash:
      return manualCash;
    case CVM_CONDITION.purchaseWithCashback:
      return cashback;
    case CVM_CONDITION.appCurrencyUnderX:
      return inAppCurrency && amount < list.amountX;
    case CVM_CONDITION.appCurrencyOverX:
      return inAppCurrency && amount > list.amountX;
    case CVM_CONDITION.appCurrencyUnderY:
      return inAppCurrency && amount < list.amountY;
    case CVM_CONDITION.appCurrencyOverY:
      return inAppCurrency && amount > list.amountY;
    default:
      return undefined;
  }
}

/** Book 3, 10.5.2: online PIN, enciphered under the DUKPT PIN key and sent with the ARQC. */
async function performOnlinePin(ctx: TransactionContext): Promise<CvmStep> {
  const encryptor = ctx.deps.pinEncryptor;
  if (!encryptor) return { kind: "failed" };
  show(ctx, "enterPin");
  const entry = await ctx.deps.cardholder.enterPin({ kind: "online", lastTry: false });
  if (entry.kind !== "entered") return pinNotObtained(ctx, entry);
  try {
    const pan = decodePan(ctx.data.get("5A") as Uint8Array);
    ctx.pinBlock = await encryptor.encryptPin(entry.pin, pan);
  } catch (e) {
    // A PIN the pad should not have accepted (not 4-12 digits) counts as not entered.
    if (e instanceof PinBlockError) return pinNotObtained(ctx, { kind: "bypassed" });
    throw e;
  } finally {
    zeroize(entry.pin);
  }
  ctx.tvr.set(TVR.onlinePinEntered);
  return { kind: "unknown" };
}

/** Performs the CVM of one rule whose condition is satisfied. */
async function performCvm(ctx: TransactionContext, method: number): Promise<CvmStep> {
  if (!isRecognisedCvm(method)) {
    ctx.tvr.set(TVR.unrecognisedCvm);
    return { kind: "failed" };
  }
  if (method === CVM.failCvmProcessing) return { kind: "failed" };
  // A recognised CVM the terminal cannot perform fails; for a PIN CVM that is "PIN entry required
  // and PIN pad not present or not working" (10.5.1, 10.5.2), as is a PIN pad out of order.
  if (!terminalSupportsCvm(ctx, method) || (isPinCvm(method) && !ctx.config.pinPadWorking)) {
    if (isPinCvm(method)) ctx.tvr.set(TVR.pinPadNotPresentOrNotWorking);
    return { kind: "failed" };
  }
  switch (method) {
    case CVM.plaintextPinByIcc:
    case CVM.encipheredPinByIcc:
      return performOfflinePin(ctx, method === CVM.encipheredPinByIcc);
    case CVM.plaintextPinByIccAndSignature:
    case CVM.encipheredPinByIccAndSignature: {
      const pin = await performOfflinePin(ctx, method === CVM.encipheredPinByIccAndSignature);
      if (pin.kind !== "successful") return pin;
      // The PIN is verified; the signature is checked on paper later, so the result is "unknown".
      ctx.signatureRequired = true;
      return { kind: "unknown" };
    }
    case CVM.encipheredPinOnline:
      return performOnlinePin(ctx);
    case CVM.signature:
      ctx.signatureRequired = true;
      return { kind: "unknown" };
    default: // CVM.noCvmRequired
      return { kind: "successful" };
  }
}

function cvmName(method: number): CvmName {
  switch (method) {
    case CVM.plaintextPinByIcc:
    case CVM.plaintextPinByIccAndSignature:
      return "offline-plaintext-pin";
    case CVM.encipheredPinByIcc:
    case CVM.encipheredPinByIccAndSignature:
      return "offline-enciphered-pin";
    case CVM.encipheredPinOnline:
      return "online-pin";
    case CVM.signature:
      return "signature";
    case CVM.noCvmRequired:
      return "no-cvm";
    default:
      return "none";
  }
}

export async function cardholderVerification(ctx: TransactionContext): Promise<CvmPhaseResult> {
  // The card does not support cardholder verification: none is performed.
  if (!hasBit(ctx.aip, AIP.cardholderVerificationSupported)) {
    setCvmResults(ctx, CVM.noCvmPerformed, 0x00, RESULT.unknown);
    return { kind: "done" };
  }
  // A CVM List absent or without rules: "ICC data missing", no CVM performed, and the TSI bit is not
  // set (10.5).
  const raw = ctx.data.get("8E");
  const list = raw ? parseCvmList(raw) : undefined;
  if (!list || list.rules.length === 0) {
    ctx.tvr.set(TVR.iccDataMissing);
    setCvmResults(ctx, CVM.noCvmPerformed, 0x00, RESULT.unknown);
    return { kind: "done" };
  }

  let lastTried: CvRule | undefined;
  for (const rule of list.rules) {
    if (conditionSatisfied(ctx, rule, list) !== true) continue;
    lastTried = rule;
    const step = await performCvm(ctx, rule.method);
    if (step.kind === "aborted") return step;
    if (step.kind === "successful" || step.kind === "unknown") {
      setCvmResults(ctx, rule.code, rule.condition, step.kind === "successful" ? RESULT.successful : RESULT.unknown);
      ctx.cvm = cvmName(rule.method);
      ctx.tsi.set(TSI.cardholderVerificationPerformed);
      return { kind: "done" };
    }
    // The CVM failed: b7 of the CVM Code says whether the next rule may be tried.
    if (!rule.applyNextIfUnsuccessful) break;
  }
  // No CVM succeeded: "Cardholder verification was not successful". CVM Results names the last CVM
  // tried as failed, or '3F' (no CVM performed) when no rule's condition was satisfied.
  ctx.tvr.set(TVR.cardholderVerificationNotSuccessful);
  if (lastTried) setCvmResults(ctx, lastTried.code, lastTried.condition, RESULT.failed);
  else setCvmResults(ctx, CVM.noCvmPerformed, 0x00, RESULT.failed);
  ctx.signatureRequired = false;
  ctx.cvm = "none";
  ctx.tsi.set(TSI.cardholderVerificationPerformed);
  return { kind: "done" };
}
