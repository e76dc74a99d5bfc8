import { MposError } from "../errors";

// Typed errors of the reader-phone protocol. Every message names a field, a length, a number or a
// rule, never the bytes of a message: a message may carry a masked PAN, a KSN or a key share.

/**
 * A GATT frame or a reassembled message that breaks the framing rules (docs/protocol.md, "Framing").
 * Codes: "frame-malformed" (header too short, bad version, reserved bits), "frame-sequence" (loss,
 * reordering), "frame-length" (the fragments disagree with the announced length), "frame-too-large"
 * (a message longer than the peer accepts), "frame-aborted" (the peer dropped our message),
 * "frame-closed" (the connection ended before the message went out), "frame-mtu" (an MTU outside
 * 23 to 517), "frame-backlog" (the sender's outbox is full: the peer stopped taking messages).
 */
export type FramingErrorCode =
  | "frame-malformed"
  | "frame-sequence"
  | "frame-length"
  | "frame-too-large"
  | "frame-aborted"
  | "frame-closed"
  | "frame-mtu"
  | "frame-backlog";

export class FramingError extends MposError {
  constructor(code: FramingErrorCode, message: string) {
    super(code, message);
    this.name = "FramingError";
  }
}

/**
 * A protocol message that does not decode, or a field out of its range. Codes: "message-malformed"
 * (not a message: header, BER-TLV, a missing or repeated field), "message-version" (a protocol
 * version this side does not speak), "message-type" (an unknown message type), "message-field" (a
 * field of the wrong length or out of range).
 */
export type MessageErrorCode = "message-malformed" | "message-version" | "message-type" | "message-field";

export class MessageError extends MposError {
  constructor(code: MessageErrorCode, message: string) {
    super(code, message);
    this.name = "MessageError";
  }
}

/**
 * The secure session refused a record or a handshake. Codes: "session-replay" (a record counter that
 * is not newer than the last one accepted), "session-decrypt" (AES-GCM authentication failed),
 * "session-state" (a record or handshake message out of place), "session-certificate" (the reader's
 * certificate does not verify against the fleet CA), "session-signature" (the handshake signature
 * does not verify), "session-key" (a public key that is not a point of P-256), "session-exhausted"
 * (the record counter reached its end: hand-shake again), "session-limit" (too many handshakes on one
 * connection).
 */
export type SessionErrorCode =
  | "session-replay"
  | "session-decrypt"
  | "session-state"
  | "session-certificate"
  | "session-signature"
  | "session-key"
  | "session-exhausted"
  | "session-limit";

export class SessionError extends MposError {
  constructor(code: SessionErrorCode, message: string) {
    super(code, message);
    this.name = "SessionError";
  }
}

/**
 * A configuration that must not be installed. Codes: "config-signature" (not signed by a trusted
 * fleet key), "config-malformed" (the payload does not decode), "config-checksum" (a CA public key
 * whose checksum is wrong, EMV Book 2, 11.2.2).
 */
export class ConfigurationError extends MposError {
  constructor(code: "config-signature" | "config-malformed" | "config-checksum", message: string) {
    super(code, message);
    this.name = "ConfigurationError";
  }
}
