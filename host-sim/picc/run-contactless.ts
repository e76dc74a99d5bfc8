import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { InputError, MposError } from "../../kernel/errors";
import { performContactlessTransaction, type ContactlessOutcome } from "../../kernel/contactless/transaction";
import { loadContactlessConfig } from "../../kernel/contactless/config";
import { CL_MESSAGES, type UiRequest } from "../../kernel/contactless/ui";
import { TRANSACTION_TYPE, type TransactionParams } from "../../kernel/emv/context";
import type { EmvDate } from "../../kernel/emv/dates";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment } from "../../kernel/emv/oda-environment";
import { IsoDepSession, type IsoDepCounters } from "../../kernel/iso14443/iso-dep";
import { createPcd, type Pcd } from "../../kernel/iso14443/pcd";
import type { P2peEnvelope } from "../../kernel/security/p2pe";
import { findCardProfile, SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { IssuerHost, issueAccounts } from "../issuer";
import { currency, parseAmount } from "../sim/currency";
import { provisionReaderKeys } from "../sim/reader-keys";
import { ScriptedCardholder } from "../sim/scripted-cardholder";
import { SeededRandom } from "../sim/seeded-random";
import type { SimRunResult } from "../sim";
import terminalConfigJson from "../sim/terminal-config.json";
import contactlessConfigJson from "./contactless-config.json";
import { createPicc } from "./contactless-cards";
import { ModeledClock } from "./modeled-clock";
import { findContactlessProfile, walletCardProfiles } from "./profiles";
import { meteredCrypto, meteredTransport, type ComputeCounters } from "./reader-compute";
import { VirtualField, type AirTimeStats, type PlacedPicc } from "./virtual-field";

// `mpos sim run --interface contactless`: the cards (or phones) held to a virtual frame-level NFC
// controller, the reader's ISO/IEC 14443 PCD, Entry Point and kernels on top, the issuer host as
// the online authorizer and the reader's key store for P2PE and online PIN - the contact run's
// setting (host-sim/sim), with the contactless outcomes added and the modeled tap time reported:
// how long the card was in the field until "card read", and where that time went.

export type ContactlessSimOutcome = SimRunResult["outcome"] | "try-another-interface" | "collision" | "present-card-again" | "no-card";

export interface ContactlessRunOptions {
  /** One or more profile ids held to the reader at once (more than one: a collision). */
  cards: string[];
  amount: string;
  currency?: string;
  pins?: string[];
  date?: string;
  time?: string;
  seed?: number;
  /** The first card is taken away while it computes its n-th APDU. */
  removeDuringApdu?: number;
  /** ... and presented again this many ms later. */
  returnAfterMs?: number;
  /** The first card's chip is this many times slower (near the FWT). */
  slowdown?: number;
  /** Leave 106 kbit/s when the card allows (default true). */
  highBitRates?: boolean;
}

/** Where the card's time in the field went, ms (modeled). */
export interface TapTime {
  /** From the card entering the field (or the field coming on) to "card read". */
  cardInFieldMs: number;
  frames: number;
  /** PCD and PICC frames on the air. */
  airMs: number;
  /** The card's turnaround and computing. */
  cardMs: number;
  /** The reader's own computing (kernel work per APDU, crypto), by the model of reader-compute.ts. */
  readerMs: number;
  /** Host interface, guard times between frames, polling and activation waits, timeouts. */
  protocolMs: number;
  bitRate: string;
  /** ISO-DEP: waiting time extensions the card asked for, blocks sent again after a loss. */
  wtxRequests: number;
  retransmissions: number;
}

export type ContactlessRunResult = Omit<SimRunResult, "outcome"> & {
  outcome: ContactlessSimOutcome;
  interface: "contactless";
  kernel?: "C-2" | "C-3";
  technology?: "A" | "B";
  oda?: "fdda" | "cda" | "none";
  odaResult?: "passed" | "failed" | "not-performed";
  tap?: TapTime;
  restarts: number;
};

function dateOf(options: ContactlessRunOptions): { date: EmvDate; time: { hour: number; minute: number; second: number } } {
  const now = new Date();
  let date = { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
  let time = { hour: now.getUTCHours(), minute: now.getUTCMinutes(), second: now.getUTCSeconds() };
  if (options.date !== undefined) {
    const m = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(options.date);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31) throw new InputError("date", "date must be YYMMDD");
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

/**
 * The issuer host with the wallets' token accounts too. IssuerHostOptions takes no extra profiles
 * yet, so they are added to its account table here; a token is keyed by its issuer like a card.
 */
export function issuerWithWallets(): IssuerHost {
  const issuer = new IssuerHost({ crypto: softwareCrypto });
  const table = (issuer as unknown as { accounts: Map<string, unknown> }).accounts;
  for (const [pan, account] of issueAccounts(softwareCrypto, walletCardProfiles())) table.set(pan, account);
  return issuer;
}

const CVM_NAME: Record<ContactlessOutcome["cvm"], SimRunResult["cvm"]> = {
  "online-pin": "online-pin", "confirmation-code-verified": "cdcvm", "obtain-signature": "signature", "no-cvm": "no-cvm", "n/a": "none",
};

const round = (ms: number) => Math.round(ms * 1000) / 1000;

interface CardReadSnapshot {
  stats: AirTimeStats;
  readerUs: number;
  bitRate: string;
  session?: IsoDepCounters;
}

function tapTime(outcome: ContactlessOutcome, at: CardReadSnapshot | undefined, enterMs: number): TapTime | undefined {
  if (!at || outcome.cardReadAtMs === undefined) return undefined;
  const inField = outcome.cardReadAtMs - enterMs;
  const air = (at.stats.txUs + at.stats.rxUs) / 1000;
  const card = at.stats.cardUs / 1000;
  const reader = at.readerUs / 1000;
  return {
    cardInFieldMs: round(inField), frames: at.stats.frames, airMs: round(air), cardMs: round(card), readerMs: round(reader),
    protocolMs: round(inField - air - card - reader), bitRate: at.bitRate,
    wtxRequests: at.session ? at.session.wtxRequests : 0, retransmissions: at.session ? at.session.retransmissions : 0,
  };
}

/** One simulated contactless transaction. */
export async function runContactless(options: ContactlessRunOptions): Promise<ContactlessRunResult> {
  if (!Array.isArray(options.cards) || options.cards.length === 0) throw new InputError("cards", "at least one card");
  const c = softwareCrypto;
  const terminal = JSON.parse(JSON.stringify(terminalConfigJson));
  if (options.currency !== undefined) {
    const cur = currency(options.currency);
    terminal.currencyCode = cur.code;
    terminal.currencyExponent = cur.exponent;
  }
  const config = loadContactlessConfig({ ...JSON.parse(JSON.stringify(contactlessConfigJson)), terminal });
  const amount = parseAmount(options.amount, config.terminal.currencyExponent);
  const pins = options.pins ?? ["1234"];
  for (const p of pins) if (!/^[0-9]{1,12}$/.test(p)) throw new InputError("pin", "each PIN is 1 to 12 digits");
  const { date, time } = dateOf(options);
  const seed = (options.seed ?? 1).toString(16).padStart(8, "0");
  const random = new SeededRandom(c, fromHex(`${seed}00`));

  // The cards: each profile must exist; one without a contactless interface is held there in vain.
  const clock = new ModeledClock();
  const placed: PlacedPicc[] = [];
  options.cards.forEach((id, i) => {
    if (!findCardProfile(id) && !findContactlessProfile(id)) {
      throw new InputError("unknown-card", `no card profile "${id}" (mpos sim cards; phones: visa-wallet, mc-wallet)`);
    }
    const picc = createPicc(id, {
      random: new SeededRandom(c, fromHex(`${seed}C${i}`)),
      slowdown: i === 0 ? options.slowdown : undefined,
    });
    if (!picc) return;
    const p: PlacedPicc = { picc };
    if (i === 0 && options.removeDuringApdu !== undefined) p.leave = { duringApdu: options.removeDuringApdu };
    if (i === 0 && options.returnAfterMs !== undefined) p.returnAfterMs = options.returnAfterMs;
    placed.push(p);
  });
  const field = new VirtualField({ clock, cards: placed });
  const counters: ComputeCounters = { us: 0, apdus: 0, rsa: 0 };
  const crypto = meteredCrypto(c, clock, counters);
  const inner = createPcd({ controller: field, clock, highBitRates: options.highBitRates });
  let session: IsoDepCounters | undefined;
  const pcd: Pcd = {
    async poll(ms) {
      const r = await inner.poll(ms);
      if (r.kind !== "activated") return r;
      session = r.transport instanceof IsoDepSession ? r.transport.counters : undefined;
      return { ...r, transport: meteredTransport(r.transport, clock, counters) };
    },
    awaitRemoval: (ms) => inner.awaitRemoval(ms),
    resetField: () => inner.resetField(),
    close: () => inner.close(),
  };
  const keys = await provisionReaderKeys(c, random);
  const issuer = issuerWithWallets();
  const cardholder = new ScriptedCardholder(pins);
  const prompts: string[] = [];
  let atCardRead: CardReadSnapshot | undefined;
  const uiSink = {
    request(r: UiRequest) {
      const text = CL_MESSAGES[r.message].text;
      if (text && prompts[prompts.length - 1] !== text) prompts.push(text);
      if (r.status === "cardReadSuccessfully") {
        const rate = field.configuration;
        const bitRate = rate.txKbps === rate.rxKbps ? `${rate.txKbps} kbit/s` : `${rate.txKbps}/${rate.rxKbps} kbit/s`;
        atCardRead = { stats: { ...field.stats }, readerUs: counters.us, bitRate, session: session ? { ...session } : undefined };
      }
    },
  };
  const params: TransactionParams = {
    amount, amountOther: 0, transactionType: TRANSACTION_TYPE.goodsAndServices, date, time, sequenceCounter: 1, merchantForcedOnline: false,
  };
  const deps = {
    crypto, random, clock, ui: uiSink, cardholder, authorizer: issuer, protector: keys.store, pinEncryptor: keys.store,
    oda: createOdaEnvironment(crypto, CapkStore.fromJson(c, SIM_CAPK_FILE), CertificateRevocationList.fromJson(SIM_CRL_FILE)),
  };
  const out = await performContactlessTransaction({ config, params, deps, pcd });
  const first = placed[0];
  const enterMs = first ? first.enterMs ?? 0 : 0;
  const result: ContactlessRunResult = {
    outcome: out.kind === "no-card" ? "no-card" : out.kind,
    cvm: CVM_NAME[out.cvm],
    apdus: counters.apdus,
    modeledMs: round(out.endAtMs),
    prompts: [...prompts, ...cardholder.prompts],
    interface: "contactless",
    restarts: out.restarts,
  };
  if (out.kind === "no-card") result.reason = "no card answered the polling (no contactless interface, or no card)";
  if (out.maskedPan) result.maskedPan = out.maskedPan;
  if (out.tvr) result.tvr = toHex(out.tvr);
  if (out.cid !== undefined) result.cid = toHex(Uint8Array.of(out.cid));
  if (out.arc) result.arc = out.arc;
  const p2pe = p2peReport(issuer, keys.hsm, out.envelope);
  if (p2pe) result.p2pe = p2pe;
  if (out.reason && out.kind !== "approved" && out.kind !== "online-approved") result.reason = out.reason;
  if (out.kernelId) result.kernel = out.kernelId === 2 ? "C-2" : "C-3";
  if (out.technology) result.technology = out.technology;
  if (out.oda !== "none") {
    result.oda = out.oda;
    result.odaResult = out.odaResult;
  }
  const tap = tapTime(out, atCardRead, enterMs);
  if (tap) result.tap = tap;
  return result;
}

/** The P2PE part of the report: the envelope's KSN and whether the host opened it (MAC verified). */
function p2peReport(issuer: IssuerHost, hsm: { openEnvelope(e: P2peEnvelope): { value: Uint8Array }[] }, envelope: P2peEnvelope | undefined): SimRunResult["p2pe"] {
  if (!envelope) return undefined;
  const decision = issuer.lastDecision;
  let decryptedByHost: boolean;
  if (decision !== undefined) decryptedByHost = decision.decryptedByHost;
  else {
    try {
      for (const item of hsm.openEnvelope(envelope)) item.value.fill(0);
      decryptedByHost = true;
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
      decryptedByHost = false;
    }
  }
  return { ksn: toHex(envelope.ksn), decryptedByHost };
}
