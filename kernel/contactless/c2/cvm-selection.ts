import { hasBit } from "../../emv/bits";
import { conditionSatisfied, terminalSupportsCvm } from "../../emv/cardholder-verification";
import type { TransactionContext } from "../../emv/context";
import { CVM, parseCvmList } from "../../emv/cvm-list";
import { TVR } from "../../emv/tvr";
import type { OutcomeCvm } from "../outcome";

// Kernel 2 CVM selection (EMV Contactless Book C-2, "CVM Selection", after EMV Book 3, 10.5): the
// reader picks the CVM while the card is in the field and performs it after (online PIN is entered
// once the card has left, a signature is taken on the receipt). A card that supports on-device
// cardholder verification (AIP byte 1 b2, a phone) is verified by the device above the CVM required
// limit. Otherwise the CVM List '8E' is walked as in Book 3, 10.5, against the CVM capability the
// amount selects (Terminal Capabilities byte 2 = 'DF8118' or 'DF8119'): the first rule whose
// condition holds and whose CVM the reader can do is the one; offline PIN is never available.

/** AIP byte 1 b2: on-device cardholder verification is supported (Book C-2, Annex A). */
export const AIP_ON_DEVICE_CVM = { byte: 1, bit: 2, name: "On device cardholder verification is supported" } as const;
/** AIP byte 1 b5: cardholder verification is supported (EMV Book 3, Annex C1). */
const AIP_CVM_SUPPORTED = { byte: 1, bit: 5, name: "Cardholder verification is supported" } as const;

/** CVM Results '9F34' byte 3 (EMV Book 4, Annex A4). */
const RESULT = { unknown: 0x00, failed: 0x01, successful: 0x02 } as const;

function results(ctx: TransactionContext, code: number, condition: number, result: number): void {
  ctx.data.set("9F34", Uint8Array.of(code, condition, result));
}

function outcomeCvm(method: number): OutcomeCvm {
  if (method === CVM.encipheredPinOnline) return "online-pin";
  if (method === CVM.signature) return "obtain-signature";
  return "no-cvm";
}

/** Book C-2, CVM Selection. `cvmRequired`: the amount is at or above the reader CVM required limit. */
export function selectCvm(ctx: TransactionContext, cvmRequired: boolean, onDeviceCvmSupported: boolean): OutcomeCvm {
  const aip = ctx.aip;
  if (onDeviceCvmSupported && hasBit(aip, AIP_ON_DEVICE_CVM)) {
    if (cvmRequired) {
      // Book C-2 records the device's verification (CDCVM) in CVM Results as '01' '00' '02'.
      results(ctx, 0x01, 0x00, RESULT.successful);
      return "confirmation-code-verified";
    }
    results(ctx, CVM.noCvmPerformed, 0x00, RESULT.successful);
    return "no-cvm";
  }
  if (!hasBit(aip, AIP_CVM_SUPPORTED)) {
    results(ctx, CVM.noCvmPerformed, 0x00, RESULT.unknown);
    return "no-cvm";
  }
  const raw = ctx.data.get("8E");
  let list;
  try {
    list = raw ? parseCvmList(raw) : undefined;
  } catch {
    list = undefined;
  }
  if (!list || list.rules.length === 0) {
    // Book 3, 10.5: no CVM List: ICC data missing, no CVM performed.
    ctx.tvr.set(TVR.iccDataMissing);
    results(ctx, CVM.noCvmPerformed, 0x00, RESULT.unknown);
    return "no-cvm";
  }
  for (const rule of list.rules) {
    const holds = conditionSatisfied(ctx, rule, list);
    if (holds !== true) continue;
    const method = rule.method;
    const doable = method === CVM.encipheredPinOnline || method === CVM.signature || method === CVM.noCvmRequired
      ? terminalSupportsCvm(ctx, method)
      : false;
    if (doable) {
      results(ctx, rule.code, rule.condition, method === CVM.noCvmRequired ? RESULT.successful : RESULT.unknown);
      if (method === CVM.encipheredPinOnline) ctx.tvr.set(TVR.onlinePinEntered);
      return outcomeCvm(method);
    }
    if (method === CVM.failCvmProcessing || !rule.applyNextIfUnsuccessful) {
      ctx.tvr.set(TVR.cardholderVerificationNotSuccessful);
      results(ctx, rule.code, rule.condition, RESULT.failed);
      return "no-cvm";
    }
  }
  // Book 3, 10.5: the list ended without a successful CVM.
  ctx.tvr.set(TVR.cardholderVerificationNotSuccessful);
  results(ctx, CVM.noCvmPerformed, 0x00, RESULT.failed);
  return "no-cvm";
}
