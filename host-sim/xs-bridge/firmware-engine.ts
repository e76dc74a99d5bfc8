import { ReaderControl, type ControlCommand } from "../../firmware/app/control";
import type { ReaderHal } from "../../firmware/app/reader-hal";
import { BridgeRemoteError, BridgeWireError, decodeJson, describeError, encodeJson, fromWire, toWire } from "../../hal/xs-bridge/wire";
import type { ParkedRequest } from "../../hal/xs-bridge/host-link";
import { xsBundle } from "../xs-engine/bundle";
import type { EngineName } from "../xs-engine/kernel-engine";
import { XsnapWorker, type XsReply } from "../xs-engine/xsnap-worker";
import { HardwareServer, type SimulatedHardware } from "./hardware-server";

// The reader firmware with the simulator's hardware, on either engine:
// - "xs": the firmware bundle (firmware/main-xs.ts: the reader application with the hal/xs-bridge
//   drivers) inside the real XS engine, its HAL requests served from the mock hardware by a
//   HardwareServer, crank after crank, the XS meter read at each;
// - "node": the same application in-process, on the same mock hardware objects directly.
// Both answer through the bridge's value codec, so a test can compare them value for value.

/** The XS meter over one command. */
export interface FirmwareMeter {
  /** XS work units (deterministic) over every crank of the command. */
  compute: number;
  /** Bytes the XS machine reserved from the operating system for its heaps, growth over the command. */
  allocate: number;
  /**
   * The firmware's peak live heap in RAM: the largest live slot count the engine reported at any
   * point where the firmware waited for hardware (or finished), each after a full garbage
   * collection, minus the flash baseline (`HeapSample.flashBytes`), in bytes at the ESP32's 16
   * bytes a slot (32-bit XS). It holds the idle reader (its start-up state) and what the command
   * added. Chunk memory (string and ArrayBuffer contents) is not in xsnap's meter and is not
   * counted; see the report of `mpos sim run --engine xs`.
   */
  peakHeapBytes: number;
}

export interface FirmwareAnswer {
  value: unknown;
  /** Null on Node, which has no XS meter. */
  meter: FirmwareMeter | null;
}

export interface FirmwareEngine {
  readonly engine: EngineName;
  command(command: ControlCommand): Promise<FirmwareAnswer>;
  close(): Promise<void>;
}

export interface FirmwareEngineOptions {
  engine: EngineName;
  hardware: SimulatedHardware;
  /** Collect garbage at every wait to measure the live heap (XS only; costs a collection a crank). */
  measureHeap?: boolean;
  /** Told the heap at every crank (XS with measureHeap): where the firmware's memory goes. */
  onSample?: (sample: HeapSample) => void;
}

/**
 * The firmware's live heap at the end of one crank, and what it then waits for. The device
 * preloads the firmware module into flash (manifest.json "preload"): what its module bodies built
 * is in flash, not RAM (Moddable, "Using XS Preload to Optimize Applications"). So the engine
 * measures the live heap once the bundle's module bodies ran, before boot, after a full
 * collection: the flash baseline; every heap figure above it is RAM. On the device a preloaded
 * object the firmware changes at run time is copied to RAM, which this meter cannot see: the
 * kernel freezes what it builds at load (test/device/memory.test.ts checks it on XS).
 */
export interface HeapSample {
  /** Live heap in RAM: above the flash baseline. */
  heapBytes: number;
  /** The flash baseline: the live heap the module bodies built, preloaded into flash on the device. */
  flashBytes: number;
  /** "device.method" of every request the firmware waits on; empty when the command ended. */
  waitingFor: string[];
}

/** sizeof(txSlot) of XS on a 32-bit target such as the ESP32. */
export const ESP32_SLOT_BYTES = 16;

function remoteError(e: unknown): BridgeRemoteError {
  const d = describeError(e);
  return new BridgeRemoteError(d.name, d.code, d.message);
}

class NodeFirmware implements FirmwareEngine {
  readonly engine = "node" as const;
  private readonly control: ReaderControl;

  constructor(hardware: SimulatedHardware) {
    const hal: ReaderHal = { ...hardware };
    this.control = new ReaderControl(hal, hardware.acquirer);
  }

  async command(command: ControlCommand): Promise<FirmwareAnswer> {
    let value: unknown;
    try {
      value = await this.control.handle(fromWire(toWire(command)));
    } catch (e) {
      throw remoteError(e);
    }
    return { value: fromWire(toWire(value)), meter: null };
  }

  async close(): Promise<void> {}
}

type CrankState =
  | { done: unknown }
  | { failed: { name: string; code: string | null; message: string } }
  | { waiting: ParkedRequest[] }
  | { idle: true };

interface ActiveCommand {
  compute: number;
  peakSlots: number;
  allocateAtStart: number;
  resolve(answer: FirmwareAnswer): void;
  reject(error: Error): void;
}

/**
 * The firmware on XS, driven crank by crank: every reply lists what the firmware waits for; each
 * request is served from the hardware, and its answer starts the next crank. Requests, hardware
 * events and commands are served as they come, between commands too (a tamper erase started while
 * the reader idles still reaches the storage), one crank at a time.
 */
class XsFirmware implements FirmwareEngine {
  readonly engine = "xs" as const;
  /** Live slots once the module bodies ran: on the device, in flash. */
  private flashSlots = 0;
  private lastAllocate = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Requests being served by the hardware, and answers waiting for their crank. */
  private readonly inFlight = new Set<number>();
  private queuedCranks = 0;
  private active: ActiveCommand | null = null;
  private broken: Error | null = null;

