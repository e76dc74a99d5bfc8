import { toHex } from "../../kernel/bytes";
import {
  bootReaderFirmware, firmwareStartReport, type FirmwareBoot, type FirmwareBuild, type FirmwareStartReport,
} from "../../firmware/app/firmware-boot";
import type { ParkedRequest } from "../../hal/xs-bridge/host-link";
import { BridgeRemoteError, BridgeWireError, decodeJson, decodeUtf8, encodeJson, toWire } from "../../hal/xs-bridge/wire";
import { xsBundle } from "../xs-engine/bundle";
import type { EngineName } from "../xs-engine/kernel-engine";
import { XsnapWorker, type XsReply } from "../xs-engine/xsnap-worker";
import { EngineClock } from "./engine-clock";
import { ESP32_SLOT_BYTES, type FirmwareMeter } from "./xs-meter";
import { FirmwareHalServer, type ReaderHardware } from "./firmware-hal-server";

// The reader firmware - the very one firmware/device.ts starts on the ESP32 - powered up on the
// simulator's hardware, on either engine (issue 10, item 4):
// - "xs": the firmware bundle (firmware/main-xs.ts, "start") inside the real XS engine, its HAL
//   served from the mock hardware by a FirmwareHalServer. The engine runs a crank for every
//   hardware event (a BLE write, a key press) and every answer to a request it parked, one at a
//   time, in order, until it waits again; the XS meter is read at every crank. The firmware's
//   clock stops while the engine computes (host-sim/xs-bridge/engine-clock.ts);
// - "node": the same firmware in-process (firmware/app/firmware-boot.ts), on the hardware objects
//   directly, for debugging and to compare the engines.
// Nothing drives the firmware but its hardware: a phone pays over the BLE peripheral.

export interface ReaderDeviceOptions {
  engine: EngineName;
  hardware: ReaderHardware;
  /** What mc/config says on the device. */
  build: FirmwareBuild;
  /** Collect garbage at every crank to measure the live heap (XS only). */
  measureHeap?: boolean;
  /**
   * The firmware asked for a restart (a REBOOT request, a firmware install): power-cycle it - close
   * this device and start a new one over the same storages. Called once a device, after the work
   * that asked has returned (on XS the request comes inside a crank, which must end first).
   */
  onRestart?(): void;
  /** The firmware's debug console (never a PAN, track, PIN or key). */
  onLog?(line: string): void;
}

export interface ReaderDevice {
  readonly engine: EngineName;
  /** How the power-up went. */
  readonly started: FirmwareStartReport;
  /**
   * The XS meter since the start-up ended (or the last resetMeter): compute and allocate over every
   * crank, peakHeapBytes the largest live heap at the end of a crank, after a collection with
   * measureHeap, above the flash baseline (the module bodies, preloaded into flash on the device).
   * Null on Node.
   */
  meter(): FirmwareMeter | null;
  /** The flash baseline of the meter's heap figures, bytes (XS with measureHeap; 0 without, null on Node). */
  flashBytes(): number | null;
  /**
   * Where the meter's peak came: "device.method" of every hardware request the firmware waited on
   * at that moment (XS with measureHeap; empty when the peak came as a command ended, and on Node).
   */
  peakWaitingFor(): string[];
  resetMeter(): void;
  /** Resolves once the engine has no crank to run (XS; at once on Node). */
  whenIdle(): Promise<void>;
  /** Events the firmware refused (each a typed error's message); none on Node, which the bridge does not check. */
  readonly refused: string[];
  /** Powers the reader off: the engine stops, the BLE peripheral ends its connections. */
  close(): Promise<void>;
}

type CrankState =
  | { done: unknown }
  | { failed: { name: string; code: string | null; message: string } }
  | { waiting: ParkedRequest[] }
  | { idle: true };

/** The firmware bundle, built once a process (esbuild in a checkout, else dist/xs/firmware.js). */
let firmwareBundle: string | undefined;

