import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { InputError, MposError } from "../../kernel/errors";
import type { EmvDate } from "../../kernel/emv/dates";
import { loadTerminalConfig, type TerminalConfig } from "../../kernel/emv/terminal-config";
import { MESSAGES } from "../../kernel/emv/messages";
import type { P2peEnvelope } from "../../kernel/security/p2pe";
import { createCard, type VirtualCard } from "../cards";
import { IssuerHost } from "../issuer";
import { currency, parseAmount } from "./currency";
import { provisionReaderKeys } from "./reader-keys";
import { ScriptedCardholder } from "./scripted-cardholder";
import { SeededRandom } from "./seeded-random";
import terminalConfigJson from "./terminal-config.json";

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

export type SimOutcome =
  | "approved"
  | "declined"
  | "online-approved"
  | "online-declined"
  | "fallback-to-magstripe"
  | "insert-card"
  | "end-application"
  | "cancelled"
  | "timeout";

export interface SimRunResult {
  outcome: SimOutcome;
  cvm: "online-pin" | "offline-plaintext-pin" | "offline-enciphered-pin" | "signature" | "no-cvm" | "cdcvm" | "none";
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

function dateOf(options: SimRunOptions): { date: EmvDate; time: { hour: number; minute: number; second: number } } {
  const now = new Date();
  let date = { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
  let time = { hour: now.getUTCHours(), minute: now.getUTCMinutes(), second: now.getUTCSeconds() };
  if (options.date !== undefined) {
    const m = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(options.date);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31) {
      throw new InputError("date", "date must be YYMMDD");
    }
    // Book 4, 6.7.3: YY 00-49 is 20YY, 50-99 is 19YY.
    const yy = Number(m[1]);
    date = { year: yy < 50 ? 2000 + yy : 1900 + yy, month: Number(m[2]), day: Number(m[3]) };
  }
  if (options.time !== undefined) {
    const m = /^([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])$/.exec(options.time);
    if (!m) throw new InputError("time", "time must be HHMMSS");
    time = { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3]) };
  }
  return { date, time };
}

/** The simulated reader's terminal configuration, with the transaction currency of the options. */
function configFor(options: SimRunOptions): TerminalConfig {
  const json = JSON.parse(JSON.stringify(terminalConfigJson));
  if (options.currency !== undefined) {
    const cur = currency(options.currency);
    json.currencyCode = cur.code;
    json.currencyExponent = cur.exponent;
  }
  return loadTerminalConfig(json);
}

export async function prepareSimulation(options: SimRunOptions): Promise<SimSetting> {
  if (options.interface !== "contact" && options.interface !== "magstripe") {
    throw new InputError("interface", "interface must be contact or magstripe");
  }
  const pins = options.pins ?? ["1234"];
  for (const p of pins) if (!/^[0-9]{1,12}$/.test(p)) throw new InputError("pin", "each PIN is 1 to 12 digits");
  const config = configFor(options);
  const amount = parseAmount(options.amount, config.currencyExponent);
  const { date, time } = dateOf(options);
  const seed = options.seed ?? 1;
  const c = softwareCrypto;
  const random = new SeededRandom(c, fromHex(`${seed.toString(16).padStart(8, "0")}00`));
  const card = createCard(options.card, { random: new SeededRandom(c, fromHex(`${seed.toString(16).padStart(8, "0")}CA`)) });
  const keys = await provisionReaderKeys(c, random);
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
  if (!envelope) return undefined;
  const decision = setting.issuer.lastDecision;
  const decryptedByHost = decision !== undefined ? decision.decryptedByHost : hostOpens(setting, envelope);
  const ksn = Array.from(envelope.ksn, (b) => (b < 16 ? "0" : "") + b.toString(16).toUpperCase()).join("");
  return { ksn, decryptedByHost };
}

function hostOpens(setting: SimSetting, envelope: P2peEnvelope): boolean {
  try {
    for (const item of setting.keys.hsm.openEnvelope(envelope)) item.value.fill(0);
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

/** A message the simulator itself shows (Book 4, 11.2, Table 8). */
export function showMessage(setting: SimSetting, message: keyof typeof MESSAGES): void {
  setting.cardholder.show(MESSAGES[message].text);
}
