import type { OtaSlotState } from "../../hal/ota";
import type { ActivityLock } from "../firmware-update/activity-lock";
import type { FirmwareErrorCode } from "../firmware-update/errors";
import { PREAMBLE_LENGTH } from "../firmware-update/image-header";
import { UpdateService, type ReaderProgress, type UpdateReply, type UpdateServiceOptions } from "../firmware-update/update-service";
import { decodeFields, encodeFields, type FieldSpec } from "./fields";
import { DATA_HEADER_BYTES, FIRST_HEADER_BYTES } from "./frame";
import { frameBytesForMtu } from "./fragmenter";
import { encodeMessage, MESSAGE_HEADER_BYTES, type MessageEnvelope } from "./message";
import { MessageError } from "./errors";
import { PROTECTED_OVERHEAD } from "./record";
import type { StatusName } from "./status";
import { TAG } from "./tags";

// The firmware update messages (issue 13) in the reader-phone protocol: requests 30 to 34 and the
// progress event 41, with their fields, the statuses of a refused image, the reader's handlers'
// glue to the kernel's UpdateService, and the chunk size that fills the frames of an ATT_MTU.
//
//   30 firmware-status  -> state, running version and image hash, the transfer in progress
//   31 firmware-begin   header || signature (144 bytes) -> offset to send from, image length
//   32 firmware-chunk   offset, image bytes -> the next offset the reader expects
//   33 firmware-finish  -> the installed version; the reader restarts after the response
//   34 firmware-abort
//   41 event            firmware progress: phase, offset, length (to the phone that began)
//
// A refused step is a status (0x40 and up, status.ts), never an exception.

export interface FirmwareRequestBodies {
  "firmware-status": Record<string, never>;
  "firmware-begin": { preamble: Uint8Array };
  "firmware-chunk": { offset: number; data: Uint8Array };
  "firmware-finish": Record<string, never>;
  "firmware-abort": Record<string, never>;
}

export interface FirmwareStatusBody {
  state: OtaSlotState;
  firmwareVersion?: string;
  imageHash?: Uint8Array;
  /** The transfer in progress: next offset and image length. */
  transferOffset?: number;
  imageLength?: number;
}

export interface FirmwareResponseBodies {
  "firmware-status": FirmwareStatusBody;
  "firmware-begin": { offset: number; imageLength: number };
  "firmware-chunk": { offset: number };
  "firmware-finish": { firmwareVersion: string };
  "firmware-abort": Record<string, never>;
}

export type FirmwareRequestType = keyof FirmwareRequestBodies;

export const FIRMWARE_REQUEST_CODES: Readonly<Record<FirmwareRequestType, number>> = {
  "firmware-status": 0x30,
  "firmware-begin": 0x31,
  "firmware-chunk": 0x32,
  "firmware-finish": 0x33,
  "firmware-abort": 0x34,
};

/** The reader's progress event (not part of a transaction, so not EVENT_CODE's table). */
export const FIRMWARE_PROGRESS_CODE = 0x41;

/** The largest chunk a reader takes (UpdateService's default: ATT values are at most 512 bytes). */
export const MAX_FIRMWARE_CHUNK = 512;

const SLOT_STATES = { "empty": 0, "new": 1, "pending-verify": 2, "valid": 3, "invalid": 4 } as const;
const PHASES = { receiving: 1, verifying: 2, installing: 3 } as const;
const u4: FieldSpec["type"] = { t: "uint", bytes: 4 };

export const FIRMWARE_REQUEST_FIELDS: Readonly<Record<FirmwareRequestType, readonly FieldSpec[]>> = {
  "firmware-status": [],
  "firmware-begin": [{ name: "preamble", tag: TAG.firmwarePreamble, type: { t: "bytes", min: PREAMBLE_LENGTH, max: PREAMBLE_LENGTH } }],
  "firmware-chunk": [
    { name: "offset", tag: TAG.imageOffset, type: u4 },
    { name: "data", tag: TAG.imageChunk, type: { t: "bytes", min: 1, max: MAX_FIRMWARE_CHUNK } },
  ],
  "firmware-finish": [],
  "firmware-abort": [],
};

