import type { PaymentCvm, PaymentOutcome, PaymentResult } from "./payment";
import type { SecureStorage } from "../../hal/secure-storage";
import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { InputError, MposError } from "../../kernel/errors";
import { TRANSACTION_TYPE, type TransactionParams } from "../../kernel/emv/context";
import type { EmvDate } from "../../kernel/emv/dates";
import { loadTerminalConfig, type TerminalConfig } from "../../kernel/emv/terminal-config";
import type { P2peEnvelope } from "../../kernel/security/p2pe";
import { createCard, type VirtualCard } from "../cards";
import { IssuerHost } from "../issuer";
import { parseAmount } from "./currency";
import { provisionReaderKeys, type ReaderKeys } from "./reader-keys";
import { ScriptedCardholder } from "./scripted-cardholder";
import { SeededRandom } from "./seeded-random";
import { cardholderPins, terminalConfigJsonFor, transactionDateTime } from "./run-settings";

// One simulated transaction's setting and report: the options of `mpos sim run` (and of the
// "emv.simRun" XS service), and the JSON it answers. The interfaces themselves run in
// contact-transaction.ts and magstripe-transaction.ts.

export type SimInterface = "contact" | "magstripe";

export interface SimRunOptions {
  /** A card profile id of host-sim/cards (`mpos sim cards`). */
  card: string;
  interface: SimInterface;
  /** Decimal amount in the currency's major unit, e.g. "12.34". */
  amount: string;
  /** ISO 4217 alphabetic code; the terminal's own currency (USD) by default. */
  currency?: string;
  /** The PINs the cardholder types, attempt by attempt; the card's PIN (1234) by default. */
  pins?: string[];
  protocol?: "t0" | "t1";
  /** Transaction date YYMMDD and time HHMMSS; the real-time clock by default. */
  date?: string;
  time?: string;
  /** Seed of the simulation's random source (repeatable runs); 1 by default. */
  seed?: number;
}

/** The outcomes of a chip or a stripe payment (the contactless ones are added by host-sim/picc). */
export type SimOutcome = Exclude<PaymentOutcome, "try-another-interface" | "collision" | "present-card-again" | "no-card">;

export interface SimRunResult {
  outcome: SimOutcome;
  cvm: PaymentCvm;
  maskedPan?: string;
  tvr?: string;
  tsi?: string;
  cid?: string;
  arc?: string;
  p2pe?: { ksn: string; decryptedByHost: boolean };
  apdus: number;
  modeledMs: number;
  prompts: string[];
  /** Why the transaction ended, for "end-application" (an error code and rule, never card data). */
  reason?: string;
}

/** Everything one run needs, built from the options. */
export interface SimSetting {
  options: SimRunOptions;
  config: TerminalConfig;
  amount: number;
  date: EmvDate;
  time: { hour: number; minute: number; second: number };
  card: VirtualCard;
  cardholder: ScriptedCardholder;
  random: SeededRandom;
  issuer: IssuerHost;
  keys: Awaited<ReturnType<typeof provisionReaderKeys>>;
}

/** The EMV parameters of a simulated transaction: a purchase (Book 3, Annex A, '9C' = 00), no cashback, the reader's first. */
export function simTransactionParams(setting: SimSetting): TransactionParams {
  return {
    amount: setting.amount,
    amountOther: 0,
    transactionType: TRANSACTION_TYPE.goodsAndServices,
    date: setting.date,
    time: setting.time,
    sequenceCounter: 1,
    merchantForcedOnline: false,
  };
}

/** The simulated reader's terminal configuration, with the transaction currency of the options. */
function configFor(options: SimRunOptions): TerminalConfig {
  return loadTerminalConfig(terminalConfigJsonFor(options.currency));
}

/** `storage`: the reader's secure storage the keys go into (default: a fresh one in memory). */
export async function prepareSimulation(options: SimRunOptions, storage?: SecureStorage): Promise<SimSetting> {
  if (options.interface !== "contact" && options.interface !== "magstripe") {
    throw new InputError("interface", "interface must be contact or magstripe");
  }
  const pins = cardholderPins(options.pins);
  const config = configFor(options);
  const amount = parseAmount(options.amount, config.currencyExponent);
  const { date, time } = transactionDateTime(options);
  const seed = options.seed ?? 1;
  const c = softwareCrypto;
  const random = new SeededRandom(c, fromHex(`${seed.toString(16).padStart(8, "0")}00`));
  const card = createCard(options.card, { random: new SeededRandom(c, fromHex(`${seed.toString(16).padStart(8, "0")}CA`)) });
  const keys = await provisionReaderKeys(c, random, storage);
  return {
    options, config, amount, date, time, card, random, keys,
    cardholder: new ScriptedCardholder(pins),
    issuer: new IssuerHost({ crypto: c }),
  };
}

/**
 * The P2PE part of the report: the envelope's KSN, and whether the host opened it (its MAC
 * verified): the issuer for an online authorization, else the acquirer's HSM when the offline
 * transaction is cleared.
 */
export function p2peReport(setting: SimSetting, envelope: P2peEnvelope | undefined): SimRunResult["p2pe"] {
  return p2peReportOf(envelope, setting.issuer.lastDecision, setting.keys.hsm);
}

/** The same for any run: `decision` is the issuer's on this transaction's online request, if it went online. */
export function p2peReportOf(
  envelope: P2peEnvelope | undefined,
  decision: { decryptedByHost: boolean } | undefined,
  hsm: ReaderKeys["hsm"],
): SimRunResult["p2pe"] {
  if (!envelope) return undefined;
  const decryptedByHost = decision !== undefined ? decision.decryptedByHost : hostOpens(hsm, envelope);
  return { ksn: toHex(envelope.ksn), decryptedByHost };
}

function hostOpens(hsm: ReaderKeys["hsm"], envelope: P2peEnvelope): boolean {
  try {
    for (const item of hsm.openEnvelope(envelope)) item.value.fill(0);
    return true;
  } catch (e) {
    if (e instanceof MposError) return false;
    throw e;
  }
}

/** The report with its keys in the order `mpos sim run` documents them (absent ones left out by JSON). */
export function ordered(r: SimRunResult): SimRunResult {
  return {
    outcome: r.outcome, cvm: r.cvm, maskedPan: r.maskedPan, tvr: r.tvr, tsi: r.tsi, cid: r.cid, arc: r.arc, p2pe: r.p2pe,
    apdus: r.apdus, modeledMs: r.modeledMs, prompts: r.prompts, reason: r.reason,
  };
}

/** The `sim run` report of a chip or stripe payment of the reader application (firmware/app), with the line's figures. */
export function simReport(setting: SimSetting, paid: PaymentResult, line: { apdus: number; modeledMs: number }): SimRunResult {
  // A chip or stripe payment ends in one of the `sim run` outcomes (the contactless ones are not reachable here).
  const r: SimRunResult = { outcome: paid.outcome as SimOutcome, cvm: paid.cvm, ...line, prompts: setting.cardholder.prompts };
  if (paid.maskedPan !== undefined) r.maskedPan = paid.maskedPan;
  if (paid.tvr !== undefined) r.tvr = toHex(paid.tvr);
  if (paid.tsi !== undefined) r.tsi = toHex(paid.tsi);
  if (paid.cid !== undefined) r.cid = toHex(Uint8Array.of(paid.cid));
  if (paid.arc !== undefined) r.arc = paid.arc;
  const p2pe = p2peReport(setting, paid.envelope);
  if (p2pe) r.p2pe = p2pe;
  if (paid.reason !== undefined) r.reason = paid.reason;
  return ordered(r);
}
