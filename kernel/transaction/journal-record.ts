import { concat, readUint, writeUint } from "../bytes";
import { MposError } from "../errors";
import type { P2peEnvelope } from "../security/p2pe";
import { decodeTlv, encodeTlv, type Tlv } from "../tlv";
import type { CardInterface } from "./config";
import { TransactionError } from "./errors";

// The transaction log's two records, as BER-TLV with private-class tags (ISO/IEC 8825-1, 8.1.2.2;
// EMV Book 3, Annex B): the state record (the last transaction id handed out, the transaction in
// progress with how far it got, and the outcomes the phone has not acknowledged) and the reversal
// queue. Stored bytes are untrusted like any input: decoding checks every field and ends in
// TransactionError("journal-corrupt"). The records hold no clear card data: the masked PAN, the
// P2PE envelope (encrypted) and the non-sensitive EMV data of the authorization request (ICC data
// of ISO 8583 field 55, never 5A, 57, 5F20...).
//
// Versions: each record carries its format's version (DF0F). Version 1 (no DF0F) had no held
// outcomes and kept only the outcome's kind (DF0B) in the transaction in progress; version 2 keeps
// the outcome's summary (template E6) and the held outcomes (E7). A version-1 record decodes as
// version 2 without them; a record of a later version is refused with "journal-version" (a
// firmware downgrade must not guess at fields it does not know).

/** How far a transaction got; each phase is stored before the step it allows. */
export type JournalPhase =
  /** An id was handed out; no card data left the reader. */
  | "begun"
  /** The authorization request is about to leave (it may have left). */
  | "online"
  /** The issuer's answer arrived and was accepted. */
  | "answered"
  /** The outcome is final and about to be reported. */
  | "completed";
export const JOURNAL_PHASES: readonly JournalPhase[] = ["begun", "online", "answered", "completed"];

/** Why a reversal is owed (kernel/protocol/message-types.ts, ReversalReason). */
export type ReversalReason = "noResponse" | "declinedByCardAfterApproval" | "cancelledAfterAuthorisation" | "powerLoss";
export const REVERSAL_REASONS: readonly ReversalReason[] = ["noResponse", "declinedByCardAfterApproval", "cancelledAfterAuthorisation", "powerLoss"];

export type PaymentOutcomeKind =
  | "approved"
  | "declined"
  | "online-approved"
  | "online-declined"
  | "cancelled"
  | "timeout"
  | "card-removed"
  | "end-application";
export const PAYMENT_OUTCOMES: readonly PaymentOutcomeKind[] = [
  "approved", "declined", "online-approved", "online-declined", "cancelled", "timeout", "card-removed", "end-application",
];

/** What a reversal needs of the authorization request it reverses. */
export interface AuthorisationSummary {
  maskedPan?: string;
  envelope?: P2peEnvelope;
  /** The non-sensitive EMV data objects of the request, BER-TLV. */
  emvData: Uint8Array;
}

/** The final outcome as the phone is told it (masked data only: no envelope, no EMV data). */
export interface OutcomeSummary {
  outcome: PaymentOutcomeKind;
  cardInterface?: CardInterface;
  /** First six and last four digits (PCI DSS 3.4). */
  maskedPan?: string;
  /** The Authorisation Response Code of the outcome (8A), two characters. */
  arc?: string;
  /** Why the payment ended: the reason's code only (e.g. "not-accepted"), never its text. */
  reason?: string;
  /** The reversal queued with the outcome (the issuer approved, the payment does not stand). */
  reversal?: ReversalReason;
}

export interface JournalEntry {
  id: number;
  phase: JournalPhase;
  /** Amount, Authorised, minor units. */
  amount: number;
  /** ISO 4217 numeric currency code. */
  currency: number;
  /** The id the phone knows the payment by (its START-TRANSACTION's), when a phone started it. */
  reference?: number;
  cardInterface?: CardInterface;
  authorisation?: AuthorisationSummary;
  answer?: { arc: string; approved: boolean };
  /** Stored with phase "completed". */
  summary?: OutcomeSummary;
}