export const FIRMWARE_RESPONSE_FIELDS: Readonly<Record<FirmwareRequestType, readonly FieldSpec[]>> = {
  "firmware-status": [
    { name: "state", tag: TAG.slotState, type: { t: "enum", values: SLOT_STATES } },
    { name: "firmwareVersion", tag: TAG.firmwareVersion, type: { t: "text", min: 5, max: 17, charset: "ans" }, optional: true },
    { name: "imageHash", tag: TAG.imageHash, type: { t: "bytes", min: 32, max: 32 }, optional: true },
    { name: "transferOffset", tag: TAG.imageOffset, type: u4, optional: true },
    { name: "imageLength", tag: TAG.imageLength, type: u4, optional: true },
  ],
  "firmware-begin": [
    { name: "offset", tag: TAG.imageOffset, type: u4 },
    { name: "imageLength", tag: TAG.imageLength, type: u4 },
  ],
  "firmware-chunk": [{ name: "offset", tag: TAG.imageOffset, type: u4 }],
  "firmware-finish": [{ name: "firmwareVersion", tag: TAG.firmwareVersion, type: { t: "text", min: 5, max: 17, charset: "ans" } }],
  "firmware-abort": [],
};

const PROGRESS_FIELDS: readonly FieldSpec[] = [
  { name: "phase", tag: TAG.updatePhase, type: { t: "enum", values: PHASES } },
  { name: "offset", tag: TAG.imageOffset, type: u4 },
  { name: "total", tag: TAG.imageLength, type: u4 },
];

export function encodeFirmwareProgress(p: ReaderProgress): Uint8Array {
  return encodeMessage(FIRMWARE_PROGRESS_CODE, 0, encodeFields(PROGRESS_FIELDS, { ...p }));
}

export function decodeFirmwareProgress(m: MessageEnvelope): ReaderProgress {
  if (m.type !== FIRMWARE_PROGRESS_CODE) throw new MessageError("message-type", `message: type ${m.type} is not firmware progress`);
  return decodeFields(PROGRESS_FIELDS, m.body) as unknown as ReaderProgress;
}

// ---- statuses ----------------------------------------------------------------------------------

/** The status of each refusal the reader sends (fw-busy is the protocol's own "busy"). */
export const FIRMWARE_STATUS: Readonly<Partial<Record<FirmwareErrorCode, StatusName>>> = {
  "fw-header": "firmwareHeader",
  "fw-key": "firmwareKey",
  "fw-signature": "firmwareSignature",
  "fw-product": "firmwareProduct",
  "fw-hardware": "firmwareHardware",
  "fw-rollback": "firmwareRollback",
  "fw-too-large": "firmwareTooLarge",
  "fw-length": "firmwareLength",
  "fw-hash": "firmwareHash",
  "fw-offset": "firmwareOffset",
  "fw-state": "firmwareState",
  "fw-busy": "busy",
};

/** What the phone tells the app for each refusal (the reader sends only the status). */
const REFUSAL_MESSAGES: Readonly<Partial<Record<FirmwareErrorCode, string>>> = {
  "fw-header": "the reader refused the image: not a firmware image of this format",
  "fw-key": "the reader refused the image: signed by a key this reader does not trust",
  "fw-signature": "the reader refused the image: the signature does not verify",
  "fw-product": "the reader refused the image: it is for another product",
  "fw-hardware": "the reader refused the image: it is for another hardware revision",
  "fw-rollback": "the reader refused the image: the version is older than this reader allows",
  "fw-too-large": "the reader refused the image: it does not fit the reader's flash",
  "fw-length": "the reader refused the image: fewer or more bytes than its header announces",
  "fw-hash": "the reader refused the image: the bytes it received do not match the signed hash",
  "fw-offset": "the reader refused a chunk: wrong offset or size",
  "fw-state": "the reader refused the step: out of order (begin first, finish after the last byte)",
  "fw-busy": "the reader is busy with a transaction: update after it",
};

/** The refusal a status stands for, or undefined for a status that is not a firmware refusal. */
export function firmwareRefusalOf(status: StatusName): { code: FirmwareErrorCode; message: string } | undefined {
  for (const code of Object.keys(FIRMWARE_STATUS) as FirmwareErrorCode[]) {
    if (FIRMWARE_STATUS[code] === status) return { code, message: REFUSAL_MESSAGES[code] ?? `the reader refused: ${status}` };
  }
  return undefined;
}

// ---- chunk size --------------------------------------------------------------------------------

/** The bytes a firmware-chunk message adds to its image bytes, for a chunk of `n` bytes. */
export function chunkMessageOverhead(n: number): number {
  const tlvLength = (len: number) => (len < 0x80 ? 1 : len < 0x100 ? 2 : 3); // ISO/IEC 8825-1, 8.1.3
  const offsetField = 3 + 1 + 4;
  const dataField = 3 + tlvLength(n);
  return PROTECTED_OVERHEAD + MESSAGE_HEADER_BYTES + offsetField + dataField;
}

