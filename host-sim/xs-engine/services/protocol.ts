// The BLE protocol as services, the same on Node and on the XS engine (issue 9): framing, message
// codecs, the reader's handshake (its XS meter is the public-key cost of one connection), and whole
// payments between the reader service and the phone SDK over the in-memory GATT link.
import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import {
  decodeEvent, decodeFrame, decodeMessage, decodeRequest, decodeResponse, EVENT_CODE, fragmentMessage, frameBytesForMtu, Reassembler,
  MAX_MESSAGE_BYTES, RESPONSE_BIT,
} from "../../../kernel/protocol";
import { phoneHello, readerHandshake, runLoopbackPayment } from "../../reader/loopback-session";

function hexArg(args: any, name: string): Uint8Array {
  const v = args === null || typeof args !== "object" ? undefined : args[name];
  if (typeof v !== "string") throw new InputError("args", `missing hex argument "${name}"`);
  return fromHex(v);
}

function intArg(args: any, name: string, min: number, max: number): number {
  const v = args === null || typeof args !== "object" ? undefined : args[name];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new InputError("args", `${name} must be an integer from ${min} to ${max}`);
  return v;
}

/** Bytes to hex, deep, so a decoded message is JSON. */
function jsonable(v: unknown): unknown {
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(jsonable);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = jsonable((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export const protocolServices: Record<string, (args: any) => unknown> = {
  /** {message, mtu, number} -> {frames}: the data frames of one message at an ATT_MTU. */
  "protocol.fragment": (args) => ({
    frames: fragmentMessage(intArg(args, "number", 0, 255), hexArg(args, "message"), frameBytesForMtu(intArg(args, "mtu", 23, 517))).map(toHex),
  }),
  /** {frames} -> {results}: what the receiver makes of a sequence of frames. */
  "protocol.reassemble": (args) => {
    const frames = Array.isArray(args?.frames) ? (args.frames as unknown[]) : [];
    const r = new Reassembler(MAX_MESSAGE_BYTES);
    const results: unknown[] = [];
    for (const hex of frames) {
      if (typeof hex !== "string") throw new InputError("args", "frames are hex strings");
      const bytes = fromHex(hex);
      let frame;
      try {
        frame = decodeFrame(bytes);
      } catch (e) {
        results.push({ kind: "refused", code: (e as { code?: string }).code ?? null });
        continue;
      }
      if (frame.kind !== "data") results.push({ kind: frame.kind });
      else for (const x of r.receive(frame, bytes)) results.push(jsonable(x));
    }
    return { results };
  },
  /** {hex} -> a request, a response or an event, decoded (bytes as hex). */
  "protocol.decode": (args) => {
    const m = decodeMessage(hexArg(args, "hex"));
    if (m.type === EVENT_CODE) return jsonable({ event: decodeEvent(m) });
    if ((m.type & RESPONSE_BIT) !== 0) return jsonable({ response: decodeResponse(m) });
    return jsonable({ request: decodeRequest(m) });
  },
  /** {seed} -> {hello}: a phone's HELLO. */
  "protocol.phoneHello": (args) => ({ hello: phoneHello(intArg(args, "seed", 0, 0xffffffff)) }),
  /** {hello, seed} -> {reply}: the reader's side of a session setup. */
  "protocol.readerHandshake": (args) => readerHandshake({ hello: toHex(hexArg(args, "hello")), seed: intArg(args, "seed", 0, 0xffffffff) }),
  /** {mtu, seed, amount?} -> connect, pair and pay over the in-memory GATT link. */
  "protocol.payment": (args) => runLoopbackPayment({
    mtu: intArg(args, "mtu", 23, 517), seed: intArg(args, "seed", 0, 0xffffffff),
    amount: args?.amount === undefined ? undefined : intArg(args, "amount", 1, 999999999999),
  }),
};
