import { sha256 } from "@noble/hashes/sha2.js";
import type { Ota, OtaSlotState } from "../../hal/ota";
import { constantTimeEqual } from "../bytes";
import type { ActivityLock } from "./activity-lock";
import { FirmwareUpdateError, type FirmwareErrorCode } from "./errors";
import { decodeImageHeader, HEADER_LENGTH, type ImageHeader } from "./image-header";
import { checkImagePolicy } from "./image-policy";
import { decodeProgressRecord, encodeProgressRecord } from "./progress-record";
import { verifyPreamble } from "./signature";
import { formatVersion } from "./version";

// The reader's side of a firmware update (issue 13, items 2 and 3), over any transport: the BLE
// protocol turns its messages into these calls and the replies back into messages.
//
// The phone sends begin (the 144-byte header and signature), then the image in chunks from the
// offset the reader answers, then finish. The reader:
// - at begin, refuses a bad signature, a foreign key, another product or hardware, an older version
//   or an image too large for a slot, before any byte is written; an update never starts while a
//   transaction runs, nor while the running firmware is still on trial (its fallback would be lost);
// - collects chunks into a sector buffer and programs each full sector of the inactive slot (erase,
//   write), then records the durable offset, so a power cut costs at most one sector;
// - resumes a transfer begun with the same preamble: from the exact offset after a dropped
//   connection, from the last durable sector after a power cut;
// - at finish, hashes the slot as it reads it back from flash, checks the signature again, and only
//   then selects the slot for a trial boot (boot-confirm.ts confirms it or falls back).
//
// Refusals are data (`{ kind: "refused", code }`); a storage failure is an exception that ends the
// session (the reader then restarts, and the progress record resumes it).

/** The replies to the phone. */
export type UpdateReply =
  /** begin accepted: send the image from `offset` (0, or where a previous transfer stopped). */
  | { kind: "ready"; offset: number; total: number }
  /** The next image byte the reader expects; a chunk at another offset is ignored and answered with this. */
  | { kind: "ack"; offset: number }
  /** finish: hash and signature verified, the new image is selected; the reader restarts into it now. */
  | { kind: "installed"; version: string }
  | { kind: "aborted" }
  | { kind: "status"; status: UpdateStatus }
  | { kind: "refused"; code: FirmwareErrorCode; message: string };

/** What the reader runs and what it is receiving, for the phone to decide what to do after a reconnect. */
export interface UpdateStatus {
  /** The running image's version and SHA-256 (from its stored signed header), null when unknown. */
  version: string | null;
  imageHash: Uint8Array | null;
  state: OtaSlotState;
  /** The transfer in progress (begun, possibly suspended), or null. */
  transfer: { offset: number; total: number } | null;
}

/** Progress the reader announces (the protocol sends it as events). */
export interface ReaderProgress {
  phase: "receiving" | "verifying" | "installing";
  /** Image bytes durable in flash (receiving), or hashed so far (verifying). */
  offset: number;
  total: number;
}

export interface UpdateServiceOptions {
  ota: Ota;
  /** The firmware signing public key (Ed25519, 32 bytes): the only key the reader accepts. */
  publicKey: Uint8Array;
  product: string;
  hardwareRevision: number;
  /** Shared with the transaction engine (issue 13, item 4). */
  lock?: ActivityLock;
  /** The largest chunk accepted (default 512: ATT values are at most 512 bytes, Core v5.3 Vol 3 Part F 3.2.9). */
  maxChunkBytes?: number;
  onProgress?(progress: ReaderProgress): void;
}

type State = "idle" | "receiving" | "suspended" | "installed";
type UpdateEvent = "begin" | "chunk" | "finish" | "abort" | "disconnect";
type Action = "start" | "write" | "install" | "discard" | "suspend" | "refuse" | "none";

// The state machine: state x event -> action. The action decides the next state from its outcome:
// start -> receiving (or back to where it was when refused), write -> receiving, install ->
// installed (or idle when the image is bad), discard -> idle, suspend -> suspended.
const TRANSITIONS: Record<State, Record<UpdateEvent, Action>> = {
  //          begin          chunk           finish            abort              disconnect
  idle:      { begin: "start", chunk: "refuse", finish: "refuse", abort: "discard", disconnect: "none" },
  receiving: { begin: "start", chunk: "write", finish: "install", abort: "discard", disconnect: "suspend" },
  suspended: { begin: "start", chunk: "refuse", finish: "refuse", abort: "discard", disconnect: "none" },
  installed: { begin: "refuse", chunk: "refuse", finish: "refuse", abort: "refuse", disconnect: "none" },
};

interface Session {
  header: ImageHeader;
  preamble: Uint8Array;
  /** The next image byte expected. */
  offset: number;
  /** Where the sector buffer starts in the image: everything before it is programmed and recorded. */
  bufferStart: number;
  buffer: Uint8Array;
}

function refused(e: FirmwareUpdateError): UpdateReply {
  return { kind: "refused", code: e.code, message: e.message };
}

