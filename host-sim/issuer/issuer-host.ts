// The simulator's issuer host with its HSM: it answers the reader's authorization requests (the
// kernel's OnlineAuthorizer, kernel/emv/online.ts) as a card issuer would.
//   1. opens the P2PE envelope with the DUKPT BDK (MAC first), finds the card's account;
//   2. verifies the ARQC: ICC master key from the issuer master key (Book 2, A1.4 option A),
//      session key from the ATC (A1.3), cryptogram over the CCD Table CCD 3 data (A1.2, 8.1);
//   3. decrypts the online PIN block under the DUKPT PIN key and checks it against the PVV;
//   4. decides: ARC "00" approve, "51" at 1000.00 or more, "55" wrong PIN, "75" PIN tries exceeded,
//      "54" expired card, "05" cryptogram or data failure, "14" unknown card (ISO 8583 field 39);
//   5. answers the ARPC (Book 2, 8.2, method 1 or 2 as the card expects) and, when asked for, issuer
//      scripts with secure messaging (Book 2, section 9).

import { concat, constantTimeEqual, fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto, type CryptoProvider } from "../../kernel/crypto";
import {
  applicationCryptogram, arpcMethod1, arpcMethod2, CCD_AC_DATA, cryptogramInput, deriveAcSessionKey, deriveIccMasterKey,
  encodeCardStatusUpdate, issuerAuthenticationDataMethod1, issuerAuthenticationDataMethod2,
} from "../../kernel/emv/crypto";
import type { AuthorizationRequest, AuthorizationResult, OnlineAuthorizer, OnlinePinBlock } from "../../kernel/emv/online";
import { decodePinBlockDigits, dukptAesHostKey, dukptTdesHostKey, maskPan, openEnvelope, type SensitiveItem } from "../../kernel/security";
import { panFromBcd, panFromTrack2Equivalent } from "../../kernel/security/p2pe";
import { decodeTlv, type Tlv } from "../../kernel/tlv";
import type { CardProfile } from "../cards";
import { issueAccounts, ONLINE_PIN_TRY_LIMIT, PVKI, type CardAccount } from "./card-accounts";
import { buildIssuerScript, type IssuerScriptRequest } from "./issuer-scripts";
import { simAesBdk, simTdesBdk } from "./keys";
import { visaPvv } from "./pvv";

/** Amounts at or above this (minor units: 1000.00) are declined with ARC "51" (issue 6, item 4). */
export const DECLINE_THRESHOLD_MINOR = 100000;

export type DecisionReason =
  | "approved"
  | "amount-over-limit"
  | "pin-incorrect"
  | "pin-tries-exceeded"
  | "card-expired"
  | "cryptogram-invalid"
  | "request-invalid"
  | "envelope-invalid"
  | "unknown-card";

export interface AuthorizationDecision {
  arc: string;
  approved: boolean;
  reason: DecisionReason;
  maskedPan?: string;
  /** The P2PE envelope was opened by the host (its MAC verified). */
  decryptedByHost: boolean;
  /** "chip": an ARQC came with the request; "magstripe": track data only. */
  entry?: "chip" | "magstripe";
  arqcVerified?: boolean;
  pinVerified?: boolean;
  issuerAuthenticationData?: Uint8Array;
  issuerScripts?: Uint8Array;
  amountMinor?: number;
}

export interface IssuerHostOptions {
  crypto?: CryptoProvider;
  /** AES DUKPT BDK (default: the X9.24-3 test BDK). */
  aesBdk?: Uint8Array;
  /** TDES DUKPT BDK (default: the X9.24-1 test BDK). */
  tdesBdk?: Uint8Array;
  declineThresholdMinor?: number;
  /**
   * The cards this issuer has issued, one account each (default: every card of host-sim/cards).
   * A payment token (a phone wallet's) is an account of its issuer like a card.
   */
  profiles?: readonly CardProfile[];
}

const ARC = {
  approved: "00",
  doNotHonour: "05",
  invalidCard: "14",
  insufficientFunds: "51",
  expiredCard: "54",
  incorrectPin: "55",
  pinTriesExceeded: "75",
} as const;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