/** A final outcome kept until the phone acknowledges it (journal.ts, "held outcomes"). */
export interface HeldOutcome extends OutcomeSummary {
  id: number;
  reference?: number;
  amount: number;
  currency: number;
  /** Seconds since 1970 when the outcome was held, when the real-time clock was set. */
  timestamp?: number;
}

export interface JournalState {
  /** The last transaction id handed out (ids are never reused). */
  lastId: number;
  current: JournalEntry | null;
  /** Final outcomes the phone has not acknowledged, oldest first. */
  held: HeldOutcome[];
}

/** The version of the records this firmware writes; it reads this one and every earlier one. */
export const JOURNAL_RECORD_VERSION = 2;

export interface ReversalEntry {
  id: number;
  reason: ReversalReason;
  amount: number;
  currency: number;
  maskedPan?: string;
  envelope?: P2peEnvelope;
  emvData: Uint8Array;
  /** Seconds since 1970 when the reversal was logged, when the real-time clock was set. */
  timestamp?: number;
}

const INTERFACES: readonly CardInterface[] = ["contact", "contactless", "magstripe"];
const SCHEMES: readonly P2peEnvelope["scheme"][] = ["aes-dukpt", "tdes-dukpt"];

const T = {
  state: "E1", current: "E2", envelope: "E3", reversals: "E4", reversal: "E5", summary: "E6", heldList: "E7", held: "E8",
  lastId: "DF01", id: "DF02", phase: "DF03", amount: "DF04", currency: "DF05", cardInterface: "DF06",
  maskedPan: "DF07", emvData: "DF08", arc: "DF09", approved: "DF0A", outcome: "DF0B", reason: "DF0D",
  timestamp: "DF0E", version: "DF0F", scheme: "DF10", ksn: "DF11", ciphertext: "DF12", mac: "DF13",
  reference: "DF14", reasonCode: "DF15",
} as const;

/** The longest reason code a summary keeps. */
const MAX_REASON_CODE = 32;

function corrupt(rule: string): never {
  throw new TransactionError("journal-corrupt", `transaction log: ${rule}`);
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0x7f);
const text = (b: Uint8Array): string => String.fromCharCode(...Array.from(b));

function enumByte<V>(list: readonly V[], value: V): Uint8Array {
  const i = list.indexOf(value);
  if (i < 0) throw new Error("transaction log: value outside its list");
  return Uint8Array.of(i);
}

function encodeEnvelope(e: P2peEnvelope): Uint8Array {
  return encodeTlv(T.envelope, concat(encodeTlv(T.scheme, enumByte(SCHEMES, e.scheme)), encodeTlv(T.ksn, e.ksn), encodeTlv(T.ciphertext, e.ciphertext), encodeTlv(T.mac, e.mac)));
}

function encodeAuthorisation(a: AuthorisationSummary): Uint8Array[] {
  const parts: Uint8Array[] = [];
  if (a.maskedPan !== undefined) parts.push(encodeTlv(T.maskedPan, ascii(a.maskedPan)));
  if (a.envelope) parts.push(encodeEnvelope(a.envelope));
  parts.push(encodeTlv(T.emvData, a.emvData));
  return parts;
}

const versionField = (): Uint8Array => encodeTlv(T.version, Uint8Array.of(JOURNAL_RECORD_VERSION));

function encodeSummary(o: OutcomeSummary): Uint8Array {
  const fields = [encodeTlv(T.outcome, enumByte(PAYMENT_OUTCOMES, o.outcome))];
  if (o.cardInterface) fields.push(encodeTlv(T.cardInterface, enumByte(INTERFACES, o.cardInterface)));
  if (o.maskedPan !== undefined) fields.push(encodeTlv(T.maskedPan, ascii(o.maskedPan)));
  if (o.arc !== undefined) fields.push(encodeTlv(T.arc, ascii(o.arc)));
  if (o.reason !== undefined) fields.push(encodeTlv(T.reasonCode, ascii(o.reason.slice(0, MAX_REASON_CODE).replace(/[^\x20-\x7e]/g, "?"))));
  if (o.reversal !== undefined) fields.push(encodeTlv(T.reason, enumByte(REVERSAL_REASONS, o.reversal)));
  return encodeTlv(T.summary, concat(...fields));
}