/** How a chunk fills the frames of an ATT_MTU. */
export interface ChunkLayout {
  /** Image bytes per chunk. */
  chunkBytes: number;
  /** Frames (writes) per chunk. */
  frames: number;
  /** Bytes of all the chunk's frames (ATT values). */
  frameBytes: number;
  /** Bytes of the reader's response frame (the ack). */
  ackBytes: number;
}

/**
 * The chunk size for an ATT_MTU: as many image bytes as one frame carries with its message, when
 * that is at least 128; otherwise (ATT_MTU 23: 20-byte frames) a whole number of frames, as many
 * as keep the chunk within the reader's 512 bytes, so the protocol's 40-odd bytes of headers are
 * paid once per chunk and not per frame.
 */
export function firmwareChunkLayout(attMtu: number): ChunkLayout {
  const frame = frameBytesForMtu(attMtu);
  const carried = (frames: number) => frame - FIRST_HEADER_BYTES + (frames - 1) * (frame - DATA_HEADER_BYTES);
  const chunkIn = (frames: number) => {
    let n = carried(frames) - chunkMessageOverhead(0x80);
    if (n >= 0x100) n = carried(frames) - chunkMessageOverhead(0x100);
    if (n < 0x80) n = carried(frames) - chunkMessageOverhead(0);
    return Math.min(n, MAX_FIRMWARE_CHUNK);
  };
  let frames = 1;
  if (chunkIn(1) < 128) {
    while (chunkIn(frames + 1) <= MAX_FIRMWARE_CHUNK && carried(frames + 1) - chunkMessageOverhead(0x100) < MAX_FIRMWARE_CHUNK) frames++;
  }
  const chunkBytes = chunkIn(frames);
  const message = chunkBytes + chunkMessageOverhead(chunkBytes);
  const frameBytes = message + FIRST_HEADER_BYTES + (frames - 1) * DATA_HEADER_BYTES;
  // The ack: status (3 + 1 + 1) and offset (3 + 1 + 4) in a protected record, one frame.
  const ackBytes = FIRST_HEADER_BYTES + PROTECTED_OVERHEAD + MESSAGE_HEADER_BYTES + 5 + 8;
  return { chunkBytes, frames, frameBytes, ackBytes };
}

// ---- the reader's side -------------------------------------------------------------------------

/** What the update handlers see of the connection that sent the request. */
export interface FirmwareUpdateConnection {
  readonly endpoint: FirmwareUpdateEndpoint;
  /** Identifies the connection (its session object). */
  readonly owner: object;
  /** Sends a message to this phone in a protected record. */
  send(message: Uint8Array): Promise<boolean>;
}

export interface FirmwareUpdateEndpointOptions extends Omit<UpdateServiceOptions, "onProgress" | "lock"> {
  /** Shared with the transaction engine; the reader service checks it before a transaction starts. */
  lock: ActivityLock;
  /** Restarts the reader (after the install response went out). */
  restart(): void;
}

/**
 * The reader's firmware update behind the protocol: one UpdateService, the connection that began the
 * transfer (its progress events go there; its disconnection suspends the transfer).
 */
export class FirmwareUpdateEndpoint {
  readonly service: UpdateService;
  readonly lock: ActivityLock;
  private owner: FirmwareUpdateConnection | null = null;

  constructor(private readonly options: FirmwareUpdateEndpointOptions) {
    this.lock = options.lock;
    this.service = new UpdateService({ ...options, onProgress: (p) => this.progress(p) });
  }

  /** True while an update holds the reader: no transaction may start. */
  get active(): boolean {
    return this.lock.current === "firmware-update";
  }

  /** The handlers' view for one connection. */
  forConnection(owner: object, send: (message: Uint8Array) => Promise<boolean>): FirmwareUpdateConnection {
    return { endpoint: this, owner, send };
  }

  /** The connection ended: a transfer it began is suspended (resumable). */
  disconnected(owner: object): void {
    if (this.owner !== null && this.owner.owner === owner) {
      this.owner = null;
      this.service.disconnected().catch(() => undefined);
    }
  }

  claim(connection: FirmwareUpdateConnection): void {
    this.owner = connection;
  }

  restart(): void {
    this.options.restart();
  }

  private progress(p: ReaderProgress): void {
    this.owner?.send(encodeFirmwareProgress(p)).catch(() => undefined);
  }
}

/** The handler's result for a reply of the kernel's UpdateService. */
export function statusOfReply(reply: UpdateReply): StatusName {
  if (reply.kind !== "refused") return "ok";
  return FIRMWARE_STATUS[reply.code] ?? "internalError";
}

