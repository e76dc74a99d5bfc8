import type { UpdateReply } from "../firmware-update/update-service";
import type { FirmwareRequestBodies, FirmwareRequestType, FirmwareResponseBodies, FirmwareUpdateConnection } from "./firmware-messages";
import { statusOfReply } from "./firmware-messages";
import type { StatusName } from "./status";

// The reader's handlers of the firmware update requests (firmware-messages.ts), in the shape of
// request-handlers.ts's table, which spreads them in. Each turns the request into a call of the
// kernel's UpdateService and its reply into a status and a body. Only an authenticated (paired)
// phone may update, and never while a transaction runs (issue 13, item 4): the checks and the lock
// are taken before the first await, so no request of another phone can slip in between.

interface FirmwareHandlerContext {
  readonly firmwareUpdate?: FirmwareUpdateConnection;
  transactionActive(): boolean;
}

interface FirmwareHandlerResult<K extends FirmwareRequestType> {
  status: StatusName;
  body?: FirmwareResponseBodies[K];
  after?: () => void;
}

type FirmwareHandler<K extends FirmwareRequestType> = (ctx: FirmwareHandlerContext, body: FirmwareRequestBodies[K]) => Promise<FirmwareHandlerResult<K>>;

function endpointOf(ctx: FirmwareHandlerContext): FirmwareUpdateConnection | undefined {
  return ctx.firmwareUpdate;
}

/** A reply of any kind other than `kind` (a refusal) as a status without a body. */
function refusedOr<K extends FirmwareRequestType, R extends UpdateReply["kind"]>(
  reply: UpdateReply, kind: R, body: (r: Extract<UpdateReply, { kind: R }>) => FirmwareResponseBodies[K],
): FirmwareHandlerResult<K> {
  if (reply.kind === kind) return { status: "ok", body: body(reply as Extract<UpdateReply, { kind: R }>) };
  return { status: reply.kind === "refused" ? statusOfReply(reply) : "internalError" };
}

export const firmwareHandlers: { [K in FirmwareRequestType]: { authenticated: boolean; handle: FirmwareHandler<K> } } = {
  "firmware-status": {
    authenticated: true,
    handle: async (ctx) => {
      const fw = endpointOf(ctx);
      if (fw === undefined) return { status: "unknownMessage" };
      const reply = await fw.endpoint.service.status();
      return refusedOr<"firmware-status", "status">(reply, "status", ({ status: s }) => {
        const body: FirmwareResponseBodies["firmware-status"] = { state: s.state };
        if (s.version !== null) body.firmwareVersion = s.version;
        if (s.imageHash !== null) body.imageHash = s.imageHash;
        if (s.transfer !== null) {
          body.transferOffset = s.transfer.offset;
          body.imageLength = s.transfer.total;
        }
        return body;
      });
    },
  },
  "firmware-begin": {
    authenticated: true,
    handle: async (ctx, body) => {
      const fw = endpointOf(ctx);
      if (fw === undefined) return { status: "unknownMessage" };
      // Taken synchronously: a start-transaction of another phone sees the lock at once.
      if (ctx.transactionActive() || !fw.endpoint.lock.tryAcquire("firmware-update")) return { status: "busy" };
      fw.endpoint.claim(fw);
      const reply = await fw.endpoint.service.begin(body.preamble);
      return refusedOr<"firmware-begin", "ready">(reply, "ready", (r) => ({ offset: r.offset, imageLength: r.total }));
    },
  },
  "firmware-chunk": {
    authenticated: true,
    handle: async (ctx, body) => {
      const fw = endpointOf(ctx);
      if (fw === undefined) return { status: "unknownMessage" };
      const reply = await fw.endpoint.service.chunk(body.offset, body.data);
      return refusedOr<"firmware-chunk", "ack">(reply, "ack", (r) => ({ offset: r.offset }));
    },
  },
  "firmware-finish": {
    authenticated: true,
    handle: async (ctx) => {
      const fw = endpointOf(ctx);
      if (fw === undefined) return { status: "unknownMessage" };
      const reply = await fw.endpoint.service.finish();
      const result = refusedOr<"firmware-finish", "installed">(reply, "installed", (r) => ({ firmwareVersion: r.version }));
      // The reader restarts into the new image once the phone has the answer.
      if (result.status === "ok") result.after = () => fw.endpoint.restart();
      return result;
    },
  },
  "firmware-abort": {
    authenticated: true,
    handle: async (ctx) => {
      const fw = endpointOf(ctx);
      if (fw === undefined) return { status: "unknownMessage" };
      const reply = await fw.endpoint.service.abort();
      return reply.kind === "aborted" ? { status: "ok", body: {} } : { status: statusOfReply(reply) };
    },
  },
};

