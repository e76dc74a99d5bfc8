import { toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { MposError } from "../../kernel/errors";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment } from "../../kernel/emv/oda-environment";
import { performTransaction, type EmvOutcome } from "../../kernel/emv/transaction";
import { TRANSACTION_TYPE } from "../../kernel/emv/context";
import { openContactCard, type ContactCard } from "../../kernel/iso7816/session";
import { isMuteApplet, SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { createVirtualIcc, type VirtualIcc } from "../icc/virtual-icc";
import { ordered, p2peReport, showMessage, type SimOutcome, type SimRunResult, type SimSetting } from "./sim-transaction";

// A chip transaction in the simulator: the card's applet behind a byte-level virtual ICC (T=0 or
// T=1, with its line-time model), the reader's ISO 7816-3 engines and EMV kernel on top, the issuer
// host as the online authorizer, the reader's key store for P2PE and online PIN.

/** Errors of the contact interface before any application was selected: the chip cannot be read. */
const CHIP_UNREADABLE = new Set(["card-mute", "protocol"]);

function lineReport(icc: VirtualIcc): { apdus: number; modeledMs: number } {
  const stats = icc.stats();
  return { apdus: stats.apdus, modeledMs: Math.round(stats.modeledUs) / 1000 };
}

/** Book 4 leaves fallback to the payment systems: a chip that cannot be read sends the cardholder to the stripe. */
function fallback(setting: SimSetting, icc: VirtualIcc, reason: string): SimRunResult {
  showMessage(setting, "useMagStripe");
  return ordered({ outcome: "fallback-to-magstripe", cvm: "none", ...lineReport(icc), prompts: setting.cardholder.prompts, reason });
}

function outcomeOf(o: EmvOutcome): SimOutcome {
  switch (o.kind) {
    case "approved":
    case "declined":
    case "online-approved":
    case "online-declined":
    case "cancelled":
    case "timeout":
    case "end-application":
      return o.kind;
    case "not-accepted":
      return "fallback-to-magstripe";
    case "card-blocked":
      return "end-application";
  }
}

export async function runContactTransaction(setting: SimSetting): Promise<SimRunResult> {
  const c = softwareCrypto;
  // A card without a chip is a chip that does not answer: no contact answers the reset.
  const applet = setting.card.applet ?? new MuteApplet();
  const icc = createVirtualIcc({
    applet,
    protocol: setting.options.protocol === "t1" ? 1 : 0,
    faults: isMuteApplet(applet) ? [{ kind: "mute" }] : [],
  });
  let session: ContactCard;
  try {
    session = await openContactCard({ slot: icc, clock: icc.clock });
  } catch (e) {
    if (e instanceof MposError && CHIP_UNREADABLE.has(e.code)) return fallback(setting, icc, `${e.code}: ${e.message}`);
    throw e;
  }
  const deps = {
    transport: session.transport,
    crypto: c,
    random: setting.random,
    cardholder: setting.cardholder,
    authorizer: setting.issuer,
    protector: setting.keys.store,
    pinEncryptor: setting.keys.store,
    oda: createOdaEnvironment(c, CapkStore.fromJson(c, SIM_CAPK_FILE), CertificateRevocationList.fromJson(SIM_CRL_FILE)),
  };
  const params = {
    amount: setting.amount,
    amountOther: 0,
    transactionType: TRANSACTION_TYPE.goodsAndServices,
    date: setting.date,
    time: setting.time,
    sequenceCounter: 1,
    merchantForcedOnline: false,
  };
  const out = await performTransaction(setting.config, params, deps);
  await session.deactivate();

  // A chip that stops answering before an application is chosen is unreadable too.
  const code = out.reason ? out.reason.split(":")[0] : "";
  if (out.kind === "end-application" && !out.aid && CHIP_UNREADABLE.has(code)) return fallback(setting, icc, out.reason as string);
  if (out.kind === "not-accepted") showMessage(setting, "useMagStripe");

  const result: SimRunResult = {
    outcome: outcomeOf(out),
    cvm: out.cvm,
    ...lineReport(icc),
    prompts: setting.cardholder.prompts,
  };
  if (out.maskedPan) result.maskedPan = out.maskedPan;
  result.tvr = toHex(out.tvr);
  result.tsi = toHex(out.tsi);
  if (out.cid !== undefined) result.cid = toHex(new Uint8Array([out.cid]));
  if (out.arc) result.arc = out.arc;
  const p2pe = p2peReport(setting, out.envelope);
  if (p2pe) result.p2pe = p2pe;
  if (out.reason) result.reason = out.reason;
  return ordered(result);
}
