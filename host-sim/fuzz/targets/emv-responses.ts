import { fromHex, toHex } from "../../../kernel/bytes";
import { softwareCrypto } from "../../../kernel/crypto";
import { MposError } from "../../../kernel/errors";
import { createCard } from "../../cards";
import type { IccApplet } from "../../icc/applet";
import { runContactTransaction } from "../../sim/contact-transaction";
import { ScriptedCardholder } from "../../sim/scripted-cardholder";
import { prepareSimulation, type SimRunOptions, type SimRunResult, type SimSetting } from "../../sim/sim-transaction";
import { SeededRandom } from "../../sim/seeded-random";
import type { FuzzTarget } from "../fuzz-target";
import corpus from "./corpus/emv-responses.json";
import { ReplacingApplet } from "./replacing-applet";

// Card responses through the EMV contact kernel under a whole transaction (kernel/emv over
// kernel/iso7816, the issuer host, the reader's key store): the simulator's transaction of
// host-sim/sim with the card's applet behind a wrapper that replaces one response APDU with the
// fuzz input. Input: byte 0 chooses the card (bits 7-5, CARDS below) and the command APDU whose
// response is replaced (bits 4-0, from 1: the first command after the ATR); the rest is the
// response the card gives instead (data || SW1 SW2). Every other response is the card's own.
//
// Defined outcomes: a transaction result (an approval, a decline, "end-application" with a reason,
// a fallback) or a typed error. The kernel keeps card errors as data (EMV Book 3, 10: a malformed
// response terminates the transaction), so any exception at all is counted, and an untyped one is
// a finding. Seeds (corpus/emv-responses.json) are every response of a real transaction of each
// card, recorded by `recordEmvResponseSeeds`; a test checks the corpus matches the recording.

/** Cards whose transactions walk the kernel's main paths (SDA/DDA/CDA, online/offline PIN, signature). */
export const CARDS = ["visa-sda", "visa-cda", "mc-dda", "mc-cda-offline-pin", "amex-online-pin"] as const;

const OPTIONS: Omit<SimRunOptions, "card"> = { interface: "contact", amount: "12.34", date: "250615", time: "120000", pins: ["1234", "1234"], protocol: "t1", seed: 7 };

/** The simulated reader of each card (keys, issuer, configuration), prepared once: the reader lives on between inputs. */
const readers = new Map<string, SimSetting>();

async function reader(card: string): Promise<SimSetting> {
  let r = readers.get(card);
  if (!r) {
    r = await prepareSimulation({ card, ...OPTIONS });
    readers.set(card, r);
  }
  return r;
}

/** One transaction of `card` with the `replace`-th response replaced (null: none): the card's real responses and the result. */
export async function runWithResponse(card: string, replace: number, response: Uint8Array | null): Promise<{ responses: Uint8Array[]; result: SimRunResult }> {
  const base = await reader(card);
  const fresh = createCard(card, { random: new SeededRandom(softwareCrypto, fromHex("00000007CA")) });
  const applet = new ReplacingApplet(fresh.applet as IccApplet, replace, response);
  const setting: SimSetting = { ...base, card: { ...fresh, applet }, cardholder: new ScriptedCardholder(OPTIONS.pins as string[]) };
  let result: SimRunResult;
  try {
    result = await runContactTransaction(setting);
  } finally {
    // The simulated issuer keeps every decision for reports; the reader under test lives on, its
    // issuer's history does not (so the engine's heap measures the reader, not the simulation).
    base.issuer.decisions.length = 0;
  }
  return { responses: applet.responses, result };
}

/** The seed corpus: `[selector, response...]` for every response of one transaction of each card. */
export async function recordEmvResponseSeeds(): Promise<string[]> {
  const out: string[] = [];
  for (let c = 0; c < CARDS.length; c++) {
    const { responses } = await runWithResponse(CARDS[c], 0, null);
    responses.forEach((r, i) => {
      if (i + 1 < 32) out.push(toHex(Uint8Array.of((c << 5) | (i + 1), ...r)));
    });
  }
  return out;
}

export const emvResponsesTarget: FuzzTarget = {
  name: "emv-responses",
  seeds: () => (corpus as { seeds: string[] }).seeds.map(fromHex),
  maxLength: 600,
  async run(input) {
    if (input.length === 0) return;
    const card = CARDS[(input[0] >> 5) % CARDS.length];
    await runWithResponse(card, input[0] & 0x1f, input.subarray(1));
  },
  isDefinedError: (e) => e instanceof MposError,
};
