import type { NfcController } from "../../hal/nfc-controller";
import type { ContactlessConfig } from "../../kernel/contactless/config";
import type { ContactlessDeps } from "../../kernel/contactless/kernel";
import { performContactlessTransaction, type ContactlessOutcome } from "../../kernel/contactless/transaction";
import { createPcd } from "../../kernel/iso14443/pcd";
import { contactlessCvmPerformed } from "../../kernel/transaction/card-reading";
import { transactionParamsOf, type PaymentRequest, type PaymentResult } from "./payment";

// A contactless payment: the NFC front end as an ISO/IEC 14443 PCD (polling, activation, ISO-DEP),
// the Entry Point and its kernels (EMV Contactless Books A, B, C-2, C-3) to an outcome, then for an
// online request the CVM after the card has left (online PIN) and the authorization. The field is
// off again when the payment ends.

export interface ContactlessPaymentDeps extends ContactlessDeps {
  nfc: NfcController;
}

export async function contactlessPayment(config: ContactlessConfig, request: PaymentRequest, deps: ContactlessPaymentDeps): Promise<PaymentResult> {
  const { nfc, ...kernelDeps } = deps;
  const pcd = createPcd({ controller: nfc, clock: deps.clock });
  const params = transactionParamsOf(request);
  let out: ContactlessOutcome;
  try {
    out = await performContactlessTransaction({ config, params, deps: kernelDeps, pcd });
  } finally {
    await pcd.close();
  }
  const result: PaymentResult = {
    outcome: out.kind,
    cvm: contactlessCvmPerformed(out.cvm),
    contactless: { restarts: out.restarts, modeledMs: out.endAtMs },
  };
  const c = result.contactless!;
  if (out.kernelId === 2 || out.kernelId === 3) c.kernel = out.kernelId;
  if (out.technology) c.technology = out.technology;
  if (out.oda !== "none") {
    c.oda = out.oda;
    c.odaResult = out.odaResult;
  }
  if (out.maskedPan) result.maskedPan = out.maskedPan;
  if (out.tvr) result.tvr = out.tvr;
  if (out.cid !== undefined) result.cid = out.cid;
  if (out.arc) result.arc = out.arc;
  if (out.envelope) result.envelope = out.envelope;
  if (out.reason && out.kind !== "approved" && out.kind !== "online-approved") result.reason = out.reason;
  return result;
}
