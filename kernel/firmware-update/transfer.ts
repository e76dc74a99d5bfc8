import { MposError } from "../errors";
import { constantTimeEqual, view } from "../bytes";
import { FirmwareUpdateError, type FirmwareErrorCode } from "./errors";
import { decodeImageHeader, HEADER_LENGTH } from "./image-header";
import { splitSignedImage } from "./signed-image";
import type { UpdateReply, UpdateStatus } from "./update-service";
import { formatVersion } from "./version";

// The phone's side of a firmware update (issue 13, item 2), over any transport that carries the
// update messages (the SDK's ReaderClient over the BLE protocol, a test's direct link): begin,
// chunks sized to the link, finish; after a dropped connection it reconnects, asks the reader
// where it stands, and resumes from the offset the reader confirms; after the install it waits for
// the reader to come back and checks that it runs the new image.

/** One connection to the reader's update service. A dropped connection rejects with LinkLostError. */
export interface UpdateLink {
  status(): Promise<UpdateReply>;
  begin(preamble: Uint8Array): Promise<UpdateReply>;
  chunk(offset: number, data: Uint8Array): Promise<UpdateReply>;
  finish(): Promise<UpdateReply>;
  abort(): Promise<UpdateReply>;
}

/** The connection to the reader dropped (or the reader restarted). */
export class LinkLostError extends MposError {
  constructor(message: string) {
    super("link-lost", message);
    this.name = "LinkLostError";
  }
}

export interface UpdateProgress {
  /** "installing" comes from the reader's own progress event, where the transport carries it. */
  phase: "connecting" | "sending" | "verifying" | "installing" | "restarting" | "done";
  /** Image bytes the reader confirmed. */
  confirmed: number;
  total: number;
  /** Reconnections after a dropped link so far (the reader's restart after the install is not one). */
  resumes: number;
}

export interface TransferOptions {
  /** Opens a connection (again, after a drop or the reader's restart). */
  connect(): Promise<UpdateLink>;
  /** Image bytes per chunk: what one frame of the link carries (see transfer-model.ts). */
  chunkBytes: number;
  /** Chunks in flight before the phone waits for an ack (default 8). */
  window?: number;
  /** Reconnections in a row without progress before giving up (default 5). */
  maxReconnects?: number;
  /** Which errors are a dropped link (default: LinkLostError, or any MposError coded "link-lost" or "disconnected"). */
  isLinkLost?(e: unknown): boolean;
  onProgress?(progress: UpdateProgress): void;
}

export interface TransferResult {
  /** The version the reader runs now. */
  version: string;
  /** Chunks sent, resends included. */
  chunks: number;
  /** Image bytes sent, resends included. */
  bytesSent: number;
  resumes: number;
}

function defaultIsLinkLost(e: unknown): boolean {
  return e instanceof LinkLostError || (e instanceof MposError && (e.code === "link-lost" || e.code === "disconnected"));
}

/** A reply of the wrong kind is a protocol failure; a refusal carries the reader's code. */
function expect<K extends UpdateReply["kind"]>(reply: UpdateReply, kind: K): Extract<UpdateReply, { kind: K }> {
  if (reply.kind === kind) return reply as Extract<UpdateReply, { kind: K }>;
  if (reply.kind === "refused") throw new FirmwareUpdateError(reply.code as FirmwareErrorCode, reply.message);
  throw new FirmwareUpdateError("fw-state", `update: the reader answered ${reply.kind} where ${kind} was expected`);
}

type Settled = { ok: true; reply: UpdateReply } | { ok: false; error: unknown };

function settle(p: Promise<UpdateReply>): Promise<Settled> {
  return p.then((reply) => ({ ok: true as const, reply }), (error) => ({ ok: false as const, error }));
}

/** Sends a signed image to the reader and returns once the reader runs it. */
export async function transferFirmware(signed: Uint8Array, options: TransferOptions): Promise<TransferResult> {
  const { preamble, image } = splitSignedImage(signed);
  const header = decodeImageHeader(view(preamble, 0, HEADER_LENGTH));
  if (image.length !== header.imageLength) {
    throw new FirmwareUpdateError("fw-length", `image: ${image.length} bytes where the header announces ${header.imageLength}`);
  }
  const chunkBytes = options.chunkBytes;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new FirmwareUpdateError("fw-field", "chunk size: at least 1 byte");
  const window = options.window ?? 8;
  const maxReconnects = options.maxReconnects ?? 5;
  const isLinkLost = options.isLinkLost ?? defaultIsLinkLost;
  const total = image.length;
  const version = formatVersion(header.version);
  const result: TransferResult = { version, chunks: 0, bytesSent: 0, resumes: 0 };
  let confirmed = 0;
  let installed = false;
  let failures = 0;
  const progress = (phase: UpdateProgress["phase"]) =>
    options.onProgress?.({ phase, confirmed, total, resumes: result.resumes });

  const runsOurImage = (s: UpdateStatus) => s.state === "valid" && s.version === version &&
    s.imageHash !== null && constantTimeEqual(s.imageHash, header.imageHash);

  /** Chunks from `start`, `window` in flight; returns when the reader confirmed the last byte. */
  const send = async (link: UpdateLink, start: number): Promise<void> => {
    let next = start;
    const inFlight: { end: number; reply: Promise<Settled> }[] = [];
    while (confirmed < total) {
      while (inFlight.length < window && next < total) {
        const n = Math.min(chunkBytes, total - next);
        inFlight.push({ end: next + n, reply: settle(link.chunk(next, image.subarray(next, next + n))) });
        result.chunks++;
        result.bytesSent += n;
        next += n;
      }
      const head = inFlight.shift() as { end: number; reply: Promise<Settled> };
      const settled = await head.reply;
      if (!settled.ok) {
        await Promise.all(inFlight.map((f) => f.reply));
        throw settled.error;
      }
      const ack = expect(settled.reply, "ack");
      if (ack.offset > confirmed) failures = 0;
      confirmed = ack.offset;
      if (ack.offset !== head.end) {
        // The reader dropped a chunk (a repeat or a gap): drain the window and go on from its offset.
        await Promise.all(inFlight.map((f) => f.reply));
        inFlight.length = 0;
        next = ack.offset;
      }
      progress("sending");
    }
  };

  for (;;) {
    try {
      progress("connecting");
      const link = await options.connect();
      const status = expect(await link.status(), "status").status;
      if (runsOurImage(status)) {
        confirmed = total;
        progress("done");
        return result;
      }
      // After an install, a reader that comes back without the new image has fallen back.
      if (installed) {
        throw new FirmwareUpdateError("fw-boot", `update: the reader did not keep version ${version} (it failed its first boot)`);
      }
      const ready = expect(await link.begin(preamble), "ready");
      confirmed = ready.offset;
      progress("sending");
      await send(link, ready.offset);
      progress("verifying");
      expect(await link.finish(), "installed");
      installed = true;
      progress("restarting");
      // The reader restarts into the new image: the link drops, the next round checks its status.
      failures = 0;
    } catch (e) {
      if (!isLinkLost(e)) throw e;
      failures++;
      if (failures > maxReconnects) {
        throw new LinkLostError(`update: the link dropped ${failures} times in a row without progress`);
      }
      // After the install the link drops because the reader restarts: expected, not a resume.
      if (!installed) result.resumes++;
    }
  }
}
