import type { CharacterSet } from "../../hal/display";
import { InputError } from "../../kernel/errors";
import type { PowerCutOutcome } from "../hardware/memory-storage";
import { keyOf } from "../hardware/keypad";

// A scenario for `mpos sim run --scenario FILE.json` (issue 8, item 7): one payment of `amount`
// and what happens around it, step by step on the simulator's modeled clock:
//
//   { "amount": "12.34", "currency": "USD", "config": { ...kernel/transaction/config.ts... },
//     "steps": [ { "at": 0, "do": "insert", "card": "visa-cda" }, { "at": 1500, "do": "keys", "keys": "1234E" } ] }
//
// Steps ("at" in ms from the start, in order):
//   insert / swipe / tap  card ID (mpos sim cards; phones visa-wallet, mc-wallet); insert and tap
//                         take "language" (ISO 639-1: the card's Language Preference), insert
//                         "confirmation" (true: its application asks the cardholder to confirm it)
//   remove                the card leaves the slot or the field
//   keys                  "keys": digits, E Enter, C Clear, X Cancel
//   cancel                the phone cancels
//   power-off, power-on   the reader loses power / boots again (the phone reconnects and collects
//                         the reversals the reader holds)
//   tamper                the enclosure is opened: the keys are erased
//   wait                  nothing happens (time passes: timeouts)
//   start                 a new payment ("amount" optional: the scenario's)
//   replay                the phone sends the last online answer again (a replay)
// Optional settings: "date" YYMMDD, "time" HHMMSS, "seed", "display" { lines, columns,
// characterSets }, "issuer" { respond, latencyMs }, "powerCut" { atWrite, outcome } (the reader's
// storage loses power at its n-th write from the start of the first payment). "//" (a comment) and
// "expect" (what a regression test checks of the report) are not read by the runner.

export type StepKind = "insert" | "swipe" | "tap" | "remove" | "keys" | "cancel" | "power-off" | "power-on" | "tamper" | "wait" | "start" | "replay";
const STEP_KINDS: readonly StepKind[] = ["insert", "swipe", "tap", "remove", "keys", "cancel", "power-off", "power-on", "tamper", "wait", "start", "replay"];

export interface ScenarioStep {
  at: number;
  do: StepKind;
  card?: string;
  keys?: string;
  language?: string;
  confirmation?: boolean;
  amount?: string;
}

export interface Scenario {
  amount: string;
  currency?: string;
  config?: unknown;
  date?: string;
  time?: string;
  seed?: number;
  display?: { lines?: number; columns?: number; characterSets?: CharacterSet[] };
  issuer?: { respond?: boolean; latencyMs?: number };
  powerCut?: { atWrite: number; outcome?: PowerCutOutcome };
  steps: ScenarioStep[];
}

function fail(field: string, rule: string): never {
  throw new InputError("scenario", `scenario: ${field} ${rule}`);
}

function str(v: unknown, field: string, pattern?: RegExp): string {
  if (typeof v !== "string" || v.length === 0 || (pattern && !pattern.test(v))) fail(field, pattern ? `must match ${pattern.source}` : "must be a string");
  return v;
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) fail(field, `must be an integer from ${min} to ${max}`);
  return v;
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(field, "must be an object");
  return v as Record<string, unknown>;
}

function only(o: Record<string, unknown>, field: string, keys: readonly string[]): void {
  for (const k of Object.keys(o)) if (keys.indexOf(k) < 0) fail(`${field}.${k}`, "is not known");
}

const CARD_ID = /^[a-z0-9-]{1,40}$/;
const AMOUNT = /^[0-9]{1,12}(\.[0-9]{1,3})?$/;
const CHARACTER_SETS: readonly CharacterSet[] = ["ascii", "latin-1", "gb2312"];