/** The fields every stored transaction begins with: id, amount, currency, and the phone's reference. */
function encodeIdentity(e: { id: number; amount: number; currency: number; reference?: number }): Uint8Array[] {
  const fields = [encodeTlv(T.id, writeUint(e.id, 4)), encodeTlv(T.amount, writeUint(e.amount, 6)), encodeTlv(T.currency, writeUint(e.currency, 2))];
  if (e.reference !== undefined) fields.push(encodeTlv(T.reference, writeUint(e.reference, 4)));
  return fields;
}

function encodeHeld(h: HeldOutcome): Uint8Array {
  const fields = encodeIdentity(h);
  if (h.timestamp !== undefined) fields.push(encodeTlv(T.timestamp, writeUint(h.timestamp, 4)));
  fields.push(encodeSummary(h));
  return encodeTlv(T.held, concat(...fields));
}

export function encodeJournalState(s: JournalState): Uint8Array {
  const parts = [versionField(), encodeTlv(T.lastId, writeUint(s.lastId, 4))];
  const c = s.current;
  if (c) {
    const fields = [...encodeIdentity(c), encodeTlv(T.phase, enumByte(JOURNAL_PHASES, c.phase))];
    if (c.cardInterface) fields.push(encodeTlv(T.cardInterface, enumByte(INTERFACES, c.cardInterface)));
    if (c.authorisation) fields.push(...encodeAuthorisation(c.authorisation));
    if (c.answer) fields.push(encodeTlv(T.arc, ascii(c.answer.arc)), encodeTlv(T.approved, Uint8Array.of(c.answer.approved ? 1 : 0)));
    if (c.summary) fields.push(encodeSummary(c.summary));
    parts.push(encodeTlv(T.current, concat(...fields)));
  }
  if (s.held.length > 0) parts.push(encodeTlv(T.heldList, concat(...s.held.map(encodeHeld))));
  return encodeTlv(T.state, concat(...parts));
}

export function encodeReversals(list: readonly ReversalEntry[]): Uint8Array {
  return encodeTlv(T.reversals, concat(versionField(), ...list.map((r) => {
    const fields = [
      encodeTlv(T.id, writeUint(r.id, 4)),
      encodeTlv(T.reason, enumByte(REVERSAL_REASONS, r.reason)),
      encodeTlv(T.amount, writeUint(r.amount, 6)),
      encodeTlv(T.currency, writeUint(r.currency, 2)),
      ...encodeAuthorisation(r),
    ];
    if (r.timestamp !== undefined) fields.push(encodeTlv(T.timestamp, writeUint(r.timestamp, 4)));
    return encodeTlv(T.reversal, concat(...fields));
  })));
}

/** The children of a template, each tag at most once, only the tags allowed. */
function fieldsOf(node: Tlv, allowed: readonly string[], what: string): Map<string, Tlv> {
  const m = new Map<string, Tlv>();
  for (const c of node.children ?? corrupt(`${what} is not a template`)) {
    if (allowed.indexOf(c.tag) < 0) corrupt(`${what} holds an unknown field ${c.tag}`);
    if (m.has(c.tag)) corrupt(`${what} holds ${c.tag} twice`);
    m.set(c.tag, c);
  }
  return m;
}

function uint(m: Map<string, Tlv>, tag: string, bytes: number, what: string): number {
  const t = m.get(tag);
  if (!t || t.length !== bytes) corrupt(`${what}: ${tag} missing or not ${bytes} bytes`);
  return readUint(t.value);
}

function enumOf<V>(m: Map<string, Tlv>, tag: string, list: readonly V[], what: string): V {
  const t = m.get(tag);
  if (!t || t.length !== 1 || t.value[0] >= list.length) corrupt(`${what}: ${tag} missing or out of range`);
  return list[t.value[0]];
}

