// The script the host loads into the XS engine: it exposes every kernel service by name through
// globalThis.handleCommand (xsnap-worker's "?" command). A request is JSON {"call","args"}; the reply
// is JSON {"ok":true,"value"} or {"ok":false,"error":{"name","code","message"}}. Async services finish
// inside the same crank: xsnap-worker drains the job queue before it reads `reply.result`.
import { services } from "./services";

declare const globalThis: { handleCommand?: (message: ArrayBuffer) => { result?: ArrayBuffer } };

function encode(value: unknown): ArrayBuffer {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function describe(e: unknown): { name: string; code: string | null; message: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, code: typeof code === "string" ? code : null, message: e.message };
  }
  return { name: "Error", code: null, message: String(e) };
}

globalThis.handleCommand = (message: ArrayBuffer) => {
  const reply: { result?: ArrayBuffer } = {};
  let request: { call: string; args: unknown };
  try {
    request = JSON.parse(new TextDecoder().decode(new Uint8Array(message)));
  } catch (e) {
    reply.result = encode({ ok: false, error: describe(e) });
    return reply;
  }
  const service = Object.prototype.hasOwnProperty.call(services, request.call) ? services[request.call] : undefined;
  if (!service) {
    reply.result = encode({ ok: false, error: { name: "Error", code: "no-service", message: `no service ${request.call}` } });
    return reply;
  }
  try {
    Promise.resolve(service(request.args)).then(
      (value) => { reply.result = encode({ ok: true, value }); },
      (e) => { reply.result = encode({ ok: false, error: describe(e) }); },
    );
  } catch (e) {
    reply.result = encode({ ok: false, error: describe(e) });
  }
  return reply;
};
