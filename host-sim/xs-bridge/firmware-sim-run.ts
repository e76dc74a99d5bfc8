import type { EmvDate } from "../../kernel/emv/dates";
import type { Prompt } from "../../kernel/protocol";
import { isMuteApplet } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { createVirtualIcc } from "../icc/virtual-icc";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import { noStripeReport } from "../sim/magstripe-transaction";
import { cardholderPins } from "../sim/run-settings";
import { SwipingHead } from "../sim/swiping-head";
import { prepareSimulation, type SimRunOptions, type SimRunResult } from "../sim/sim-transaction";
import type { EngineName } from "../xs-engine/kernel-engine";
import type { FirmwareMeter } from "./xs-meter";
import { phoneReport, type PhoneReport } from "./phone-report";
import { PhoneRig, type PhonePayment } from "./phone-rig";

// `mpos sim run --engine xs|node`: the simulated transaction on the device's firmware - the very
// start-up and phone protocol of the ESP32 (host-sim/xs-bridge/reader-device.ts) on the real XS
// engine or in-process - paid for by a scripted phone over the BLE loopback (phone-rig.ts). The
// world is `mpos sim run`'s (host-sim/sim): the virtual card in a virtual ICC or at the head, the
// PINs typed on the reader's keypad attempt by attempt, the issuer host answering the phone. The
// report is the `sim run` report as the phone saw the payment (phone-report.ts), with the line's
// APDUs and modeled time, and the XS meter of the payment alone (pairing is not counted).

export interface FirmwareSimRunResult extends Omit<SimRunResult, "outcome" | "cvm">, Pick<PhoneReport, "outcome" | "cvm"> {
  /** The XS meter of the payment (null on Node). */
  xs: FirmwareMeter | null;
}

/** Readers with a paired phone, one an engine and currency, for a batch of runs; close() powers them off. */
export class RigPool {
  private readonly rigs = new Map<string, Promise<PhoneRig>>();

  constructor(private readonly options: { measureHeap?: boolean } = {}) {}

  rig(engine: EngineName, currency: string | undefined): Promise<PhoneRig> {
    const key = `${engine} ${currency ?? ""}`;
    let rig = this.rigs.get(key);
    if (rig === undefined) {
      rig = PhoneRig.start({ engine, currency, measureHeap: this.options.measureHeap ?? engine === "xs" });
      this.rigs.set(key, rig);
    }
    return rig;
  }

  async close(): Promise<void> {
    const rigs = [...this.rigs.values()];
    this.rigs.clear();
    for (const rig of await Promise.allSettled(rigs)) if (rig.status === "fulfilled") await rig.value.close();
  }
}

/** Seconds since 1970 of a transaction date and time, UTC (the reader's clock, set by the phone). */
export function epochSecondsOf(date: EmvDate, time: { hour: number; minute: number; second: number }): number {
  return Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second) / 1000;
}

/**
 * The cardholder at the reader: types the PINs attempt by attempt when asked (then lets the PIN
 * pad time out), takes the card when asked (EMV Book 4, 11.2 '10').
 */
export function cardholderAt(rig: PhoneRig, pins: string[]): (prompt: Prompt, tx?: unknown) => void {
  const left = pins.slice();
  return (prompt) => {
    if (prompt === "enterPin") {
      const pin = left.shift();
      // ISO 9564-1, 5.2: the PIN on the reader's own keypad, then Enter.
      if (pin !== undefined) rig.keypad.type(`${pin}E`);
    }
    if (prompt === "removeCard") rig.slot.remove();
  };
}

/** Runs `pay` with the meter reset first; the XS meter of the payment alone, or null on Node. */
export async function metered(rig: PhoneRig, pay: () => Promise<PhonePayment>): Promise<{ paid: PhonePayment; xs: FirmwareMeter | null }> {
  await rig.reader.whenIdle();
  rig.reader.resetMeter();
  rig.issuer.decisions.length = 0;
  const paid = await pay();
  return { paid, xs: rig.reader.meter() };
}

/** One `sim run` transaction on the device's firmware on `engine`; `pool`: the readers of a batch (default: one for this run). */
export async function runOnFirmware(options: SimRunOptions, engine: EngineName, pool?: RigPool): Promise<FirmwareSimRunResult> {
  const setting = await prepareSimulation(options);
  const own = pool === undefined ? new RigPool() : null;
  const rig = await (pool ?? (own as RigPool)).rig(engine, options.currency);
  try {
    const line = { apdus: 0, modeledMs: 0 };
    let measureLine = () => undefined as void;
    if (options.interface === "contact") {
      // A card without a chip is a chip that does not answer: no contact answers the reset.
      const applet = setting.card.applet ?? new MuteApplet();
      const icc = createVirtualIcc({ applet, protocol: options.protocol === "t1" ? 1 : 0, faults: isMuteApplet(applet) ? [{ kind: "mute" }] : [] });
      rig.slot.hold(icc);
      measureLine = () => {
        const stats = icc.stats();
        line.apdus = stats.apdus;
        line.modeledMs = Math.round(stats.modeledUs) / 1000;
      };
    } else {
      const stripe = setting.card.magstripe;
      if (!stripe) return { ...noStripeReport(setting), xs: null };
      const head = new SwipingHead(new VirtualMagstripeHead({ seed: options.seed ?? 1 }), stripe);
      rig.head.hold(head);
      measureLine = () => { line.modeledMs = Math.round(head.swipeMs * 1000) / 1000; };
    }
    const { paid, xs } = await metered(rig, () => rig.pay({
      amount: setting.amount, cardInterface: options.interface, epochSeconds: epochSecondsOf(setting.date, setting.time),
      onPrompt: cardholderAt(rig, cardholderPins(options.pins)),
    }));
    measureLine();
    const r = phoneReport(paid, options.interface, rig.issuer, rig.hsm);
    return {
      outcome: r.outcome, cvm: r.cvm, maskedPan: r.maskedPan, tvr: r.tvr, tsi: r.tsi, cid: r.cid, arc: r.arc, p2pe: r.p2pe,
      apdus: line.apdus, modeledMs: line.modeledMs, prompts: r.prompts, reason: r.reason, xs,
    };
  } finally {
    rig.slot.hold(null);
    rig.head.hold(null);
    if (own !== null) await own.close();
  }
}