export class UpdateService {
  private state: State = "idle";
  private session: Session | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxChunkBytes: number;

  constructor(private readonly options: UpdateServiceOptions) {
    const sector = options.ota.sectorBytes;
    if (!Number.isInteger(sector) || sector <= 0 || options.ota.slotBytes % sector !== 0) {
      throw new Error("update service: the slot must be a whole number of sectors");
    }
    this.maxChunkBytes = options.maxChunkBytes ?? 512;
  }

  /** begin: the 144-byte header and signature of the image to come. */
  begin(preamble: Uint8Array): Promise<UpdateReply> {
    return this.serialize("begin", () => this.start(preamble));
  }

  /** One chunk of the image at `offset`. */
  chunk(offset: number, data: Uint8Array): Promise<UpdateReply> {
    return this.serialize("chunk", () => this.write(offset, data));
  }

  /** Every byte sent: verify and switch. */
  finish(): Promise<UpdateReply> {
    return this.serialize("finish", () => this.install());
  }

  /** The phone gives up: the transfer is forgotten (the inactive slot stays unbootable). */
  abort(): Promise<UpdateReply> {
    return this.serialize("abort", () => this.discard());
  }

  /** The link dropped: the transfer is kept for a resume, and transactions may run meanwhile. */
  async disconnected(): Promise<void> {
    await this.serialize("disconnect", () => this.suspend());
  }

  /** What the reader runs and receives (any state). */
  status(): Promise<UpdateReply> {
    return this.enqueue(async () => ({ kind: "status", status: await this.readStatus() }));
  }

  private serialize(event: UpdateEvent, act: () => Promise<UpdateReply>): Promise<UpdateReply> {
    return this.enqueue(() => {
      const action = TRANSITIONS[this.state][event];
      // Only a disconnection has no action in some states, and nobody to answer.
      if (action === "none") return Promise.resolve({ kind: "aborted" } as UpdateReply);
      if (action === "refuse") {
        const why = this.state === "installed" ? "the new firmware is installed and the reader restarts" :
          `${event} without a transfer in progress (send begin first)`;
        return Promise.resolve(refused(new FirmwareUpdateError("fw-state", `update: ${why}`)));
      }
      return act();
    });
  }

  /** One request at a time, in arrival order: a chunk never overtakes the flash write before it. */
  private enqueue(task: () => Promise<UpdateReply>): Promise<UpdateReply> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async start(preamble: Uint8Array): Promise<UpdateReply> {
    const { ota, lock } = this.options;
    if (lock !== undefined && !lock.tryAcquire("firmware-update")) {
      return refused(new FirmwareUpdateError("fw-busy", "update: a transaction is in progress"));
    }
    try {
      const runningState = await ota.state(ota.running());
      if (runningState !== "valid") {
        throw new FirmwareUpdateError("fw-state", "update: the running firmware has not confirmed itself yet");
      }
      const { header } = verifyPreamble(preamble, this.options.publicKey);
      checkImagePolicy(header, this.policy(await ota.rollbackCounter()));
      this.state = "receiving";
      // A dropped connection: the session is still in memory, resume at the exact offset.
      if (this.session !== null && constantTimeEqual(this.session.preamble, preamble)) {
        return { kind: "ready", offset: this.session.offset, total: header.imageLength };
      }
      // A power cut: resume at the last durable sector of the same image.
      const durable = this.durableOffsetFor(preamble, header, decodeProgressRecord(await ota.loadProgress()));
      if (durable !== null) {
        this.session = this.newSession(header, preamble, durable);
        return { kind: "ready", offset: durable, total: header.imageLength };
      }
      // A new transfer: the inactive slot stops being bootable before its first byte is overwritten.
      this.session = null;
      await ota.invalidateInactive();
      await ota.saveProgress(encodeProgressRecord({ preamble, durableOffset: 0 }));
      this.session = this.newSession(header, preamble, 0);
      return { kind: "ready", offset: 0, total: header.imageLength };
    } catch (e) {
      if (!(e instanceof FirmwareUpdateError)) throw e;
      this.state = this.session === null ? "idle" : "suspended";
      lock?.release("firmware-update");
      return refused(e);
    }
  }

  private durableOffsetFor(
    preamble: Uint8Array,
    header: ImageHeader,
    record: ReturnType<typeof decodeProgressRecord>,
  ): number | null {
    if (record === null || !constantTimeEqual(record.preamble, preamble)) return null;
    const d = record.durableOffset;
    const aligned = d % this.options.ota.sectorBytes === 0 || d === header.imageLength;
    return d <= header.imageLength && aligned ? d : null;
  }

  private newSession(header: ImageHeader, preamble: Uint8Array, offset: number): Session {
    const buffer = new Uint8Array(this.options.ota.sectorBytes);
    buffer.fill(0xff);
    return { header, preamble: preamble.slice(), offset, bufferStart: offset, buffer };
  }

