import { ActivityLock } from "../../kernel/firmware-update/activity-lock";
import { confirmBoot, type BootOutcome } from "../../kernel/firmware-update/boot-confirm";
import { decodeImageHeader, HEADER_LENGTH } from "../../kernel/firmware-update/image-header";
import { LinkLostError, type UpdateLink } from "../../kernel/firmware-update/transfer";
import { UpdateService, type ReaderProgress, type UpdateReply } from "../../kernel/firmware-update/update-service";
import { formatVersion } from "../../kernel/firmware-update/version";
import { PowerCutError } from "./power-rail";
import type { BootRecord, SimulatedOta } from "./simulated-ota";

// The update side of a simulated reader: the OTA flash, the kernel's update service and boot
// confirmation, wired the way firmware/main.ts wires them on the device, with power that can fail.
// A link to it behaves like a BLE connection: it dies when the reader restarts or loses power
// (LinkLostError), and the test or the CLI opens a new one.

export interface UpdateReaderOptions {
  ota: SimulatedOta;
  publicKey: Uint8Array;
  product: string;
  hardwareRevision: number;
  /** The self-tests of the image that boots; resolves to the names of failed tests. Default: none fail. */
  selfTest?(version: string | null): string[] | Promise<string[]>;
  maxChunkBytes?: number;
  onProgress?(progress: ReaderProgress): void;
}

export interface PowerOnReport {
  boot: BootRecord;
  /** The kernel's boot confirmation, or null when nothing booted. */
  outcome: BootOutcome | null;
}

/** A simulated connection that drops after a number of requests (a dropped BLE link). */
export interface LinkOptions {
  /** The link drops (LinkLostError) when this many requests have been made on it. */
  dropAfterRequests?: number;
  /** The link drops right after the reader handled this request (1: the first), before its reply arrives. */
  loseReplyOf?: number;
}

export class SimulatedUpdateReader {
  /** The activity lock of the running firmware (RAM: a new one at every start). */
  lock = new ActivityLock();
  private service: UpdateService | null = null;
  /** Bumped at every restart and power loss: a link of an older generation is dead. */
  private generation = 0;
  /** Boots so far, with what each did. */
  readonly boots: PowerOnReport[] = [];

  constructor(private readonly options: UpdateReaderOptions) {}

  get ota(): SimulatedOta {
    return this.options.ota;
  }

  /** True while the reader runs firmware that serves the phone. */
  get running(): boolean {
    return this.service !== null && this.options.ota.power.powered;
  }

  /**
   * Powers on (or restarts): the bootloader picks a slot, the firmware confirms a trial image or
   * rolls it back (which restarts again), then the update service starts.
   */
  async powerOn(): Promise<PowerOnReport> {
    const { ota } = this.options;
    this.generation++;
    this.service = null;
    this.lock = new ActivityLock();
    if (!ota.power.powered) ota.power.powerOn();
    for (let attempt = 0; attempt < 3; attempt++) {
      const boot = ota.boot();
      if (boot.slot === null) {
        const report = { boot, outcome: null };
        this.boots.push(report);
        return report;
      }
      const outcome = await confirmBoot({
        ota,
        publicKey: this.options.publicKey,
        selfTest: () => this.selfTestOf(boot.slot as 0 | 1),
      });
      const report = { boot, outcome };
      this.boots.push(report);
      if (outcome.kind !== "rolled-back") {
        this.service = new UpdateService({
          ota,
          publicKey: this.options.publicKey,
          product: this.options.product,
          hardwareRevision: this.options.hardwareRevision,
          lock: this.lock,
          maxChunkBytes: this.options.maxChunkBytes,
          onProgress: this.options.onProgress,
        });
        return report;
      }
    }
    throw new Error("simulated reader: rolled back more than once in a row");
  }

  private async selfTestOf(slot: 0 | 1): Promise<string[]> {
    if (this.options.selfTest === undefined) return [];
    const d = await this.options.ota.descriptor(slot);
    let version: string | null = null;
    if (d !== null) {
      version = formatVersion(decodeImageHeader(d.subarray(0, HEADER_LENGTH)).version);
    }
    return this.options.selfTest(version);
  }

  /** A power cut ends the running firmware (its RAM is gone); anything else is a bug to rethrow. */
  private lostPower(e: unknown): LinkLostError {
    if (!(e instanceof PowerCutError)) throw e;
    this.service = null;
    this.generation++;
    return new LinkLostError("the reader lost power");
  }

  /** The update service of the running firmware (for tests that drive it directly). */
  get updateService(): UpdateService {
    if (this.service === null) throw new Error("simulated reader: not running");
    return this.service;
  }

  /**
   * A connection to the running reader. Requests fail with LinkLostError once the reader restarts
   * or loses power; a power cut inside a request also ends the request with LinkLostError.
   */
  connect(options: LinkOptions = {}): UpdateLink {
    if (!this.running) throw new LinkLostError("the reader is not running");
    const generation = this.generation;
    const service = this.updateService;
    let requests = 0;
    let dropped = false;
    const call = async (request: () => Promise<UpdateReply>): Promise<UpdateReply> => {
      if (dropped || generation !== this.generation || !this.options.ota.power.powered) {
        throw new LinkLostError("the connection to the reader dropped");
      }
      requests++;
      if (options.dropAfterRequests !== undefined && requests > options.dropAfterRequests) {
        dropped = true;
        await service.disconnected();
        throw new LinkLostError("the connection to the reader dropped");
      }
      let reply: UpdateReply;
      try {
        reply = await request();
      } catch (e) {
        throw this.lostPower(e);
      }
      // The firmware restarts once the install reply is sent (firmware/main.ts does the same): the
      // phone has the reply even if the power fails during the restart.
      if (reply.kind === "installed") {
        try {
          await this.options.ota.restart();
          await this.powerOn();
        } catch (e) {
          this.lostPower(e);
        }
      }
      if (options.loseReplyOf === requests) {
        dropped = true;
        if (this.service === service) await service.disconnected();
        throw new LinkLostError("the connection to the reader dropped before the reply");
      }
      return reply;
    };
    return {
      status: () => call(() => service.status()),
      begin: (preamble) => call(() => service.begin(preamble)),
      chunk: (offset, data) => call(() => service.chunk(offset, data)),
      finish: () => call(() => service.finish()),
      abort: () => call(() => service.abort()),
    };
  }
}
