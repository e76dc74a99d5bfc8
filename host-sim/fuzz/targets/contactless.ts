import type { NfcController } from "../../../hal/nfc-controller";
import { fromHex, toHex } from "../../../kernel/bytes";
import { MposError } from "../../../kernel/errors";
import type { IccApplet } from "../../icc/applet";
import { contactlessProfiles } from "../../picc/profiles";
import { runContactless, type ContactlessRunResult, type ContactlessSimOutcome } from "../../picc/run-contactless";
import type { FuzzTarget } from "../fuzz-target";
import { mutateResponseTlv } from "../mutate-tlv";
import corpusFrames from "./corpus/contactless-frames.json";
import corpusResponses from "./corpus/contactless-responses.json";
import { AnswerField } from "./iso14443";
import { HangError } from "./outcome";
import { ReplacingApplet } from "./replacing-applet";

// Card responses under a whole contactless transaction: the simulator's run (host-sim/picc: a
// virtual PICC in a frame-level field, the reader's PCD and ISO-DEP, the Entry Point with PPSE and
// combination selection, kernel C-2 or C-3, ODA, the issuer host online) with one answer of the card
// replaced by the fuzz input, at two layers:
//
//   contactless-responses  the R-APDU of one command (SELECT PPSE's FCI, SELECT AID's FCI, GPO,
//                          READ RECORD, GENERATE AC, ...): byte 0 chooses the setting (bits 7-5,
//                          SETTINGS below) and the command (bits 4-0, from 1: the first command of
//                          the tap), the rest is the response (data || SW1 SW2). Mutated at the
//                          byte level and, through mutateResponseTlv, at the BER-TLV level.
//   contactless-frames     one frame the PICC sends (ATQA, UID, SAK, ATS, I-, R-, S-blocks): byte 0
//                          the setting (bits 7-5), byte 1 the frame (from 1), the rest the answer
//                          coded as in iso14443.ts (timeout, transmission error, collision, frame).
//
// Defined outcomes (EMV Book A, 6.2.1, the Outcomes an Entry Point and its kernels end in, as the
// reader reports them): approved, declined, online approved or declined (an Online Request
// completed), try another interface, end application, present the card again (Try Again), a
// collision, no card - or a typed error. An untyped exception, another outcome, more than
// MAX_COMMANDS commands or MAX_FRAMES frames, or a tap longer than MAX_MODELED_MS is a finding.
// Seeds are every answer of a real transaction in each setting, recorded by the functions below;
// test/stress checks the corpora still match the recording.

/** Card and amount: each card once within its offline limit and once above the CVM limit (online, a CVM). */
export const SETTINGS: readonly { card: string; amount: string }[] = contactlessProfiles.flatMap((p) => [
  { card: p.id, amount: "12.34" },
  { card: p.id, amount: "120.00" },
]);

const DEFINED: readonly ContactlessSimOutcome[] = [
  "approved", "declined", "online-approved", "online-declined", "try-another-interface", "end-application",
  "present-card-again", "collision", "no-card",
];

/**
 * A tap of modeled time past which the run counts as a hang: Book A's restarts (Try Again, the
 * field reset after a removal) are bounded, so even a card that keeps failing ends well within it.
 */
export const MAX_MODELED_MS = 120_000;

interface Wraps {
  wrapApplet?: (applet: IccApplet) => IccApplet;
  wrapController?: (controller: NfcController) => NfcController;
}

/** One transaction in setting `s` (`s` taken modulo the settings) through the given seams, its outcome checked. */
export async function runSetting(s: number, wraps: Wraps): Promise<ContactlessRunResult> {
  const setting = SETTINGS[s % SETTINGS.length];
  const result = await runContactless({ cards: [setting.card], amount: setting.amount, seed: 7, ...wraps });
  if (!DEFINED.includes(result.outcome)) throw new Error(`contactless: the transaction ended in "${String(result.outcome)}", not a Book A outcome`);
  if (result.modeledMs > MAX_MODELED_MS) throw new HangError(`contactless: the tap ran ${result.modeledMs} modeled ms`);
  return result;
}

/** The R-APDUs of one transaction in every setting, as seeds: `[selector, response...]`. */
export async function recordContactlessResponseSeeds(): Promise<string[]> {
  const out: string[] = [];
  for (let s = 0; s < SETTINGS.length; s++) {
    let applet: ReplacingApplet | null = null;
    await runSetting(s, { wrapApplet: (a) => (applet = new ReplacingApplet(a, 0, null)) });
    const responses = applet ? (applet as ReplacingApplet).responses : [];
    responses.forEach((r, i) => {
      if (i + 1 < 32) out.push(toHex(Uint8Array.of((s << 5) | (i + 1), ...r)));
    });
  }
  return out;
}

/** The PICC's frames of one transaction in every setting, as seeds: `[setting << 5, frame number, answer...]`. */
export async function recordContactlessFrameSeeds(): Promise<string[]> {
  const out: string[] = [];
  for (let s = 0; s < SETTINGS.length; s++) {
    let field: AnswerField | null = null;
    await runSetting(s, { wrapController: (c) => (field = new AnswerField(c)) });
    const answers = field ? (field as AnswerField).answers : [];
    answers.forEach((a, i) => {
      if (i + 1 < 256) out.push(toHex(Uint8Array.of(s << 5, i + 1, ...a)));
    });
  }
  return out;
}

const seedsOf = (corpus: unknown) => (): Uint8Array[] => (corpus as { seeds: string[] }).seeds.map(fromHex);

export const contactlessResponsesTarget: FuzzTarget = {
  name: "contactless-responses",
  seeds: seedsOf(corpusResponses),
  maxLength: 600,
  async run(input) {
    if (input.length === 0) return;
    await runSetting(input[0] >> 5, { wrapApplet: (a) => new ReplacingApplet(a, input[0] & 0x1f, input.subarray(1)) });
  },
  isDefinedError: (e) => e instanceof MposError,
  mutate: (seed, rng) => mutateResponseTlv(seed, rng, 1),
};

export const contactlessFramesTarget: FuzzTarget = {
  name: "contactless-frames",
  seeds: seedsOf(corpusFrames),
  maxLength: 600,
  async run(input) {
    if (input.length < 2) return;
    await runSetting(input[0] >> 5, { wrapController: (c) => new AnswerField(c, input[1], input.subarray(2)) });
  },
  isDefinedError: (e) => e instanceof MposError,
};
