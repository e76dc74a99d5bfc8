// The reader-phone protocol over Bluetooth LE (docs/protocol.md): the GATT service, framing and
// flow control, messages (BER-TLV), the secure session and pairing, and the reader's service.

export * from "./errors";
export { STATUS, statusName, type StatusName, type StatusCode } from "./status";
export * from "./gatt-service";
export { decodeFrame, encodeDataFrame, encodeCreditFrame, encodeAbortFrame, ABORT_REASONS, type Frame, type AbortReason } from "./frame";
export { fragmentMessage, fragmentCount, frameBytesForMtu, maxMessageBytes, MAX_MESSAGE_BYTES } from "./fragmenter";
export { Reassembler, type ReceiveResult } from "./reassembler";
export { FrameLink, INITIAL_CREDITS, CREDIT_BATCH, DEFAULT_MAX_QUEUED_MESSAGES, type FrameLinkOptions, type LinkStats, type SendDone } from "./frame-link";
export { TAG } from "./tags";
export type { EmvItem, FieldSpec } from "./fields";
export * from "./message-types";
export { PROTOCOL_VERSION, SUPPORTED_VERSIONS, encodeMessage, decodeMessage } from "./message";
export {
  encodeRequest, decodeRequest, encodeResponse, decodeResponse, encodeEvent, decodeEvent, encodeStatusResponse, checkMaskedPan,
  type DecodedRequest, type DecodedResponse,
} from "./messages";
export { EVENT_CODE, HELLO_CODE, HELLO_REPLY_CODE, REQUEST_CODES, RESPONSE_BIT } from "./message-schemas";
export { softwareSessionCrypto, type SessionCrypto, type KeyPair } from "./session-crypto";
export * from "./certificate";
export * from "./handshake";
export * from "./record";
export * from "./pairing";
export { MemoryBondStore, MAX_BONDS, type Bond, type BondStore } from "./bonds";
export * from "./configuration";
export { encodeDeviceInfo, decodeDeviceInfo, type PublicDeviceInfo } from "./device-info";
export type { PaymentEngine, TransactionContext, OnlineAnswer, ProgressEvent } from "./payment-engine";
export { ReaderSession, softwareIdentity, MAX_HANDSHAKES_PER_CONNECTION, type ReaderIdentity } from "./reader-session";
export { ReaderConnection, MAX_QUEUED_MESSAGES } from "./reader-connection";
export { ReaderService, type ReaderServiceOptions, type ReaderDisplay, type ReaderServiceDiagnostics } from "./reader-service";
export { handleRequest, statusOfError, type HandlerContext, type PairingState } from "./request-handlers";
export {
  FirmwareUpdateEndpoint, FIRMWARE_PROGRESS_CODE, FIRMWARE_REQUEST_CODES, firmwareChunkLayout, firmwareRefusalOf, decodeFirmwareProgress,
  encodeFirmwareProgress, type FirmwareUpdateEndpointOptions, type FirmwareRequestBodies, type FirmwareResponseBodies, type ChunkLayout,
} from "./firmware-messages";
