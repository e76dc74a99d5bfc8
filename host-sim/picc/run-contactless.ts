import type { NfcController } from "../../hal/nfc-controller";
import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { InputError } from "../../kernel/errors";
import { performContactlessTransaction, type ContactlessOutcome } from "../../kernel/contactless/transaction";
import { loadContactlessConfig } from "../../kernel/contactless/config";
import { CL_MESSAGES, type UiRequest } from "../../kernel/contactless/ui";
import { TRANSACTION_TYPE, type TransactionParams } from "../../kernel/emv/context";
import type { OnlineAuthorizer } from "../../kernel/emv/online";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment } from "../../kernel/emv/oda-environment";
import { IsoDepSession, type IsoDepCounters } from "../../kernel/iso14443/iso-dep";
import { createPcd, type Pcd } from "../../kernel/iso14443/pcd";
import { contactlessCvmPerformed } from "../../kernel/transaction/card-reading";
import type { IccApplet } from "../icc/applet";
import { cardProfiles, findCardProfile, SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { IssuerHost } from "../issuer";
import { parseAmount } from "../sim/currency";
import { provisionReaderKeys } from "../sim/reader-keys";
import { cardholderPins, terminalConfigJsonFor, transactionDateTime } from "../sim/run-settings";
import { ScriptedCardholder } from "../sim/scripted-cardholder";
import { SeededRandom } from "../sim/seeded-random";
import type { SimRunResult } from "../sim";
import { p2peReportOf } from "../sim/sim-transaction";
import contactlessConfigJson from "./contactless-config.json";
import { createPicc } from "./contactless-cards";
import { ModeledClock } from "./modeled-clock";
import { findContactlessProfile, walletCardProfiles } from "./profiles";
import { meteredCrypto, meteredTransport, type ComputeCounters } from "./reader-compute";
import { VirtualField, type AirTimeStats, type PlacedPicc } from "./virtual-field";

// `mpos sim run --interface contactless`: the cards (or phones) held to a virtual frame-level NFC
// controller, the reader's ISO/IEC 14443 PCD, Entry Point and kernels on top, the issuer host as
// the online authorizer (or the one the caller gives: a phone payment relays the request through
// the phone) and the reader's key store for P2PE and online PIN - the contact run's
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
  /**
   * Where the kernel's online request goes (EMV Book 3, 10.9; Book A): by default the issuer host
   * with the wallets' token accounts (issuerWithWallets). The report's P2PE part reads the
   * decision of an IssuerHost given here; any other authorizer's envelope is opened by the HSM.
   */
  authorizer?: OnlineAuthorizer;
  /** Each message the reader shows, as it shows it (the report's `prompts`, in order). */
  onPrompt?: (text: string) => void;
  /** Fuzzing (host-sim/fuzz): wraps the first card's applet, and the NFC controller the PCD drives. */
  wrapApplet?: (applet: IccApplet) => IccApplet;
  wrapController?: (controller: NfcController) => NfcController;
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

/** The issuer host of every card and of the phone wallets' tokens (a token is keyed by its issuer like a card). */
export function issuerWithWallets(): IssuerHost {
  return new IssuerHost({ crypto: softwareCrypto, profiles: [...cardProfiles, ...walletCardProfiles()] });
}

/** What happens to the first card held to the reader (the others stay in the field). */
export interface FirstCardBehaviour {
  slowdown?: number;
  removeDuringApdu?: number;
  returnAfterMs?: number;
  wrapApplet?: (applet: IccApplet) => IccApplet;
}

/**
 * The cards of a run, held to the field in order: each profile must exist; one without a
 * contactless interface is held there in vain. `seedHex`: the run's seed, 8 hex digits.
 */
export function placeCards(ids: string[], seedHex: string, first: FirstCardBehaviour = {}): PlacedPicc[] {
  const placed: PlacedPicc[] = [];
  ids.forEach((id, i) => {
    if (!findCardProfile(id) && !findContactlessProfile(id)) {
      throw new InputError("unknown-card", `no card profile "${id}" (mpos sim cards; phones: visa-wallet, mc-wallet)`);
    }
    const picc = createPicc(id, {
      random: new SeededRandom(softwareCrypto, fromHex(`${seedHex}C${i}`)),
      slowdown: i === 0 ? first.slowdown : undefined,
      wrapApplet: i === 0 ? first.wrapApplet : undefined,
    });
    if (!picc) return;
    const p: PlacedPicc = { picc };
    if (i === 0 && first.removeDuringApdu !== undefined) p.leave = { duringApdu: first.removeDuringApdu };
    if (i === 0 && first.returnAfterMs !== undefined) p.returnAfterMs = first.returnAfterMs;
    placed.push(p);
  });
  return placed;
}

/** Records the text of a contactless UI request (Book A, 9.2) unless it is empty or repeats the last one; true when recorded. */
export function recordUiPrompt(prompts: string[], r: UiRequest): boolean {
  const text = CL_MESSAGES[r.message].text;
  if (!text || prompts[prompts.length - 1] === text) return false;
  prompts.push(text);
  return true;
}

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
  const terminal = terminalConfigJsonFor(options.currency);
  const config = loadContactlessConfig({ ...JSON.parse(JSON.stringify(contactlessConfigJson)), terminal });
  const amount = parseAmount(options.amount, config.terminal.currencyExponent);
  const pins = cardholderPins(options.pins);
  const { date, time } = transactionDateTime(options);
  const seed = (options.seed ?? 1).toString(16).padStart(8, "0");
  const random = new SeededRandom(c, fromHex(`${seed}00`));

  // The cards: each profile must exist; one without a contactless interface is held there in vain.
  const clock = new ModeledClock();
  const placed = placeCards(options.cards, seed, {
    slowdown: options.slowdown, removeDuringApdu: options.removeDuringApdu, returnAfterMs: options.returnAfterMs, wrapApplet: options.wrapApplet,
  });
  const field = new VirtualField({ clock, cards: placed });
  const counters: ComputeCounters = { us: 0, apdus: 0, rsa: 0 };
  const crypto = meteredCrypto(c, clock, counters);
  const inner = createPcd({ controller: options.wrapController ? options.wrapController(field) : field, clock, highBitRates: options.highBitRates });
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
  const authorizer = options.authorizer ?? issuerWithWallets();
  // The decisions this run's request adds (an issuer host given by the caller may have older ones).
  const issuer = authorizer instanceof IssuerHost ? authorizer : undefined;
  const decisionsBefore = issuer ? issuer.decisions.length : 0;
  const cardholder = new ScriptedCardholder(pins);
  const prompts: string[] = [];
  let atCardRead: CardReadSnapshot | undefined;
  const uiSink = {
    request(r: UiRequest) {
      if (recordUiPrompt(prompts, r) && options.onPrompt) options.onPrompt(prompts[prompts.length - 1]);
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
    crypto, random, clock, ui: uiSink, cardholder, authorizer, protector: keys.store, pinEncryptor: keys.store,
    oda: createOdaEnvironment(crypto, CapkStore.fromJson(c, SIM_CAPK_FILE), CertificateRevocationList.fromJson(SIM_CRL_FILE)),
  };
  const out = await performContactlessTransaction({ config, params, deps, pcd });
  const first = placed[0];
  const enterMs = first ? first.enterMs ?? 0 : 0;
  const result: ContactlessRunResult = {
    outcome: out.kind === "no-card" ? "no-card" : out.kind,
    cvm: contactlessCvmPerformed(out.cvm),
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
  const decision = issuer && issuer.decisions.length > decisionsBefore ? issuer.lastDecision : undefined;
  const p2pe = p2peReportOf(out.envelope, decision, keys.hsm);
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