  private policy(rollbackCounter: number) {
    const { product, hardwareRevision, ota } = this.options;
    return { product, hardwareRevision, rollbackCounter, slotBytes: ota.slotBytes };
  }

  private async write(offset: number, data: Uint8Array): Promise<UpdateReply> {
    const s = this.session as Session;
    const total = s.header.imageLength;
    if (!(data instanceof Uint8Array) || data.length === 0 || data.length > this.maxChunkBytes) {
      return refused(new FirmwareUpdateError("fw-offset", `update: a chunk is 1 to ${this.maxChunkBytes} bytes`));
    }
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + data.length > total) {
      return refused(new FirmwareUpdateError("fw-offset", `update: a chunk past the ${total}-byte image`));
    }
    // In order only: a repeat or a gap is dropped, and the ack tells the phone where to go on.
    if (offset !== s.offset) return { kind: "ack", offset: s.offset };
    const sector = this.options.ota.sectorBytes;
    let done = 0;
    while (done < data.length) {
      const at = s.offset - s.bufferStart;
      const n = Math.min(data.length - done, sector - at);
      s.buffer.set(data.subarray(done, done + n), at);
      s.offset += n;
      done += n;
      if (s.offset - s.bufferStart === sector) await this.programBuffer(s);
    }
    return { kind: "ack", offset: s.offset };
  }

  /** Erases and programs the buffered sector, then records it as durable. */
  private async programBuffer(s: Session): Promise<void> {
    const { ota, onProgress } = this.options;
    const length = s.offset - s.bufferStart;
    await ota.eraseSector(s.bufferStart);
    await ota.write(s.bufferStart, s.buffer.subarray(0, length));
    await ota.saveProgress(encodeProgressRecord({ preamble: s.preamble, durableOffset: s.offset }));
    s.bufferStart = s.offset;
    s.buffer.fill(0xff);
    onProgress?.({ phase: "receiving", offset: s.offset, total: s.header.imageLength });
  }

  private async install(): Promise<UpdateReply> {
    const s = this.session as Session;
    const { ota, onProgress } = this.options;
    const total = s.header.imageLength;
    if (s.offset !== total) {
      return refused(new FirmwareUpdateError("fw-length", `update: finish after ${s.offset} of ${total} bytes (truncated image)`));
    }
    if (s.offset > s.bufferStart) await this.programBuffer(s);
    try {
      // Issue 13, item 3: the hash over what the flash holds, and the signature, before the switch.
      onProgress?.({ phase: "verifying", offset: 0, total });
      const hash = await this.hashInactiveSlot(total);
      if (!constantTimeEqual(hash, s.header.imageHash)) {
        throw new FirmwareUpdateError("fw-hash", "update: the SHA-256 of the written image is not the signed one");
      }
      const { header } = verifyPreamble(s.preamble, this.options.publicKey);
      checkImagePolicy(header, this.policy(await ota.rollbackCounter()));
      onProgress?.({ phase: "installing", offset: total, total });
      // The record goes first: a record never outlives the switch to point at a booted slot.
      await ota.saveProgress(null);
      await ota.activate(s.preamble);
      this.state = "installed";
      this.session = null;
      return { kind: "installed", version: formatVersion(header.version) };
    } catch (e) {
      if (!(e instanceof FirmwareUpdateError)) throw e;
      await this.discard();
      return refused(e);
    }
  }

  private async hashInactiveSlot(total: number): Promise<Uint8Array> {
    const { ota } = this.options;
    const inactive = ota.running() === 0 ? 1 : 0;
    const hasher = sha256.create();
    for (let at = 0; at < total; at += ota.sectorBytes) {
      hasher.update(await ota.read(inactive, at, Math.min(ota.sectorBytes, total - at)));
    }
    return hasher.digest();
  }

  private async suspend(): Promise<UpdateReply> {
    this.state = "suspended";
    this.options.lock?.release("firmware-update");
    return { kind: "aborted" };
  }

  private async discard(): Promise<UpdateReply> {
    this.session = null;
    this.state = "idle";
    await this.options.ota.saveProgress(null);
    this.options.lock?.release("firmware-update");
    return { kind: "aborted" };
  }

  private async readStatus(): Promise<UpdateStatus> {
    const { ota } = this.options;
    const slot = ota.running();
    const descriptor = await ota.descriptor(slot);
    let version: string | null = null;
    let imageHash: Uint8Array | null = null;
    if (descriptor !== null && descriptor.length >= HEADER_LENGTH) {
      try {
        const header = decodeImageHeader(descriptor.subarray(0, HEADER_LENGTH));
        version = formatVersion(header.version);
        imageHash = header.imageHash;
      } catch (e) {
        if (!(e instanceof FirmwareUpdateError)) throw e;
      }
    }
    const transfer = this.session === null ? null : { offset: this.session.offset, total: this.session.header.imageLength };
    return { version, imageHash, state: await ota.state(slot), transfer };
  }
}