function printable(t: Tlv, max: number, what: string): string {
  if (t.length > max || t.value.some((b) => b < 0x20 || b > 0x7e)) corrupt(`${what}: ${t.tag} is not printable text of at most ${max}`);
  return text(t.value);
}

function decodeEnvelope(node: Tlv): P2peEnvelope {
  const m = fieldsOf(node, [T.scheme, T.ksn, T.ciphertext, T.mac], "envelope");
  const get = (tag: string) => m.get(tag) ?? corrupt(`envelope: ${tag} missing`);
  return { scheme: enumOf(m, T.scheme, SCHEMES, "envelope"), ksn: get(T.ksn).value.slice(), ciphertext: get(T.ciphertext).value.slice(), mac: get(T.mac).value.slice() };
}

function decodeAuthorisation(m: Map<string, Tlv>, what: string): AuthorisationSummary | undefined {
  const emv = m.get(T.emvData);
  if (!emv) {
    if (m.has(T.maskedPan) || m.has(T.envelope)) corrupt(`${what}: authorisation without its EMV data`);
    return undefined;
  }
  const a: AuthorisationSummary = { emvData: emv.value.slice() };
  const pan = m.get(T.maskedPan);
  if (pan) a.maskedPan = printable(pan, 19, what);
  const env = m.get(T.envelope);
  if (env) a.envelope = decodeEnvelope(env);
  return a;
}

/** The record's format version (absent: 1); a later one than this firmware writes is refused. */
function checkVersion(m: Map<string, Tlv>, what: string): number {
  const t = m.get(T.version);
  if (!t) return 1;
  if (t.length !== 1 || t.value[0] === 0) corrupt(`${what}: version field malformed`);
  const v = t.value[0];
  if (v > JOURNAL_RECORD_VERSION) {
    throw new TransactionError("journal-version", `transaction log: ${what} is of version ${v}, this firmware reads up to ${JOURNAL_RECORD_VERSION}`);
  }
  return v;
}

function decodeSummary(node: Tlv, what: string): OutcomeSummary {
  const m = fieldsOf(node, [T.outcome, T.cardInterface, T.maskedPan, T.arc, T.reasonCode, T.reason], what);
  const o: OutcomeSummary = { outcome: enumOf(m, T.outcome, PAYMENT_OUTCOMES, what) };
  if (m.has(T.cardInterface)) o.cardInterface = enumOf(m, T.cardInterface, INTERFACES, what);
  const pan = m.get(T.maskedPan);
  if (pan) o.maskedPan = printable(pan, 19, what);
  const arc = m.get(T.arc);
  if (arc) {
    if (arc.length !== 2) corrupt(`${what}: ARC is not two characters`);
    o.arc = printable(arc, 2, what);
  }
  const reason = m.get(T.reasonCode);
  if (reason) o.reason = printable(reason, MAX_REASON_CODE, what);
  if (m.has(T.reason)) o.reversal = enumOf(m, T.reason, REVERSAL_REASONS, what);
  return o;
}

function decodeHeld(node: Tlv, lastId: number): HeldOutcome {
  const what = "held outcome";
  if (node.tag !== T.held) corrupt("held outcomes hold something else");
  const m = fieldsOf(node, [T.id, T.amount, T.currency, T.reference, T.timestamp, T.summary], what);
  const summary = m.get(T.summary) ?? corrupt(`${what}: summary missing`);
  const h: HeldOutcome = { id: uint(m, T.id, 4, what), amount: uint(m, T.amount, 6, what), currency: uint(m, T.currency, 2, what), ...decodeSummary(summary, what) };
  if (h.id === 0 || h.id > lastId) corrupt(`${what}: id beyond the last id handed out`);
  if (m.has(T.reference)) h.reference = uint(m, T.reference, 4, what);
  if (m.has(T.timestamp)) h.timestamp = uint(m, T.timestamp, 4, what);
  return h;
}

