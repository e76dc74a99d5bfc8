import { xsBundle } from "./bundle";
import { services } from "./services";
import { XsEngineError, XsnapWorker, type XsMeter } from "./xsnap-worker";

// The kernel's services on either engine, behind one call signature, so a test (or `mpos selftest
// --engine xs`) runs the same function on Node and on XS and compares the answers.

export type EngineName = "node" | "xs";

export interface ServiceCall {
  value: unknown;
  /** The XS meter of the call; null on Node, which has no deterministic meter. */
  meter: XsMeter | null;
}

export class ServiceError extends Error {
  readonly code: string | null;
  constructor(name: string, code: string | null, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

export interface KernelEngine {
  readonly name: EngineName;
  call(service: string, args?: unknown): Promise<ServiceCall>;
  close(): Promise<void>;
}

class NodeKernelEngine implements KernelEngine {
  readonly name = "node" as const;
  async call(service: string, args?: unknown): Promise<ServiceCall> {
    const fn = Object.prototype.hasOwnProperty.call(services, service) ? services[service] : undefined;
    if (!fn) throw new ServiceError("Error", "no-service", `no service ${service}`);
    // A JSON round trip, as on XS, so both engines hand back exactly the same shapes.
    const value = JSON.parse(JSON.stringify(await fn(args)) ?? "null");
    return { value, meter: null };
  }
  async close(): Promise<void> {}
}

class XsKernelEngine implements KernelEngine {
  readonly name = "xs" as const;
  constructor(private readonly worker: XsnapWorker) {}

  async call(service: string, args?: unknown): Promise<ServiceCall> {
    const request = new TextEncoder().encode(JSON.stringify({ call: service, args: args ?? null }));
    const reply = await this.worker.command(request);
    if (reply.result.length === 0) {
      throw new XsEngineError(`service ${service} did not finish within its crank`);
    }
    const answer = JSON.parse(new TextDecoder().decode(reply.result)) as
      | { ok: true; value: unknown }
      | { ok: false; error: { name: string; code: string | null; message: string } };
    if (!answer.ok) throw new ServiceError(answer.error.name, answer.error.code, answer.error.message);
    return { value: answer.value ?? null, meter: reply.meter };
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

/** Starts the kernel services on the named engine. */
export async function startKernelEngine(name: EngineName): Promise<KernelEngine> {
  if (name === "node") return new NodeKernelEngine();
  const worker = new XsnapWorker();
  try {
    await worker.evaluate(xsBundle("host-sim/xs-engine/service-entry.ts", "services"));
  } catch (e) {
    await worker.close();
    throw e;
  }
  return new XsKernelEngine(worker);
}