  constructor(
    private readonly worker: XsnapWorker,
    private readonly server: HardwareServer,
    private readonly measureHeap: boolean,
    private readonly onSample?: (sample: HeapSample) => void,
  ) {}

  queueEvent(device: string, event: string, args: unknown[]): void {
    this.schedule({ event: { device, event, args: args.map((a) => toWire(a)) } });
  }

  private async send(message: unknown): Promise<{ reply: XsReply; state: CrankState }> {
    const reply = await this.worker.command(new Uint8Array(encodeJson(message)));
    if (reply.result.length === 0) throw new BridgeWireError("the firmware's crank ended without an answer");
    this.lastAllocate = reply.meter.allocate;
    return { reply, state: decodeJson(reply.result) as CrankState };
  }

  /** Runs the bundle's module bodies; with measureHeap, takes the flash baseline after a full collection. */
  async load(bundle: string): Promise<void> {
    await this.worker.evaluate(bundle);
    if (!this.measureHeap) return;
    const collected = await this.worker.evaluate("if (typeof gc !== \"function\") throw new Error(\"no gc in this XS engine\"); gc();");
    this.flashSlots = collected.meter.currentHeapCount;
  }

  async boot(): Promise<void> {
    const { state } = await this.send({ boot: { devices: this.server.deviceNames(), measureHeap: this.measureHeap } });
    if ("failed" in state) throw new BridgeRemoteError(state.failed.name, state.failed.code, state.failed.message);
  }

  private ramBytes(slots: number): number {
    return (slots - this.flashSlots) * ESP32_SLOT_BYTES;
  }

  /** Queues one crank; cranks run one at a time, in the order they were queued. */
  private schedule(message: unknown): void {
    this.queuedCranks++;
    this.queue = this.queue
      .then(() => this.crank(message))
      .catch((e: unknown) => this.breakDown(e instanceof Error ? e : new Error(String(e))));
  }

  private breakDown(error: Error): void {
    this.broken = error;
    const active = this.active;
    this.active = null;
    active?.reject(error);
  }

  private async crank(message: unknown): Promise<void> {
    this.queuedCranks--;
    if (this.broken) return;
    const { reply, state } = await this.send(message);
    const active = this.active;
    if (active) {
      active.compute += reply.meter.compute;
      if (reply.meter.currentHeapCount > active.peakSlots) active.peakSlots = reply.meter.currentHeapCount;
      if (this.onSample) {
        const waitingFor = "waiting" in state ? state.waiting.map((w) => `${w.device}.${w.method}`) : [];
        this.onSample({ heapBytes: this.ramBytes(reply.meter.currentHeapCount), flashBytes: this.flashSlots * ESP32_SLOT_BYTES, waitingFor });
      }
    }
    if ("waiting" in state) {
      for (const request of state.waiting) {
        if (this.inFlight.has(request.id)) continue;
        this.inFlight.add(request.id);
        void this.server.serve(request).then((answer) => {
          this.inFlight.delete(request.id);
          this.schedule({ resume: { id: request.id, reply: answer } });
        });
      }
    }
    if (!active) return;
    if ("done" in state || "failed" in state) {
      this.active = null;
      if ("failed" in state) {
        active.reject(new BridgeRemoteError(state.failed.name, state.failed.code, state.failed.message));
        return;
      }
      active.resolve({
        value: fromWire(state.done),
        meter: {
          compute: active.compute,
          allocate: reply.meter.allocate - active.allocateAtStart,
          peakHeapBytes: this.measureHeap ? this.ramBytes(active.peakSlots) : 0,
        },
      });
    } else if (this.inFlight.size === 0 && this.queuedCranks === 0) {
      this.active = null;
      active.reject(new BridgeWireError("the firmware stalled: it neither finished nor waits for hardware"));
    }
  }

  command(command: ControlCommand): Promise<FirmwareAnswer> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.active) return Promise.reject(new BridgeWireError("a firmware command is already running"));
    return new Promise<FirmwareAnswer>((resolve, reject) => {
      this.active = { compute: 0, peakSlots: this.flashSlots, allocateAtStart: this.lastAllocate, resolve, reject };
      this.schedule({ run: toWire(command) });
    });
  }

  async close(): Promise<void> {
    this.broken ??= new BridgeWireError("the firmware engine is closed");
    await this.worker.close();
  }
}

/** The firmware bundle, built once a process (esbuild in a checkout, else dist/xs/firmware.js). */
let firmwareBundle: string | undefined;

/** Starts the firmware on `engine` with `hardware`. */
export async function startFirmware(options: FirmwareEngineOptions): Promise<FirmwareEngine> {
  if (options.engine === "node") return new NodeFirmware(options.hardware);
  let firmware: XsFirmware | null = null;
  const server = new HardwareServer(options.hardware, (device, event, args) => firmware?.queueEvent(device, event, args));
  const worker = new XsnapWorker({
    onHostCall: async (request) => new Uint8Array(encodeJson(await server.serve(decodeJson(request)))),
  });
  firmware = new XsFirmware(worker, server, options.measureHeap === true, options.onSample);
  try {
    firmwareBundle ??= xsBundle("firmware/main-xs.ts", "firmware");
    await firmware.load(firmwareBundle);
    await firmware.boot();
  } catch (e) {
    await worker.close();
    throw e;
  }
  return firmware;
}