function parseStep(v: unknown, i: number, previousAt: number): ScenarioStep {
  const field = `steps[${i}]`;
  const s = obj(v, field);
  only(s, field, ["at", "do", "card", "keys", "language", "confirmation", "amount"]);
  const at = int(s.at, `${field}.at`, 0, 24 * 3600 * 1000);
  if (at < previousAt) fail(`${field}.at`, "must not be before the step above it");
  const kind = s.do as StepKind;
  if (STEP_KINDS.indexOf(kind) < 0) fail(`${field}.do`, `must be one of ${STEP_KINDS.join(", ")}`);
  const step: ScenarioStep = { at, do: kind };
  if (kind === "insert" || kind === "swipe" || kind === "tap") step.card = str(s.card, `${field}.card`, CARD_ID);
  else if (s.card !== undefined) fail(`${field}.card`, `is not used by ${kind}`);
  if (kind === "keys") {
    step.keys = str(s.keys, `${field}.keys`, /^[0-9ECX]{1,64}$/);
    for (const ch of step.keys) keyOf(ch);
  } else if (s.keys !== undefined) fail(`${field}.keys`, `is not used by ${kind}`);
  if (s.language !== undefined) {
    if (kind !== "insert" && kind !== "tap") fail(`${field}.language`, "is used by insert and tap only");
    step.language = str(s.language, `${field}.language`, /^[a-z]{2}$/);
  }
  if (s.confirmation !== undefined) {
    if (kind !== "insert" || typeof s.confirmation !== "boolean") fail(`${field}.confirmation`, "is true or false, for insert only");
    step.confirmation = s.confirmation;
  }
  if (s.amount !== undefined) {
    if (kind !== "start") fail(`${field}.amount`, "is used by start only");
    step.amount = str(s.amount, `${field}.amount`, AMOUNT);
  }
  return step;
}

/** Checks a scenario in its JSON form. */
export function parseScenario(json: unknown): Scenario {
  const j = obj(json, "(root)");
  only(j, "(root)", ["amount", "currency", "config", "date", "time", "seed", "display", "issuer", "powerCut", "steps", "//", "expect"]);
  const s: Scenario = { amount: str(j.amount, "amount", AMOUNT), steps: [] };
  if (j.currency !== undefined) s.currency = str(j.currency, "currency", /^[A-Za-z]{3}$/);
  if (j.config !== undefined) s.config = obj(j.config, "config");
  if (j.date !== undefined) s.date = str(j.date, "date", /^[0-9]{6}$/);
  if (j.time !== undefined) s.time = str(j.time, "time", /^[0-9]{6}$/);
  if (j.seed !== undefined) s.seed = int(j.seed, "seed", 0, 0xffffffff);
  if (j.display !== undefined) {
    const d = obj(j.display, "display");
    only(d, "display", ["lines", "columns", "characterSets"]);
    s.display = {};
    if (d.lines !== undefined) s.display.lines = int(d.lines, "display.lines", 1, 16);
    if (d.columns !== undefined) s.display.columns = int(d.columns, "display.columns", 8, 64);
    if (d.characterSets !== undefined) {
      if (!Array.isArray(d.characterSets) || d.characterSets.some((c) => CHARACTER_SETS.indexOf(c) < 0)) fail("display.characterSets", "must list ascii, latin-1, gb2312");
      s.display.characterSets = d.characterSets as CharacterSet[];
    }
  }
  if (j.issuer !== undefined) {
    const o = obj(j.issuer, "issuer");
    only(o, "issuer", ["respond", "latencyMs"]);
    s.issuer = {};
    if (o.respond !== undefined) {
      if (typeof o.respond !== "boolean") fail("issuer.respond", "must be true or false");
      s.issuer.respond = o.respond;
    }
    if (o.latencyMs !== undefined) s.issuer.latencyMs = int(o.latencyMs, "issuer.latencyMs", 0, 600000);
  }
  if (j.powerCut !== undefined) {
    const o = obj(j.powerCut, "powerCut");
    only(o, "powerCut", ["atWrite", "outcome"]);
    s.powerCut = { atWrite: int(o.atWrite, "powerCut.atWrite", 1, 100000) };
    if (o.outcome !== undefined) {
      if (o.outcome !== "lost" && o.outcome !== "applied" && o.outcome !== "torn") fail("powerCut.outcome", "must be lost, applied or torn");
      s.powerCut.outcome = o.outcome;
    }
  }
  if (!Array.isArray(j.steps)) fail("steps", "must be a list");
  if (j.steps.length > 500) fail("steps", "must have at most 500 steps");
  let at = 0;
  j.steps.forEach((v, i) => {
    const step = parseStep(v, i, at);
    at = step.at;
    s.steps.push(step);
  });
  return s;
}