function decodeRoot(bytes: Uint8Array, tag: string, what: string): Tlv {
  let nodes: Tlv[];
  try {
    nodes = decodeTlv(bytes);
  } catch (e) {
    if (e instanceof MposError) corrupt(`${what} is not BER-TLV (${e.code})`);
    throw e;
  }
  if (nodes.length !== 1 || nodes[0].tag !== tag) corrupt(`${what} is not one ${tag} template`);
  return nodes[0];
}

export function decodeJournalState(bytes: Uint8Array): JournalState {
  const root = fieldsOf(decodeRoot(bytes, T.state, "state record"), [T.version, T.lastId, T.current, T.heldList], "state record");
  const version = checkVersion(root, "state record");
  const state: JournalState = { lastId: uint(root, T.lastId, 4, "state record"), current: null, held: [] };
  const heldList = root.get(T.heldList);
  if (heldList) {
    if (version < 2) corrupt("state record: held outcomes in a version-1 record");
    for (const node of heldList.children ?? corrupt("held outcomes are not a template")) state.held.push(decodeHeld(node, state.lastId));
  }
  const cur = root.get(T.current);
  if (cur) {
    const what = "current transaction";
    // Version 1 kept the outcome's kind alone (DF0B); version 2 its summary (E6).
    const last = version < 2 ? T.outcome : T.summary;
    const m = fieldsOf(cur, [T.id, T.phase, T.amount, T.currency, T.reference, T.cardInterface, T.maskedPan, T.envelope, T.emvData, T.arc, T.approved, last], what);
    const entry: JournalEntry = {
      id: uint(m, T.id, 4, what),
      phase: enumOf(m, T.phase, JOURNAL_PHASES, what),
      amount: uint(m, T.amount, 6, what),
      currency: uint(m, T.currency, 2, what),
    };
    if (entry.id === 0 || entry.id > state.lastId) corrupt(`${what}: id beyond the last id handed out`);
    if (m.has(T.reference)) entry.reference = uint(m, T.reference, 4, what);
    if (m.has(T.cardInterface)) entry.cardInterface = enumOf(m, T.cardInterface, INTERFACES, what);
    const a = decodeAuthorisation(m, what);
    if (a) entry.authorisation = a;
    const arc = m.get(T.arc);
    if (arc) {
      if (arc.length !== 2) corrupt(`${what}: ARC is not two characters`);
      entry.answer = { arc: printable(arc, 2, what), approved: enumOf(m, T.approved, [false, true], what) };
    }
    if (m.has(T.outcome)) {
      entry.summary = { outcome: enumOf(m, T.outcome, PAYMENT_OUTCOMES, what) };
      if (entry.cardInterface) entry.summary.cardInterface = entry.cardInterface;
    }
    const summary = m.get(T.summary);
    if (summary) entry.summary = decodeSummary(summary, what);
    state.current = entry;
  }
  return state;
}

export function decodeReversals(bytes: Uint8Array): ReversalEntry[] {
  const root = decodeRoot(bytes, T.reversals, "reversal queue");
  const out: ReversalEntry[] = [];
  const children = root.children ?? corrupt("reversal queue is not a template");
  const versions = children.filter((n) => n.tag === T.version);
  if (versions.length > 1) corrupt("reversal queue holds its version twice");
  checkVersion(new Map(versions.map((n) => [n.tag, n])), "reversal queue");
  for (const node of children) {
    if (node.tag === T.version) continue;
    if (node.tag !== T.reversal) corrupt("reversal queue holds something else");
    const what = "reversal";
    const m = fieldsOf(node, [T.id, T.reason, T.amount, T.currency, T.maskedPan, T.envelope, T.emvData, T.timestamp], what);
    const a = decodeAuthorisation(m, what) ?? corrupt(`${what}: EMV data missing`);
    const r: ReversalEntry = {
      id: uint(m, T.id, 4, what),
      reason: enumOf(m, T.reason, REVERSAL_REASONS, what),
      amount: uint(m, T.amount, 6, what),
      currency: uint(m, T.currency, 2, what),
      ...a,
    };
    if (m.has(T.timestamp)) r.timestamp = uint(m, T.timestamp, 4, what);
    out.push(r);
  }
  return out;
}
