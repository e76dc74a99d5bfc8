import { decodeFields, encodeFields, type EmvItem, type FieldValues } from "./fields";
import { MessageError } from "./errors";
import { encodeMessage, type MessageEnvelope } from "./message";
import { EVENT_CODE, EVENT_FIELDS, REQUEST_CODES, REQUEST_FIELDS, RESPONSE_BIT, RESPONSE_FIELDS, STATUS_FIELDS } from "./message-schemas";
import type { AuthorisationData, ReaderEvent, RequestBodies, RequestType, ResponseBodies, TransactionOutcome } from "./message-types";
import type { P2peEnvelope } from "../security/p2pe";
import { STATUS, statusName, type StatusName } from "./status";

// Encoding and decoding of requests, responses and events over the tables of message-schemas.ts.

export type DecodedRequest = { [K in RequestType]: { type: K; id: number; body: RequestBodies[K] } }[RequestType];

export type DecodedResponse = {
  [K in RequestType]: {
    type: K;
    id: number;
    status: StatusName;
    /** The body when the status is ok, else null. */
    body: ResponseBodies[K] | null;
    /** Pairing attempts left, on pairing answers. */
    attemptsLeft?: number;
  };
}[RequestType];

const REQUEST_TYPES = Object.keys(REQUEST_CODES) as RequestType[];

function requestTypeOf(code: number): RequestType | undefined {
  for (const t of REQUEST_TYPES) if (REQUEST_CODES[t] === code) return t;
  return undefined;
}

export function encodeRequest<K extends RequestType>(type: K, id: number, body: RequestBodies[K]): Uint8Array {
  return encodeMessage(REQUEST_CODES[type], id, encodeFields(REQUEST_FIELDS[type], body as unknown as FieldValues));
}

/** A request from a message envelope; an unknown type is "message-type". */
export function decodeRequest(m: MessageEnvelope): DecodedRequest {
  const type = requestTypeOf(m.type);
  if (type === undefined) throw new MessageError("message-type", `message: type ${m.type} is not a request`);
  const body = decodeFields(REQUEST_FIELDS[type], m.body);
  return { type, id: m.id, body } as DecodedRequest;
}

/** The request type of an envelope whose body may not decode (to answer it with the right type). */
export function requestTypeOfMessage(m: { type: number }): RequestType | undefined {
  return requestTypeOf(m.type);
}

export function encodeResponse<K extends RequestType>(type: K, id: number, status: StatusName, body?: ResponseBodies[K],
    attemptsLeft?: number): Uint8Array {
  const head = encodeFields(STATUS_FIELDS, { status: STATUS[status], attemptsLeft });
  const rest = status === "ok" ? encodeFields(RESPONSE_FIELDS[type], (body ?? {}) as unknown as FieldValues) : new Uint8Array(0);
  const all = new Uint8Array(head.length + rest.length);
  all.set(head, 0);
  all.set(rest, head.length);
  return encodeMessage(REQUEST_CODES[type] | RESPONSE_BIT, id, all);
}

/** A response: its status, and its body when the status is ok. */
export function decodeResponse(m: MessageEnvelope): DecodedResponse {
  const type = (m.type & RESPONSE_BIT) !== 0 ? requestTypeOf(m.type & ~RESPONSE_BIT) : undefined;
  if (type === undefined) throw new MessageError("message-type", `message: type ${m.type} is not a response`);
  const head = decodeFields(STATUS_FIELDS, m.body);
  const status = statusName(head.status as number);
  if (status === undefined) throw new MessageError("message-field", `message: status ${String(head.status)} is unknown`);
  const body = status === "ok" ? decodeFields(RESPONSE_FIELDS[type], m.body) : null;
  if (type === "get-reversals" && body !== null) {
    for (const r of (body as unknown as ResponseBodies["get-reversals"]).records) {
      if (r.maskedPan !== undefined) checkMaskedPan(r.maskedPan);
      if (r.envelope !== undefined) r.envelope = envelopeOf(r.envelope);
    }
  }
  if (type === "get-outcomes" && body !== null) {
    for (const r of (body as unknown as ResponseBodies["get-outcomes"]).records) if (r.maskedPan !== undefined) checkMaskedPan(r.maskedPan);
  }
  const out: Record<string, unknown> = { type, id: m.id, status, body };
  if (typeof head.attemptsLeft === "number") out.attemptsLeft = head.attemptsLeft;
  return out as unknown as DecodedResponse;
}

// ---- events ------------------------------------------------------------------------------------

