import { contactPayment } from "./contact-payment";
import { softwareCrypto } from "../../kernel/crypto";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment } from "../../kernel/emv/oda-environment";
import { isMuteApplet, SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { createVirtualIcc } from "../icc/virtual-icc";
import { simReport, simTransactionParams, type SimRunResult, type SimSetting } from "./sim-transaction";

// A chip transaction in the simulator: the card's applet behind a byte-level virtual ICC (T=0 or
// T=1, with its line-time model), and on the reader's side the reader application's chip payment
// (host-sim/sim/contact-payment.ts: the ISO 7816-3 engines and the EMV kernel) in-process, the
// issuer host as the online authorizer, the reader's key store for P2PE and online PIN.

export async function runContactTransaction(setting: SimSetting): Promise<SimRunResult> {
  const c = softwareCrypto;
  // A card without a chip is a chip that does not answer: no contact answers the reset.
  const applet = setting.card.applet ?? new MuteApplet();
  const icc = createVirtualIcc({
    applet,
    protocol: setting.options.protocol === "t1" ? 1 : 0,
    faults: isMuteApplet(applet) ? [{ kind: "mute" }] : [],
  });
  const oda = createOdaEnvironment(c, CapkStore.fromJson(c, SIM_CAPK_FILE), CertificateRevocationList.fromJson(SIM_CRL_FILE));
  const paid = await contactPayment(
    { terminal: setting.config, oda, contactless: null },
    { interface: "contact", ...simTransactionParams(setting) },
    {
      slot: icc, clock: icc.clock, crypto: c, random: setting.random, cardholder: setting.cardholder, authorizer: setting.issuer,
      protector: setting.keys.store, pinEncryptor: setting.keys.store, oda,
    },
  );
  const stats = icc.stats();
  return simReport(setting, paid, { apdus: stats.apdus, modeledMs: Math.round(stats.modeledUs) / 1000 });
}
