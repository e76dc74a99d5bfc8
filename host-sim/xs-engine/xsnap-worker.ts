import { spawn, type ChildProcess } from "child_process";
import { existsSync } from "fs";
import { dirname, join } from "path";
import type { Readable, Writable } from "stream";
import { MposError } from "../../kernel/errors";
import { encodeNetstring, NetstringReader } from "./netstring";

// A typed driver for the real XS engine as built by @agoric/xsnap (`xsnap-worker`), spoken to
// directly over its netstring pipes (ARCHITECTURE.md, "Running on the real XS engine"):
//   host -> XS on fd 3:  "e<code>" evaluate a script, "?<bytes>" call globalThis.handleCommand
//   XS -> host on fd 4:  ".<meter JSON>\x01<result>" ok, "!<message>" error,
//                        "?<bytes>" a synchronous call from XS (issueCommand), answered "/<bytes>".

/** The XS meter on every reply: the project's machine-independent performance figures. */
export interface XsMeter {
  /** Deterministic work units of the last crank. */
  compute: number;
  /** Bytes of heap the machine has allocated (chunks and slots), monotonic over its life. */
  allocate: number;
  /** Live slots in the heap after the crank. */
  currentHeapCount: number;
}

export interface XsReply {
  meter: XsMeter;
  /** The ArrayBuffer the evaluation returned (or its `result` property), else empty. */
  result: Uint8Array;
}

/** The engine is missing, would not start, or died: a defined error the CLI reports (exit 2), not a crash. */
export class XsEngineError extends MposError {
  constructor(message: string) {
    super("xs-engine", message);
    this.name = "XsEngineError";
  }
}

export interface XsnapWorkerOptions {
  /** Answers a synchronous call from XS (`issueCommand(ArrayBuffer)`); the engine waits for it. */
  onHostCall?(request: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Where the engine's `print` goes (its stdout); default: discarded. */
  onPrint?(text: string): void;
  /** Path of the binary; default: $MPOS_XSNAP_WORKER, else the one @agoric/xsnap built at install. */
  binary?: string;
}

/** A developer's own build of the engine, in place of the one @agoric/xsnap built at install. */
export const XSNAP_WORKER_ENV = "MPOS_XSNAP_WORKER";

/** Path of the `xsnap-worker` that @agoric/xsnap builds at install, or null when it is missing. */
export function findXsnapWorker(): string | null {
  const own = process.env[XSNAP_WORKER_ENV];
  if (own) return existsSync(own) ? own : null;
  const platforms: Record<string, string> = { linux: "lin", darwin: "mac", win32: "win" };
  const platform = platforms[process.platform];
  if (!platform) return null;
  let root: string;
  try {
    root = dirname(require.resolve("@agoric/xsnap/package.json"));
  } catch {
    return null;
  }
  const path = join(root, "xsnap-native", "xsnap", "build", "bin", platform, "release", "xsnap-worker");
  return existsSync(path) ? path : null;
}

interface Pending {
  resolve(reply: XsReply): void;
  reject(error: Error): void;
}

export class XsnapWorker {
  private readonly child: ChildProcess;
  private readonly toXs: Writable;
  private readonly reader = new NetstringReader();
  private readonly queue: Pending[] = [];
  private exited: Error | null = null;
  private readonly options: XsnapWorkerOptions;