export function encodeEvent(transactionId: number, event: ReaderEvent): Uint8Array {
  const v: FieldValues = { transactionId, kind: event.kind };
  switch (event.kind) {
    case "prompt": v.prompt = event.prompt; break;
    case "card-detected": v.cardInterface = event.cardInterface; break;
    case "pin-entry": v.digits = event.digits; break;
    case "online-request": {
      const a = event.authorisation;
      if (a.maskedPan !== undefined) checkMaskedPan(a.maskedPan);
      Object.assign(v, { cardInterface: a.cardInterface, maskedPan: a.maskedPan, envelope: a.envelope, emvData: a.emvData });
      if (a.pinBlock !== undefined) v.pinBlock = { block: a.pinBlock.block, ksn: a.pinBlock.ksn, format: a.pinBlock.format === 4 ? "iso4" : "iso0" };
      break;
    }
    case "outcome": {
      const o = event.outcome;
      if (o.maskedPan !== undefined) checkMaskedPan(o.maskedPan);
      Object.assign(v, { result: o.result, reason: o.reason, cardInterface: o.cardInterface, maskedPan: o.maskedPan, envelope: o.envelope, emvData: o.emvData });
      break;
    }
  }
  return encodeMessage(EVENT_CODE, 0, encodeFields(EVENT_FIELDS, v));
}

function need<T>(v: T | undefined, field: string, kind: string): T {
  if (v === undefined) throw new MessageError("message-malformed", `message: a ${kind} event without ${field}`);
  return v;
}

export function decodeEvent(m: MessageEnvelope): { transactionId: number; event: ReaderEvent } {
  if (m.type !== EVENT_CODE) throw new MessageError("message-type", `message: type ${m.type} is not an event`);
  const f = decodeFields(EVENT_FIELDS, m.body) as {
    transactionId: number; kind: ReaderEvent["kind"]; prompt?: string; cardInterface?: string; digits?: number; result?: string;
    reason?: string; maskedPan?: string; envelope?: FieldValues; pinBlock?: { block: Uint8Array; ksn: Uint8Array; format: string };
    emvData?: EmvItem[];
  };
  if (f.maskedPan !== undefined) checkMaskedPan(f.maskedPan);
  const envelope = f.envelope === undefined ? undefined : envelopeOf(f.envelope);
  let event: ReaderEvent;
  switch (f.kind) {
    case "prompt": event = { kind: "prompt", prompt: need(f.prompt, "prompt", f.kind) as never }; break;
    case "card-detected": event = { kind: "card-detected", cardInterface: need(f.cardInterface, "interface", f.kind) as never }; break;
    case "pin-entry": event = { kind: "pin-entry", digits: need(f.digits, "digits", f.kind) }; break;
    case "online-request": {
      const a: AuthorisationData = { cardInterface: need(f.cardInterface, "interface", f.kind) as never, emvData: f.emvData ?? [] };
      if (f.maskedPan !== undefined) a.maskedPan = f.maskedPan;
      if (envelope !== undefined) a.envelope = envelope;
      if (f.pinBlock !== undefined) a.pinBlock = { block: f.pinBlock.block, ksn: f.pinBlock.ksn, format: f.pinBlock.format === "iso4" ? 4 : 0 };
      event = { kind: "online-request", authorisation: a };
      break;
    }
    case "outcome": {
      const o: TransactionOutcome = { result: need(f.result, "result", f.kind) as never, emvData: f.emvData ?? [] };
      if (f.reason !== undefined) o.reason = f.reason as never;
      if (f.cardInterface !== undefined) o.cardInterface = f.cardInterface as never;
      if (f.maskedPan !== undefined) o.maskedPan = f.maskedPan;
      if (envelope !== undefined) o.envelope = envelope;
      event = { kind: "outcome", outcome: o };
      break;
    }
  }
  return { transactionId: f.transactionId, event };
}

function envelopeOf(v: FieldValues | P2peEnvelope): P2peEnvelope {
  const e = v as P2peEnvelope;
  const ksnBytes = e.scheme === "aes-dukpt" ? 12 : 10;
  if (e.ksn.length !== ksnBytes) throw new MessageError("message-field", `message: a ${e.scheme} KSN is ${ksnBytes} bytes`);
  return { scheme: e.scheme, ksn: e.ksn, ciphertext: e.ciphertext, mac: e.mac };
}

/**
 * A masked PAN shows at most its first six and last four digits (PCI DSS 3.4), the rest '*': a
 * value with more digits in clear is refused on both sides, so no PAN travels even by mistake.
 */
export function checkMaskedPan(s: string): void {
  if (!/^[0-9]{0,6}\*{2,15}[0-9]{4}$/.test(s) || s.length < 8 || s.length > 19) {
    throw new MessageError("message-field", "message: the masked PAN shows more than its first six and last four digits");
  }
}

/** A response that is only a status, for a request whose type or body could not be read. */
export function encodeStatusResponse(requestCode: number, id: number, status: StatusName): Uint8Array {
  return encodeMessage((requestCode | RESPONSE_BIT) & 0xff, id, encodeFields(STATUS_FIELDS, { status: STATUS[status] }));
}
