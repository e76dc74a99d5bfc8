import { MposError } from "../kernel/errors";
import {
  LinkLostError, transferFirmware, type TransferResult, type UpdateLink, type UpdateProgress, type UpdateReply,
} from "../kernel/firmware-update";
import type { ReaderProgress } from "../kernel/firmware-update/update-service";
import {
  firmwareChunkLayout, firmwareRefusalOf, type FirmwareRequestBodies, type FirmwareResponseBodies,
} from "../kernel/protocol";
import { ReaderStatusError } from "./errors";

// The SDK's firmware update (issue 13): ReaderClient.updateFirmware(image, onProgress) runs the
// kernel's transfer (kernel/firmware-update/transfer.ts) over the protocol's firmware messages,
// reconnecting through the client after a dropped link and after the reader's restart.

type FirmwareRequest = keyof FirmwareRequestBodies;

export interface FirmwareUpdateHooks {
  /** The client's request, typed by the firmware messages. */
  request<K extends FirmwareRequest>(type: K, body: FirmwareRequestBodies[K]): Promise<FirmwareResponseBodies[K]>;
  /** Connects again when the link is down (after a drop or the reader's restart); no-op when up. */
  ensureConnected(): Promise<void>;
  /** The ATT_MTU of the current connection. */
  attMtu(): number;
  /** Installs (or removes, with null) the listener of the reader's progress events. */
  listenProgress(listener: ((p: ReaderProgress) => void) | null): void;
}

/** The link is gone: any ConnectionError but a refused identity or link security (those do not heal). */
function isLinkLost(e: unknown): boolean {
  if (e instanceof LinkLostError) return true;
  return e instanceof MposError &&
    (e.code === "disconnected" || e.code === "not-connected" || e.code === "timeout" || e.code === "ble-disconnected");
}

/** One request, with the reader's refusal as data (`refused`) and a dropped link as LinkLostError. */
async function step<K extends FirmwareRequest>(
  hooks: FirmwareUpdateHooks, type: K, body: FirmwareRequestBodies[K], ok: (r: FirmwareResponseBodies[K]) => UpdateReply,
): Promise<UpdateReply> {
  try {
    return ok(await hooks.request(type, body));
  } catch (e) {
    if (e instanceof ReaderStatusError) {
      const refusal = firmwareRefusalOf(e.status);
      if (refusal !== undefined) return { kind: "refused", code: refusal.code, message: refusal.message };
    }
    if (isLinkLost(e)) throw new LinkLostError(e instanceof Error ? e.message : "the link dropped");
    throw e;
  }
}

function linkOf(hooks: FirmwareUpdateHooks): UpdateLink {
  return {
    status: () => step(hooks, "firmware-status", {}, (r) => ({
      kind: "status",
      status: {
        version: r.firmwareVersion ?? null,
        imageHash: r.imageHash ?? null,
        state: r.state,
        transfer: r.transferOffset !== undefined && r.imageLength !== undefined ? { offset: r.transferOffset, total: r.imageLength } : null,
      },
    })),
    begin: (preamble) => step(hooks, "firmware-begin", { preamble }, (r) => ({ kind: "ready", offset: r.offset, total: r.imageLength })),
    chunk: (offset, data) => step(hooks, "firmware-chunk", { offset, data }, (r) => ({ kind: "ack", offset: r.offset })),
    finish: () => step(hooks, "firmware-finish", {}, (r) => ({ kind: "installed", version: r.firmwareVersion })),
    abort: () => step(hooks, "firmware-abort", {}, () => ({ kind: "aborted" })),
  };
}

export interface FirmwareUpdateOptions {
  /** Chunks in flight (default 6: the reader queues at most 8 messages per connection). */
  window?: number;
  /** Reconnections in a row without progress before giving up (default 5). */
  maxReconnects?: number;
}

/** Sends a signed image and resolves once the reader runs it (refusals reject with FirmwareUpdateError). */
export async function updateReaderFirmware(
  hooks: FirmwareUpdateHooks, image: Uint8Array, onProgress?: (p: UpdateProgress) => void, options: FirmwareUpdateOptions = {},
): Promise<TransferResult> {
  let last: UpdateProgress | null = null;
  const report = (p: UpdateProgress) => {
    last = p;
    onProgress?.(p);
  };
  // The reader's own events: its install phase, which the phone cannot see from the acks.
  hooks.listenProgress((p) => {
    if (p.phase === "installing" && last !== null) report({ ...last, phase: "installing" });
  });
  try {
    await hooks.ensureConnected();
    const chunkBytes = firmwareChunkLayout(hooks.attMtu()).chunkBytes;
    return await transferFirmware(image, {
      connect: async () => {
        try {
          await hooks.ensureConnected();
        } catch (e) {
          // Not reachable yet (restarting, out of range): try again; a reader that fails its identity check is not retried.
          if (isLinkLost(e) || (e instanceof MposError && e.code.startsWith("ble-"))) throw new LinkLostError("the reader is not reachable yet");
          throw e;
        }
        return linkOf(hooks);
      },
      chunkBytes,
      window: options.window ?? 6,
      maxReconnects: options.maxReconnects ?? 5,
      isLinkLost,
      onProgress: report,
    });
  } finally {
    hooks.listenProgress(null);
  }
}
