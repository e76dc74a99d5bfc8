import type { MagstripeHead, MagstripeSwipe, MagstripeTrack } from "../../hal/magstripe-head";
import type { PaymentRequest, PaymentResult } from "../../firmware/app/payment";
import type { ReaderStartReport } from "../../firmware/app/reader";
import { toHex } from "../../kernel/bytes";
import { TRANSACTION_TYPE } from "../../kernel/emv/context";
import { MposError } from "../../kernel/errors";
import { isMuteApplet, SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { MemoryStorage } from "../hardware/memory-storage";
import { createVirtualIcc, type VirtualIcc } from "../icc/virtual-icc";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import type { MagneticStripe } from "../cards/magstripe";
import { ModeledClock } from "../picc/modeled-clock";
import { terminalConfigJsonFor } from "../sim/run-settings";
import { ordered, p2peReport, prepareSimulation, type SimRunOptions, type SimRunResult, type SimSetting } from "../sim/sim-transaction";
import type { EngineName } from "../xs-engine/kernel-engine";
import { startFirmware, type FirmwareMeter, type HeapSample } from "./firmware-engine";
import type { SimulatedHardware } from "./hardware-server";

// `mpos sim run --engine xs|node`: the simulated transaction with the reader's firmware doing the
// reader's part - the firmware bundle on the real XS engine (its HAL served by the mock hardware
// over the bridge), or the same application in-process on Node. The world around it is the one of
// `mpos sim run` (host-sim/sim): the virtual card behind a virtual ICC or head, the scripted
// cardholder, the issuer host, the reader's secure storage with the keys injected at the "factory".
// The report is the `sim run` report, with the XS meter of the transaction added.

export interface FirmwareSimRunResult extends SimRunResult {
  /** The XS meter of the payment (null on Node). */
  xs: FirmwareMeter | null;
}

/** A cardholder swiping at an ordinary pace: 20 inches per second, 5 % faster at the end, 2 % jitter (as `sim run`). */
const SWIPE = { speedIps: 20, acceleration: 0.05, jitter: 0.02 };

/** The head of the simulation: each time the reader arms it, the cardholder swipes the card once. */
class SwipingHead implements MagstripeHead {
  readonly tracks: readonly MagstripeTrack[];
  /** The swipes' durations so far (the longest track's intervals), ms. */
  swipeMs = 0;

  constructor(private readonly head: VirtualMagstripeHead, private readonly stripe: MagneticStripe) {
    this.tracks = head.tracks;
  }

  nextSwipe(): Promise<MagstripeSwipe | null> {
    const swipe = this.head.swipe({ track1: this.stripe.track1, track2: this.stripe.track2 }, SWIPE);
    let longest = 0;
    for (const t of swipe.tracks) {
      if (t.kind !== "flux") continue;
      let sum = 0;
      for (let i = 0; i < t.intervalsUs.length; i++) sum += t.intervalsUs[i];
      longest = Math.max(longest, sum);
    }
    this.swipeMs += longest / 1000;
    return this.head.nextSwipe();
  }

  cancel(): void {
    this.head.cancel();
  }
}

/** The reader's configuration files: the simulator's terminal (in the run's currency), CA keys and CRL. */
function configFiles(options: SimRunOptions): { terminal: unknown; capk: unknown[]; crl: unknown } {
  return { terminal: terminalConfigJsonFor(options.currency), capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE };
}

function paymentRequest(setting: SimSetting): PaymentRequest {
  return {
    interface: setting.options.interface,
    amount: setting.amount,
    amountOther: 0,
    transactionType: TRANSACTION_TYPE.goodsAndServices,
    date: setting.date,
    time: setting.time,
    sequenceCounter: 1,
    merchantForcedOnline: false,
  };
}

function report(setting: SimSetting, paid: PaymentResult, line: { apdus: number; modeledMs: number }): SimRunResult {
  // A chip or stripe payment ends in one of the `sim run` outcomes (the contactless ones are not reachable here).
  const r: SimRunResult = { outcome: paid.outcome as SimRunResult["outcome"], cvm: paid.cvm, ...line, prompts: setting.cardholder.prompts };
  if (paid.maskedPan !== undefined) r.maskedPan = paid.maskedPan;
  if (paid.tvr !== undefined) r.tvr = toHex(paid.tvr);
  if (paid.tsi !== undefined) r.tsi = toHex(paid.tsi);
  if (paid.cid !== undefined) r.cid = toHex(Uint8Array.of(paid.cid));
  if (paid.arc !== undefined) r.arc = paid.arc;
  const p2pe = p2peReport(setting, paid.envelope);
  if (p2pe) r.p2pe = p2pe;
  if (paid.reason !== undefined) r.reason = paid.reason;
  return ordered(r);
}

export interface FirmwareRunOptions {
  /** Told the firmware's live heap at every crank, of the start-up and of the payment (XS only). */
  onSample?: (sample: HeapSample, phase: "start" | "pay") => void;
}

/** One `sim run` transaction with the reader firmware on `engine`. */
export async function runOnFirmware(options: SimRunOptions, engine: EngineName, run: FirmwareRunOptions = {}): Promise<FirmwareSimRunResult> {
  const storage = new MemoryStorage();
  const setting = await prepareSimulation(options, storage);
  const hardware: SimulatedHardware = {
    random: setting.random,
    clock: new ModeledClock(),
    storage,
    cardholder: setting.cardholder,
    acquirer: setting.issuer,
  };
  let icc: VirtualIcc | null = null;
  let head: SwipingHead | null = null;
  if (options.interface === "contact") {
    // A card without a chip is a chip that does not answer: no contact answers the reset.
    const applet = setting.card.applet ?? new MuteApplet();
    icc = createVirtualIcc({ applet, protocol: options.protocol === "t1" ? 1 : 0, faults: isMuteApplet(applet) ? [{ kind: "mute" }] : [] });
    hardware.contactSlot = icc;
    hardware.clock = icc.clock;
  } else {
    const stripe = setting.card.magstripe;
    // A card without a stripe leaves nothing on the head: there is no swipe to give the reader.
    if (!stripe) {
      return { ...ordered({ outcome: "end-application", cvm: "none", apdus: 0, modeledMs: 0, prompts: setting.cardholder.prompts,
        reason: "magstripe: the card has no magnetic stripe" }), xs: null };
    }
    head = new SwipingHead(new VirtualMagstripeHead({ seed: options.seed ?? 1 }), stripe);
    hardware.magstripeHead = head;
  }

  let paying = false;
  const onSample = run.onSample ? (sample: HeapSample) => run.onSample?.(sample, paying ? "pay" : "start") : undefined;
  const firmware = await startFirmware({ engine, hardware, measureHeap: engine === "xs", onSample });
  try {
    const started = (await firmware.command({ op: "start", config: configFiles(options) })).value as ReaderStartReport;
    if (!started.inService) {
      throw new MposError("out-of-service", `the reader firmware is out of service (self-tests failed: ${started.selfTest.failedTests.join(", ")}; keys ${started.keys})`);
    }
    paying = true;
    const paid = await firmware.command({ op: "pay", request: paymentRequest(setting) });
    let line = { apdus: 0, modeledMs: 0 };
    if (icc !== null) {
      const stats = icc.stats();
      line = { apdus: stats.apdus, modeledMs: Math.round(stats.modeledUs) / 1000 };
    } else if (head !== null) {
      line = { apdus: 0, modeledMs: Math.round(head.swipeMs * 1000) / 1000 };
    }
    return { ...report(setting, paid.value as PaymentResult, line), xs: paid.meter };
  } finally {
    await firmware.close();
  }
}
