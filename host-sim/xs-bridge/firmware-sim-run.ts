import type { PaymentRequest, PaymentResult } from "../../firmware/app/payment";
import type { ReaderStartReport } from "../../firmware/app/reader";
import { MposError } from "../../kernel/errors";
import { isMuteApplet, SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { MuteApplet } from "../cards/mute-applet";
import { MemoryStorage } from "../hardware/memory-storage";
import { createVirtualIcc, type VirtualIcc } from "../icc/virtual-icc";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import { ModeledClock } from "../picc/modeled-clock";
import { terminalConfigJsonFor } from "../sim/run-settings";
import { noStripeReport } from "../sim/magstripe-transaction";
import { SwipingHead } from "../sim/swiping-head";
import { prepareSimulation, simReport, simTransactionParams, type SimRunOptions, type SimRunResult, type SimSetting } from "../sim/sim-transaction";
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

/** The reader's configuration files: the simulator's terminal (in the run's currency), CA keys and CRL. */
function configFiles(options: SimRunOptions): { terminal: unknown; capk: unknown[]; crl: unknown } {
  return { terminal: terminalConfigJsonFor(options.currency), capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE };
}

function paymentRequest(setting: SimSetting): PaymentRequest {
  return { interface: setting.options.interface, ...simTransactionParams(setting) };
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
    if (!stripe) return { ...noStripeReport(setting), xs: null };
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
    return { ...simReport(setting, paid.value as PaymentResult, line), xs: paid.meter };
  } finally {
    await firmware.close();
  }
}
