import { decodeTlv, type Tlv } from "../tlv";
import { MessageError } from "./errors";

// The message layer's envelope (docs/protocol.md, "Messages"): every message, in a handshake record
// or inside a protected one, is
//
//   byte 0  protocol version (1)
//   byte 1  message type (requests 01-3F, their responses + 80, 40 event, 20/A0 hello and reply)
//   byte 2  request id, chosen by the phone and echoed in the response (0 in events)
//   then    the body: BER-TLV fields (EMV Book 3, Annex B)

export const PROTOCOL_VERSION = 1;
/** The versions this build speaks, oldest first. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];
export const MESSAGE_HEADER_BYTES = 3;

export interface MessageEnvelope {
  version: number;
  type: number;
  id: number;
  body: Tlv[];
}

export function encodeMessage(type: number, id: number, body: Uint8Array): Uint8Array {
  if (!Number.isInteger(id) || id < 0 || id > 255) throw new MessageError("message-field", `message: request id ${id} is not 0 to 255`);
  const out = new Uint8Array(MESSAGE_HEADER_BYTES + body.length);
  out[0] = PROTOCOL_VERSION;
  out[1] = type;
  out[2] = id;
  out.set(body, MESSAGE_HEADER_BYTES);
  return out;
}

/** The header and the decoded body; a body that is not BER-TLV is "message-malformed". */
export function decodeMessage(bytes: Uint8Array): MessageEnvelope {
  if (!(bytes instanceof Uint8Array) || bytes.length < MESSAGE_HEADER_BYTES) {
    throw new MessageError("message-malformed", "message: shorter than its 3-byte header");
  }
  const version = bytes[0];
  if (SUPPORTED_VERSIONS.indexOf(version) < 0) throw new MessageError("message-version", `message: protocol version ${version} is not supported`);
  let body: Tlv[];
  try {
    body = decodeTlv(bytes.subarray(MESSAGE_HEADER_BYTES), { ffPadding: false });
  } catch {
    throw new MessageError("message-malformed", "message: the body is not BER-TLV");
  }
  return { version, type: bytes[1], id: bytes[2], body };
}