function bcdNumber(bytes: Uint8Array | undefined): number | undefined {
  if (!bytes) return undefined;
  let v = 0;
  for (const b of bytes) {
    if (b >> 4 > 9 || (b & 0x0f) > 9) return undefined;
    v = v * 100 + (b >> 4) * 10 + (b & 0x0f);
  }
  return v;
}

/** PAN and expiry (YYMM) from the envelope: tag 5A / 5F24, else tag 57, else the raw track 2. */
function cardIdentity(items: SensitiveItem[]): { pan?: string; expiry?: string } {
  const get = (tag: string) => items.find((i) => i.tag === tag)?.value;
  const fiveA = get("5A");
  const t2e = get("57");
  const track2 = get("DF8F02");
  let pan: string | undefined;
  let expiry: string | undefined;
  if (fiveA) pan = panFromBcd(fiveA);
  const exp = get("5F24");
  if (exp && exp.length === 3) expiry = toHex(exp).slice(0, 4);
  if (t2e) {
    const hex = toHex(t2e);
    const d = hex.indexOf("D");
    if (!pan) pan = panFromTrack2Equivalent(t2e);
    if (!expiry && d > 0) expiry = hex.slice(d + 1, d + 5);
  }
  if (track2 && !pan) {
    const text = String.fromCharCode(...track2);
    const m = /^;?([0-9]{12,19})=([0-9]{4})/.exec(text);
    if (m) {
      pan = m[1];
      expiry = m[2];
    }
  }
  return { pan, expiry };
}

export class IssuerHost implements OnlineAuthorizer {
  private readonly c: CryptoProvider;
  private readonly aesBdk: Uint8Array;
  private readonly tdesBdk: Uint8Array;
  private readonly threshold: number;
  private readonly accounts: Map<string, CardAccount>;
  private readonly scripts = new Map<string, IssuerScriptRequest[]>();
  private scriptCounter = 0;
  /** Every decision, newest last (masked PANs only). */
  readonly decisions: AuthorizationDecision[] = [];

  constructor(options: IssuerHostOptions = {}) {
    this.c = options.crypto ?? softwareCrypto;
    this.aesBdk = (options.aesBdk ?? simAesBdk()).slice();
    this.tdesBdk = (options.tdesBdk ?? simTdesBdk()).slice();
    this.threshold = options.declineThresholdMinor ?? DECLINE_THRESHOLD_MINOR;
    this.accounts = issueAccounts(this.c, options.profiles);
  }

  /** Asks the host to send these issuer script commands with the next online response for `pan`. */
  queueScript(pan: string, request: IssuerScriptRequest): void {
    const list = this.scripts.get(pan) ?? [];
    list.push(request);
    this.scripts.set(pan, list);
  }