class XsReaderDevice implements ReaderDevice {
  readonly engine = "xs" as const;
  started!: FirmwareStartReport;
  readonly refused: string[] = [];
  private flashSlots = 0;
  private compute = 0;
  private peakSlots = 0;
  private waitingAtPeak: string[] = [];
  private lastAllocate = 0;
  private allocateAtReset = 0;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /**
   * The newest request handed to the hardware. The firmware numbers its requests in order and lists
   * every one it still waits on at each crank, until its answer's crank runs: one with a number up
   * to this one is being served already, or answered.
   */
  private lastServed = 0;
  private broken: Error | null = null;
  private starting: { resolve(state: CrankState): void; reject(e: Error): void } | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly worker: XsnapWorker, private readonly server: FirmwareHalServer, private readonly measureHeap: boolean,
      private readonly ble: ReaderHardware["ble"], private readonly clock: EngineClock) {}

  async load(bundle: string): Promise<void> {
    await this.worker.evaluate(bundle);
    if (!this.measureHeap) return;
    const collected = await this.worker.evaluate("if (typeof gc !== \"function\") throw new Error(\"no gc in this XS engine\"); gc();");
    this.flashSlots = collected.meter.currentHeapCount;
  }

  /** Sends the start message and cranks until the start-up ends. */
  async start(build: FirmwareBuild): Promise<void> {
    const wire = { ...build, firmwareSigningKey: build.firmwareSigningKey ? toHex(build.firmwareSigningKey) : null };
    const ended = new Promise<CrankState>((resolve, reject) => { this.starting = { resolve, reject }; });
    this.schedule({ start: { devices: this.server.deviceNames(), build: wire, measureHeap: this.measureHeap } });
    const state = await ended;
    if ("failed" in state) throw new BridgeRemoteError(state.failed.name, state.failed.code, state.failed.message);
    this.started = (state as { done: FirmwareStartReport }).done;
    this.resetMeter();
  }

  queueEvent(device: string, event: string, args: unknown[]): void {
    this.schedule({ event: { device, event, args: args.map((a) => toWire(a)) } });
  }

  private schedule(message: unknown): void {
    this.queued++;
    this.queue = this.queue
      .then(() => this.crank(message))
      .catch((e: unknown) => this.breakDown(e instanceof Error ? e : new Error(String(e))));
  }

  private breakDown(error: Error): void {
    this.broken ??= error;
    this.starting?.reject(error);
    this.starting = null;
    this.wakeIdle();
  }

  /** One crank; it counts as queued until it ended, so that whenIdle never resolves while the engine runs. */
  private async crank(message: unknown): Promise<void> {
    try {
      await this.runCrank(message);
    } finally {
      this.queued--;
      if (this.queued === 0) this.wakeIdle();
    }
  }

  private async runCrank(message: unknown): Promise<void> {
    if (this.broken) return;
    this.clock.stop();
    let reply: XsReply;
    try {
      reply = await this.worker.command(new Uint8Array(encodeJson(message)));
    } finally {
      this.clock.run();
    }
    if (reply.result.length === 0) throw new BridgeWireError("the firmware's crank ended without an answer");
    const state = decodeJson(reply.result) as CrankState;
    this.compute += reply.meter.compute;
    this.lastAllocate = reply.meter.allocate;
    if (reply.meter.currentHeapCount > this.peakSlots) {
      this.peakSlots = reply.meter.currentHeapCount;
      this.waitingAtPeak = "waiting" in state ? state.waiting.map((r) => `${r.device}.${r.method}`) : [];
    }
    if ("waiting" in state) {
      for (const request of state.waiting) {
        if (request.id <= this.lastServed) continue;
        this.lastServed = request.id;
        void this.server.serve(request).then((answer) => this.schedule({ resume: { id: request.id, reply: answer } }));
      }
    }
    const starting = this.starting;
    if (starting !== null && ("done" in state || "failed" in state)) {
      this.starting = null;
      starting.resolve(state);
    } else if ("failed" in state) {
      this.refused.push(state.failed.message);
    }
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  meter(): FirmwareMeter {
    return {
      compute: this.compute,
      allocate: this.lastAllocate - this.allocateAtReset,
      peakHeapBytes: this.measureHeap ? (this.peakSlots - this.flashSlots) * ESP32_SLOT_BYTES : 0,
    };
  }

  flashBytes(): number {
    return this.flashSlots * ESP32_SLOT_BYTES;
  }

  peakWaitingFor(): string[] {
    return this.measureHeap ? this.waitingAtPeak.slice() : [];
  }

  resetMeter(): void {
    this.compute = 0;
    this.peakSlots = this.flashSlots;
    this.waitingAtPeak = [];
    this.allocateAtReset = this.lastAllocate;
  }

  whenIdle(): Promise<void> {
    if (this.queued === 0 || this.broken) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.broken ??= new BridgeWireError("the reader is off");
    this.ble.stop();
    await this.worker.close();
    this.wakeIdle();
  }
}

class NodeReaderDevice implements ReaderDevice {
  readonly engine = "node" as const;
  readonly refused: string[] = [];
  readonly started: FirmwareStartReport;

  constructor(private readonly boot: FirmwareBoot) {
    this.started = firmwareStartReport(boot);
  }

  meter(): null {
    return null;
  }

  flashBytes(): null {
    return null;
  }

  peakWaitingFor(): string[] {
    return [];
  }

  resetMeter(): void {}

  async whenIdle(): Promise<void> {}

  async close(): Promise<void> {
    if (this.boot.kind === "running") this.boot.firmware.stop();
  }
}

/**
 * The firmware's restart request, carried out on a later turn of the event loop and only once. The
 * radio goes silent at once, as it does when the ESP32 resets (esp_restart): what the firmware sent
 * before still reaches the phone, and nothing the phone sends after is answered by the old image.
 */
function restartOnce(onRestart: (() => void) | undefined, ble: ReaderHardware["ble"]): () => void {
  let asked = false;
  return () => {
    if (asked || onRestart === undefined) return;
    asked = true;
    ble.stop();
    setImmediate(onRestart);
  };
}

/** Powers the reader firmware up on `engine`; resolves once the start-up ended (running or not). */
export async function startReaderDevice(options: ReaderDeviceOptions): Promise<ReaderDevice> {
  const log = options.onLog ?? (() => undefined);
  const restart = restartOnce(options.onRestart, options.hardware.ble);
  const hardware = options.hardware;
  if (options.engine === "node") {
    const boot = await bootReaderFirmware({
      hal: hardware, configStorage: hardware.configStorage, identityStorage: hardware.identityStorage, build: options.build,
      decodeText: decodeUtf8, log, restart,
    });
    return new NodeReaderDevice(boot);
  }
  let device: XsReaderDevice | null = null;
  const clock = new EngineClock(hardware.clock);
  const server = new FirmwareHalServer({ ...hardware, clock }, (d, event, args) => device?.queueEvent(d, event, args), restart, log);
  const worker = new XsnapWorker({
    onHostCall: async (request) => new Uint8Array(encodeJson(await server.serve(decodeJson(request)))),
    onPrint: (text) => { for (const line of text.split("\n")) if (line !== "") log(line); },
  });
  device = new XsReaderDevice(worker, server, options.measureHeap === true, hardware.ble, clock);
  try {
    firmwareBundle ??= xsBundle("firmware/main-xs.ts", "firmware");
    await device.load(firmwareBundle);
    await device.start(options.build);
  } catch (e) {
    await device.close();
    throw e;
  }
  return device;
}