  constructor(options: XsnapWorkerOptions = {}) {
    this.options = options;
    const binary = options.binary ?? findXsnapWorker();
    if (!binary || !existsSync(binary)) {
      const own = process.env[XSNAP_WORKER_ENV];
      throw new XsEngineError(
        own && options.binary === undefined
          ? `the XS engine named by ${XSNAP_WORKER_ENV} (${own}) does not exist: build it or unset ${XSNAP_WORKER_ENV}`
          : "the XS engine (xsnap-worker) is not built: run `npm install` (it builds @agoric/xsnap) or `npm rebuild @agoric/xsnap`",
      );
    }
    this.child = spawn(binary, [], { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"] });
    this.toXs = this.child.stdio[3] as Writable;
    const fromXs = this.child.stdio[4] as Readable;
    fromXs.on("data", (chunk: Buffer) => this.onData(chunk));
    this.child.stdout!.on("data", (chunk: Buffer) => this.options.onPrint?.(chunk.toString("utf8")));
    let stderr = "";
    this.child.stderr!.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    this.child.on("error", (e) => this.fail(new XsEngineError(`xsnap-worker: ${e.message}`)));
    this.child.on("exit", (code, signal) => {
      this.fail(new XsEngineError(`xsnap-worker exited (${signal ?? code})${stderr ? `: ${stderr.trim()}` : ""}`));
    });
    this.toXs.on("error", () => undefined); // reported through "exit"
  }

  /** Evaluates a script in the engine's global scope. */
  evaluate(code: string): Promise<XsReply> {
    return this.send("e", new TextEncoder().encode(code));
  }

  /** Calls globalThis.handleCommand(ArrayBuffer) inside the engine. */
  command(message: Uint8Array): Promise<XsReply> {
    return this.send("?", message);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.toXs.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
    await done;
    clearTimeout(timer);
  }

  private send(kind: "e" | "?", payload: Uint8Array): Promise<XsReply> {
    if (this.exited) return Promise.reject(this.exited);
    const message = new Uint8Array(payload.length + 1);
    message[0] = kind.charCodeAt(0);
    message.set(payload, 1);
    return new Promise<XsReply>((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.toXs.write(encodeNetstring(message));
    });
  }

  private onData(chunk: Uint8Array): void {
    let messages: Uint8Array[];
    try {
      messages = this.reader.push(chunk);
    } catch (e) {
      this.fail(new XsEngineError((e as Error).message));
      this.child.kill("SIGKILL");
      return;
    }
    for (const m of messages) this.onMessage(m);
  }

  private onMessage(m: Uint8Array): void {
    const kind = String.fromCharCode(m[0]);
    const body = m.subarray(1);
    if (kind === "?") {
      this.answerHostCall(body);
      return;
    }
    const pending = this.queue.shift();
    if (!pending) {
      this.fail(new XsEngineError(`xsnap-worker: unexpected message "${kind}"`));
      return;
    }
    if (kind === ".") {
      const sep = body.indexOf(0x01);
      const meterJson = new TextDecoder().decode(sep >= 0 ? body.subarray(0, sep) : body);
      const meter = JSON.parse(meterJson) as XsMeter;
      pending.resolve({
        meter: { compute: meter.compute, allocate: meter.allocate, currentHeapCount: meter.currentHeapCount },
        result: sep >= 0 ? body.slice(sep + 1) : new Uint8Array(0),
      });
    } else if (kind === "!") {
      pending.reject(new XsEngineError(`XS: ${new TextDecoder().decode(body)}`));
    } else {
      pending.reject(new XsEngineError(`xsnap-worker: unknown reply "${kind}"`));
    }
  }

  private answerHostCall(request: Uint8Array): void {
    const reply = (bytes: Uint8Array) => {
      const message = new Uint8Array(bytes.length + 1);
      message[0] = 0x2f; // "/"
      message.set(bytes, 1);
      if (!this.exited) this.toXs.write(encodeNetstring(message));
    };
    const handler = this.options.onHostCall;
    if (!handler) {
      reply(new TextEncoder().encode(JSON.stringify({ error: "no host-call handler" })));
      return;
    }
    Promise.resolve()
      .then(() => handler(request))
      .then(reply, (e: unknown) => {
        reply(new TextEncoder().encode(JSON.stringify({ error: e instanceof Error ? e.message : String(e) })));
      });
  }

  private fail(error: Error): void {
    if (this.exited) return;
    this.exited = error;
    for (const p of this.queue.splice(0)) p.reject(error);
  }
}
