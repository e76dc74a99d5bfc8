import {
  BridgeRemoteError, BridgeWireError, decodeJson, encodeJson, fromWire, toWire, type BridgeReply, type BridgeRequest, type WireValue,
} from "./wire";

// The firmware's side of the bridge to the simulator's hardware, inside xsnap-worker (the XS
// engine the simulator drives, host-sim/xs-engine/xsnap-worker.ts). Two ways across:
//
// - `callSync`, for the HAL's synchronous methods (RandomSource.fill, Clock.nowMs,
//   ContactSlot.configure): xsnap's `issueCommand(ArrayBuffer)` sends "?<request>" to the host and
//   blocks the engine until the host answers "/<reply>";
// - `call`, for asynchronous hardware (a card's answer, a swipe, a PIN typed): the request is
//   parked and the engine's crank ends, as the device's event loop would idle until the interrupt.
//   The crank's reply lists the parked requests (`waiting`); the host works the mock hardware and
//   starts the next crank with `resume`, which settles that promise. Every wait is therefore a
//   point where the host reads the XS meter: how much the firmware computed and how big its live
//   heap is while it waits, which is how the simulator measures the firmware's memory.
//
// Events the hardware raises on its own (a tamper switch, a BLE central's write) come the same way
// as `deliver` between cranks, to the handler the driver registered with `on`.

/** The xsnap host functions the bridge uses (absent on Node). */
export interface XsnapGlobals {
  issueCommand?: (request: ArrayBuffer) => ArrayBuffer;
  gc?: () => void;
  /** xsnap's console line (its stdout, which the host reads). */
  print?: (text: string) => void;
}

export interface HostLink {
  /** A synchronous HAL method: answered before this returns. */
  callSync(device: string, method: string, args?: unknown[]): unknown;
  /** An asynchronous HAL method: settled by the host in a later crank. */
  call(device: string, method: string, args?: unknown[]): Promise<unknown>;
  /**
   * An asynchronous HAL method without a result (a write, a sleep, a notification): the driver
   * returns this promise as it is, rather than awaiting it in an async method of its own, which
   * would hold one more suspended function for every pending call (issue 10, item 5).
   */
  act(device: string, method: string, args?: unknown[]): Promise<void>;
  /** Registers the handler of the events `device` raises under `event` (one handler each). */
  on(device: string, event: string, handler: (...args: unknown[]) => void): void;
}

/** A request parked until the host resumes it, as the crank's answer lists it (`waiting`). */
export interface ParkedRequest extends BridgeRequest {
  id: number;
}

/**
 * A parked request: kept as its JSON text (one string, rather than an object tree of wire values,
 * for as long as the hardware takes), and how to settle it.
 */
interface Parked {
  json: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** A method without a result: settled with undefined. */
  voided: boolean;
}

function settle(reply: BridgeReply): { ok: true; value: unknown } | { ok: false; error: Error } {
  if (reply.ok) return { ok: true, value: fromWire(reply.value) };
  const e = reply.error;
  return { ok: false, error: new BridgeRemoteError(e.name, e.code, e.message) };
}

function checkReply(value: unknown): BridgeReply {
  if (value === null || typeof value !== "object") throw new BridgeWireError("the host's reply is not an object");
  const r = value as { ok?: unknown; value?: unknown; error?: unknown };
  if (r.ok === true) return { ok: true, value: (r.value ?? null) as WireValue };
  if (r.ok === false && r.error !== null && typeof r.error === "object") {
    const e = r.error as { name?: unknown; code?: unknown; message?: unknown };
    return {
      ok: false,
      error: {
        name: typeof e.name === "string" ? e.name : "Error",
        code: typeof e.code === "string" ? e.code : null,
        message: typeof e.message === "string" ? e.message : "the host failed",
      },
    };
  }
  throw new BridgeWireError("the host's reply is neither ok nor an error");
}

export class XsnapHostLink implements HostLink {
  private readonly parked = new Map<number, Parked>();
  private readonly handlers = new Map<string, (...args: unknown[]) => void>();
  private nextId = 1;

  constructor(private readonly xsnap: XsnapGlobals) {
    if (typeof xsnap.issueCommand !== "function") {
      throw new BridgeWireError("no issueCommand: the bridge HAL runs only inside xsnap-worker");
    }
  }

  callSync(device: string, method: string, args: unknown[] = []): unknown {
    const request: BridgeRequest = { device, method, args: args.map((a) => toWire(a)) };
    const answer = decodeJson((this.xsnap.issueCommand as (r: ArrayBuffer) => ArrayBuffer)(encodeJson(request)));
    const settled = settle(checkReply(answer));
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  call(device: string, method: string, args: unknown[] = []): Promise<unknown> {
    return this.park(device, method, args, false);
  }

  act(device: string, method: string, args: unknown[] = []): Promise<void> {
    return this.park(device, method, args, true) as Promise<unknown> as Promise<void>;
  }

  private park(device: string, method: string, args: unknown[], voided: boolean): Promise<unknown> {
    const id = this.nextId++;
    const request: ParkedRequest = { id, device, method, args: args.map((a) => toWire(a)) };
    const json = JSON.stringify(request);
    return new Promise<unknown>((resolve, reject) => {
      this.parked.set(id, { json, resolve, reject, voided });
    });
  }

  on(device: string, event: string, handler: (...args: unknown[]) => void): void {
    this.handlers.set(`${device}.${event}`, handler);
  }

  /** The requests the firmware waits on, oldest first: a JSON array of ParkedRequest. */
  waitingJson(): string {
    return `[${Array.from(this.parked.values(), (p) => p.json).join(",")}]`;
  }

  /** Settles parked request `id` with the host's reply. */
  resume(id: number, reply: unknown): void {
    const p = this.parked.get(id);
    if (p === undefined) throw new BridgeWireError(`no parked request ${id}`);
    this.parked.delete(id);
    const settled = settle(checkReply(reply));
    if (settled.ok) p.resolve(p.voided ? undefined : settled.value);
    else p.reject(settled.error);
  }

  /** Runs the handler of an event the host delivers; an event nobody listens to is dropped. */
  deliver(device: string, event: string, args: unknown[]): void {
    const handler = this.handlers.get(`${device}.${event}`);
    if (handler !== undefined) handler(...args.map((a) => fromWire(a)));
  }
}
