import { ModeledClock } from "../picc/modeled-clock";
import { placeCards, type ContactlessRunOptions } from "../picc/run-contactless";
import { VirtualField } from "../picc/virtual-field";
import { parseAmount } from "../sim/currency";
import { cardholderPins, terminalConfigJsonFor, transactionDateTime } from "../sim/run-settings";
import type { EngineName } from "../xs-engine/kernel-engine";
import type { FirmwareMeter } from "./xs-meter";
import { cardholderAt, epochSecondsOf, metered, RigPool } from "./firmware-sim-run";
import { phoneReport, type PhoneReport } from "./phone-report";

// A contactless tap on the device's firmware (issue 10, item 5): the cards or phones of
// `mpos sim run --interface contactless` held to the reader's NFC field (a fresh virtual field
// behind the reader's front end, host-sim/xs-bridge/run-hardware.ts) while a scripted phone pays
// (phone-rig.ts): the online PIN, when the kernel asks for one after the tap, on the keypad. The
// simulator's own contactless run (host-sim/picc/run-contactless.ts) also models the reader's
// computing time; here the firmware computes in no modeled time, so only the outcome compares.

/** The options of `mpos sim run --interface contactless` that a tap on the firmware takes (no fault injection). */
export type FirmwareTapOptions = Pick<ContactlessRunOptions, "cards" | "amount" | "currency" | "pins" | "date" | "time" | "seed">;

export interface FirmwareTapResult extends PhoneReport {
  /** The XS meter of the payment (null on Node). */
  xs: FirmwareMeter | null;
}

/** One tap on the device's firmware on `engine`; `pool`: the readers of a batch (default: one for this tap). */
export async function tapOnFirmware(options: FirmwareTapOptions, engine: EngineName, pool?: RigPool): Promise<FirmwareTapResult> {
  const terminal = terminalConfigJsonFor(options.currency);
  const amount = parseAmount(options.amount, terminal.currencyExponent);
  const { date, time } = transactionDateTime(options);
  const pins = cardholderPins(options.pins);
  const placed = placeCards(options.cards, (options.seed ?? 1).toString(16).padStart(8, "0"));
  const own = pool === undefined ? new RigPool() : null;
  const rig = await (pool ?? (own as RigPool)).rig(engine, options.currency);
  try {
    await rig.field.hold(new VirtualField({ clock: new ModeledClock(), cards: placed }));
    const cardholder = cardholderAt(rig, pins);
    const { paid, xs } = await metered(rig, () => rig.pay({
      amount, cardInterface: "contactless", epochSeconds: epochSecondsOf(date, time),
      onPrompt: async (prompt, tx) => {
        // EMV Contactless Book A, 9.4 (message '19'): the cardholder keeps the first card and takes the others away.
        if (prompt === "presentOneCardOnly" && placed.length > 1) await rig.field.hold(new VirtualField({ clock: new ModeledClock(), cards: placed.slice(0, 1) }));
        cardholder(prompt, tx);
      },
    }));
    return { ...phoneReport(paid, "contactless", rig.issuer, rig.hsm), xs };
  } finally {
    await rig.field.clear();
    if (own !== null) await own.close();
  }
}