  /** The kernel's port (Book 3, 10.9): the ARC, the Issuer Authentication Data and any scripts. */
  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    const d = this.decide(request);
    const result: AuthorizationResult = { kind: "response", arc: d.arc };
    if (d.issuerAuthenticationData) result.issuerAuthenticationData = d.issuerAuthenticationData;
    if (d.issuerScripts) result.issuerScripts = d.issuerScripts;
    return result;
  }

  /** The whole decision, for logs and the simulator's report. */
  decide(request: AuthorizationRequest): AuthorizationDecision {
    const d = this.evaluate(request);
    this.decisions.push(d);
    return d;
  }

  get lastDecision(): AuthorizationDecision | undefined {
    return this.decisions[this.decisions.length - 1];
  }

  private evaluate(request: AuthorizationRequest): AuthorizationDecision {
    let items: SensitiveItem[];
    try {
      const bdk = request.envelope.scheme === "aes-dukpt" ? this.aesBdk : this.tdesBdk;
      items = openEnvelope(this.c, bdk, request.envelope);
    } catch {
      return { arc: ARC.doNotHonour, approved: false, reason: "envelope-invalid", decryptedByHost: false };
    }
    try {
      return this.evaluateOpened(request, items);
    } finally {
      for (const i of items) i.value.fill(0);
    }
  }

  private evaluateOpened(request: AuthorizationRequest, items: SensitiveItem[]): AuthorizationDecision {
    const base = { decryptedByHost: true };
    let identity: { pan?: string; expiry?: string };
    try {
      identity = cardIdentity(items);
    } catch {
      return { ...base, arc: ARC.doNotHonour, approved: false, reason: "request-invalid" };
    }
    const account = identity.pan ? this.accounts.get(identity.pan) : undefined;
    if (!identity.pan || !account) {
      return { ...base, arc: ARC.invalidCard, approved: false, reason: "unknown-card" };
    }
    const maskedPan = maskPan(account.pan);
    let icc: Tlv[];
    try {
      icc = request.iccData.length > 0 ? decodeTlv(request.iccData) : [];
    } catch {
      return { ...base, maskedPan, arc: ARC.doNotHonour, approved: false, reason: "request-invalid" };
    }
    const tag = (t: string): Uint8Array | undefined => icc.find((x) => x.tag === t)?.value;
    const amountMinor = bcdNumber(tag("9F02"));
    const arqc = tag("9F26");
    const entry: "chip" | "magstripe" = arqc ? "chip" : "magstripe";
    const decision: AuthorizationDecision = { ...base, maskedPan, entry, arc: ARC.approved, approved: true, reason: "approved" };
    if (amountMinor === undefined) return this.decline(decision, ARC.doNotHonour, "request-invalid");
    decision.amountMinor = amountMinor;

    // The cryptogram comes first: without a genuine ARQC nothing else from the chip is trusted.
    let sessionKey: Uint8Array | undefined;
    if (arqc) {
      sessionKey = this.verifyArqc(account, tag);
      decision.arqcVerified = sessionKey !== undefined;
    }
    try {
      this.judge(decision, account, request, identity.expiry, tag, arqc !== undefined);
      if (arqc && sessionKey) {
        decision.issuerAuthenticationData = this.arpc(account, sessionKey, arqc, decision);
        decision.issuerScripts = this.scriptsFor(account, arqc, tag("9F36"));
      }
      return decision;
    } finally {
      if (sessionKey) sessionKey.fill(0);
    }
  }

  /** The checks in order; the first that fails sets the ARC. */
  private judge(
    d: AuthorizationDecision,
    account: CardAccount,
    request: AuthorizationRequest,
    expiry: string | undefined,
    tag: (t: string) => Uint8Array | undefined,
    chip: boolean,
  ): void {
    if (chip && !d.arqcVerified) {
      this.decline(d, ARC.doNotHonour, "cryptogram-invalid");
      return;
    }
    if (request.pin && !this.checkPin(account, request.pin, d)) return;
    if (expiry && this.expired(expiry, tag("9A"))) {
      this.decline(d, ARC.expiredCard, "card-expired");
      return;
    }
    if ((d.amountMinor ?? 0) >= this.threshold) this.decline(d, ARC.insufficientFunds, "amount-over-limit");
  }

  private decline(d: AuthorizationDecision, arc: string, reason: DecisionReason): AuthorizationDecision {
    d.arc = arc;
    d.approved = false;
    d.reason = reason;
    return d;
  }

  /** Book 2, A1.4 / A1.3 / 8.1: the session key when the ARQC verifies, else undefined. */
  private verifyArqc(account: CardAccount, tag: (t: string) => Uint8Array | undefined): Uint8Array | undefined {
    const c = this.c;
    const atc = tag("9F36");
    const cid = tag("9F27");
    const arqc = tag("9F26");
    if (!atc || atc.length !== 2 || !arqc || arqc.length !== 8 || !cid || (cid[0] & 0xc0) !== 0x80) return undefined;
    const psnTag = tag("5F34");
    const psn = psnTag && psnTag.length === 1 ? toHex(psnTag) : account.panSequenceNumber;
    const mk = deriveIccMasterKey(c, account.keys.imkAc, account.pan, psn, "A");
    const sk = deriveAcSessionKey(c, mk, atc);
    mk.fill(0);
    let expected: Uint8Array;
    try {
      // Amount, Other is optional in the request: the card had zeros when the terminal sent none.
      const input = cryptogramInput(CCD_AC_DATA, (t) => tag(t) ?? (t === "9F03" ? new Uint8Array(6) : undefined));
      expected = applicationCryptogram(c, sk, input);
    } catch {
      sk.fill(0);
      return undefined;
    }
    if (constantTimeEqual(expected, arqc)) return sk;
    sk.fill(0);
    return undefined;
  }

  /** The online PIN under the DUKPT PIN key of its KSN, checked against the account's PVV. */
  private checkPin(account: CardAccount, pin: OnlinePinBlock, d: AuthorizationDecision): boolean {
    if (account.wrongPins >= ONLINE_PIN_TRY_LIMIT) {
      this.decline(d, ARC.pinTriesExceeded, "pin-tries-exceeded");
      return false;
    }
    let digits: Uint8Array | undefined;
    try {
      if (pin.format === 4) {
        const key = dukptAesHostKey(this.c, this.aesBdk, pin.ksn, "pin", "aes128");
        try {
          digits = decodePinBlockDigits(4, pin.block, { pan: account.pan, key }, this.c);
        } finally {
          key.fill(0);
        }
      } else {
        const key = dukptTdesHostKey(this.c, this.tdesBdk, pin.ksn, "pin");
        const clear = this.c.tdesEcbDecrypt(key, pin.block);
        key.fill(0);
        try {
          digits = decodePinBlockDigits(0, clear, { pan: account.pan }, this.c);
        } finally {
          clear.fill(0);
        }
      }
    } catch {
      digits = undefined;
    }
    const ok = digits !== undefined && constantTimeEqual(ascii(visaPvv(this.c, account.keys.pvk, account.pan, PVKI, digits)), ascii(account.pvv));
    if (digits) digits.fill(0);
    d.pinVerified = ok;
    if (ok) {
      account.wrongPins = 0;
      return true;
    }
    account.wrongPins++;
    this.decline(d, account.wrongPins >= ONLINE_PIN_TRY_LIMIT ? ARC.pinTriesExceeded : ARC.incorrectPin,
      account.wrongPins >= ONLINE_PIN_TRY_LIMIT ? "pin-tries-exceeded" : "pin-incorrect");
    return false;
  }

  /** True when the card's expiry month (YYMM) is before the transaction date's (9A, YYMMDD). */
  private expired(yymm: string, date: Uint8Array | undefined): boolean {
    const today = date && date.length === 3 ? toHex(date).slice(0, 4) : undefined;
    if (!today || !/^[0-9]{4}$/.test(yymm)) return false;
    return yymm < today;
  }

  /** Book 2, 8.2: tag 91 for the card's ARPC method. */
  private arpc(account: CardAccount, sk: Uint8Array, arqc: Uint8Array, d: AuthorizationDecision): Uint8Array {
    if (account.arpcMethod === 1) {
      const arc = ascii(d.arc);
      return issuerAuthenticationDataMethod1(arpcMethod1(this.c, sk, arqc, arc), arc);
    }
    const csu = encodeCardStatusUpdate({ approveOnline: d.approved });
    return issuerAuthenticationDataMethod2(arpcMethod2(this.c, sk, arqc, csu), csu);
  }

  private scriptsFor(account: CardAccount, arqc: Uint8Array, atc: Uint8Array | undefined): Uint8Array | undefined {
    const queued = this.scripts.get(account.pan);
    if (!queued || queued.length === 0 || !atc) return undefined;
    this.scripts.delete(account.pan);
    const parts: Uint8Array[] = [];
    for (const template of ["71", "72"] as const) {
      const requests = queued.filter((r) => (r.template ?? "72") === template);
      if (requests.length === 0) continue;
      const id = fromHex((++this.scriptCounter).toString(16).padStart(8, "0"));
      parts.push(buildIssuerScript(this.c, account, arqc, atc, requests, template, id));
    }
    return concat(...parts);
  }
}
