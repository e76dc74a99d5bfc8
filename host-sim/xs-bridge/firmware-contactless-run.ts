import type { PaymentResult } from "../../firmware/app/payment";
import type { ReaderStartReport } from "../../firmware/app/reader";
import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import type { UiRequest } from "../../kernel/contactless/ui";
import { TRANSACTION_TYPE } from "../../kernel/emv/context";
import { MposError } from "../../kernel/errors";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { MemoryStorage } from "../hardware/memory-storage";
import contactlessConfigJson from "../picc/contactless-config.json";
import { ModeledClock } from "../picc/modeled-clock";
import { issuerWithWallets, placeCards, recordUiPrompt, type ContactlessRunOptions } from "../picc/run-contactless";
import { VirtualField } from "../picc/virtual-field";
import { parseAmount } from "../sim/currency";
import { provisionReaderKeys } from "../sim/reader-keys";
import { ScriptedCardholder } from "../sim/scripted-cardholder";
import { SeededRandom } from "../sim/seeded-random";
import { cardholderPins, terminalConfigJsonFor, transactionDateTime } from "../sim/run-settings";
import { p2peReportOf } from "../sim/sim-transaction";
import type { EngineName } from "../xs-engine/kernel-engine";
import { startFirmware, type FirmwareMeter, type HeapSample } from "./firmware-engine";

// A contactless tap with the reader firmware doing the reader's part (issue 10, item 5): the cards
// or phones of `mpos sim run --interface contactless` in the virtual field, served to the firmware's
// NFC controller over the bridge (XS) or directly (Node). The simulator's own contactless run
// (host-sim/picc/run-contactless.ts) also models the reader's computing time; the firmware runs
// the kernel as it is, so only the outcome, not the modeled tap time, is comparable with it.

/** The options of `mpos sim run --interface contactless` that a tap on the firmware takes (no fault injection). */
export type FirmwareTapOptions = Pick<ContactlessRunOptions, "cards" | "amount" | "currency" | "pins" | "date" | "time" | "seed">;

export interface FirmwareTapResult {
  outcome: PaymentResult["outcome"];
  cvm: PaymentResult["cvm"];
  maskedPan?: string;
  tvr?: string;
  cid?: string;
  arc?: string;
  p2pe?: { ksn: string; decryptedByHost: boolean };
  prompts: string[];
  kernel?: "C-2" | "C-3";
  technology?: "A" | "B";
  oda?: "fdda" | "cda";
  odaResult?: "passed" | "failed" | "not-performed";
  restarts: number;
  reason?: string;
  /** The XS meter of the payment (null on Node). */
  xs: FirmwareMeter | null;
}

export async function tapOnFirmware(options: FirmwareTapOptions, engine: EngineName,
    run: { onSample?: (sample: HeapSample, phase: "start" | "pay") => void } = {}): Promise<FirmwareTapResult> {
  const c = softwareCrypto;
  const terminal = terminalConfigJsonFor(options.currency);
  const amount = parseAmount(options.amount, terminal.currencyExponent);
  const { date, time } = transactionDateTime(options);
  const seed = (options.seed ?? 1).toString(16).padStart(8, "0");
  const random = new SeededRandom(c, fromHex(`${seed}00`));
  const clock = new ModeledClock();
  const placed = placeCards(options.cards, seed);
  const storage = new MemoryStorage();
  const keys = await provisionReaderKeys(c, random, storage);
  const issuer = issuerWithWallets();
  const cardholder = new ScriptedCardholder(cardholderPins(options.pins));
  const uiPrompts: string[] = [];
  const contactlessUi = {
    request(r: UiRequest) {
      recordUiPrompt(uiPrompts, r);
    },
  };
  let paying = false;
  const firmware = await startFirmware({
    engine,
    hardware: { random, clock, storage, cardholder, acquirer: issuer, nfc: new VirtualField({ clock, cards: placed }), contactlessUi },
    measureHeap: engine === "xs",
    onSample: run.onSample ? (sample) => run.onSample?.(sample, paying ? "pay" : "start") : undefined,
  });
  try {
    const config = { terminal, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE, contactless: JSON.parse(JSON.stringify(contactlessConfigJson)) };
    const started = (await firmware.command({ op: "start", config })).value as ReaderStartReport;
    if (!started.inService) throw new MposError("out-of-service", "the reader firmware is out of service");
    paying = true;
    const paid = await firmware.command({
      op: "pay",
      request: {
        interface: "contactless", amount, amountOther: 0, transactionType: TRANSACTION_TYPE.goodsAndServices,
        date, time, sequenceCounter: 1, merchantForcedOnline: false,
      },
    });
    const p = paid.value as PaymentResult;
    const r: FirmwareTapResult = { outcome: p.outcome, cvm: p.cvm, prompts: [...uiPrompts, ...cardholder.prompts], restarts: p.contactless?.restarts ?? 0, xs: paid.meter };
    if (p.maskedPan !== undefined) r.maskedPan = p.maskedPan;
    if (p.tvr !== undefined) r.tvr = toHex(p.tvr);
    if (p.cid !== undefined) r.cid = toHex(Uint8Array.of(p.cid));
    if (p.arc !== undefined) r.arc = p.arc;
    const p2pe = p2peReportOf(p.envelope, issuer.lastDecision, keys.hsm);
    if (p2pe) r.p2pe = p2pe;
    const cl = p.contactless;
    if (cl?.kernel) r.kernel = cl.kernel === 2 ? "C-2" : "C-3";
    if (cl?.technology) r.technology = cl.technology;
    if (cl?.oda) {
      r.oda = cl.oda;
      r.odaResult = cl.odaResult;
    }
    if (p.reason !== undefined) r.reason = p.reason;
    return r;
  } finally {
    await firmware.close();
  }
}
