import { magstripePayment } from "./magstripe-payment";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import { SwipingHead } from "./swiping-head";
import { ordered, simReport, simTransactionParams, type SimRunResult, type SimSetting } from "./sim-transaction";

// A swipe in the simulator: the card's stripe through the virtual head (flux intervals with speed,
// jitter), and on the reader's side the reader application's swipe payment in-process
// (host-sim/sim/magstripe-payment.ts: the F2F decoder and track parsing, the chip-first rule of the
// service code, the tracks into the P2PE envelope, an online authorization of the track data).

/** A card without a stripe leaves nothing on the head: there is no swipe to give the reader. */
export function noStripeReport(setting: SimSetting): SimRunResult {
  return ordered({ outcome: "end-application", cvm: "none", apdus: 0, modeledMs: 0, prompts: setting.cardholder.prompts,
    reason: "magstripe: the card has no magnetic stripe" });
}

export async function runMagstripeTransaction(setting: SimSetting): Promise<SimRunResult> {
  const stripe = setting.card.magstripe;
  if (!stripe) return noStripeReport(setting);
  const head = new SwipingHead(new VirtualMagstripeHead({ seed: setting.options.seed ?? 1 }), stripe);
  const paid = await magstripePayment(
    { terminal: setting.config },
    { interface: "magstripe", ...simTransactionParams(setting) },
    { head, cardholder: setting.cardholder, authorizer: setting.issuer, keys: setting.keys.store },
  );
  return simReport(setting, paid, { apdus: 0, modeledMs: Math.round(head.swipeMs * 1000) / 1000 });
}
