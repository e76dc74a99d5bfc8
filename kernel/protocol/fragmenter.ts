import { FramingError } from "./errors";
import { DATA_HEADER_BYTES, encodeDataFrame, FIRST_HEADER_BYTES } from "./frame";
import { ATT_MTU_LIMIT, DEFAULT_ATT_MTU, framePayloadBytes } from "./gatt-service";

// Splitting one message into data frames of at most ATT_MTU - 3 bytes (docs/protocol.md, "Framing").

/** The longest message either side sends or accepts (a signed configuration with CA keys fits). */
export const MAX_MESSAGE_BYTES = 4096;

/** Fragment indexes are one byte. */
export const MAX_FRAGMENTS = 256;

/** The frame size of an ATT_MTU, checked: 20 bytes at 23, 244 at 247. */
export function frameBytesForMtu(attMtu: number): number {
  if (!Number.isInteger(attMtu) || attMtu < DEFAULT_ATT_MTU || attMtu > ATT_MTU_LIMIT) {
    throw new FramingError("frame-mtu", `framing: ATT_MTU ${attMtu} is outside ${DEFAULT_ATT_MTU} to ${ATT_MTU_LIMIT}`);
  }
  return framePayloadBytes(attMtu);
}

/** The longest message that 256 fragments of `frameBytes` carry, capped at MAX_MESSAGE_BYTES. */
export function maxMessageBytes(frameBytes: number): number {
  const carried = frameBytes - FIRST_HEADER_BYTES + (MAX_FRAGMENTS - 1) * (frameBytes - DATA_HEADER_BYTES);
  return Math.min(MAX_MESSAGE_BYTES, carried);
}

/** How many frames a message of `length` bytes takes at `frameBytes`. */
export function fragmentCount(length: number, frameBytes: number): number {
  const first = frameBytes - FIRST_HEADER_BYTES;
  if (length <= first) return 1;
  return 1 + Math.ceil((length - first) / (frameBytes - DATA_HEADER_BYTES));
}

/** Checks that a message can go out in frames of `frameBytes`: "frame-mtu", "frame-length", "frame-too-large". */
export function checkFragmentable(bytes: Uint8Array, frameBytes: number): void {
  if (!Number.isInteger(frameBytes) || frameBytes < framePayloadBytes(DEFAULT_ATT_MTU)) {
    throw new FramingError("frame-mtu", `framing: frames of ${frameBytes} bytes are below the ATT minimum`);
  }
  if (bytes.length === 0) throw new FramingError("frame-length", "framing: an empty message");
  const limit = maxMessageBytes(frameBytes);
  if (bytes.length > limit) throw new FramingError("frame-too-large", `framing: a message of ${bytes.length} bytes is over the limit of ${limit}`);
}

/** Where fragment `index` of a message ends when it starts at `offset` (the next fragment's offset). */
export function fragmentEnd(bytes: Uint8Array, frameBytes: number, offset: number, index: number): number {
  const room = frameBytes - (index === 0 ? FIRST_HEADER_BYTES : DATA_HEADER_BYTES);
  return Math.min(bytes.length, offset + room);
}

/**
 * Fragment `index` of a checked message (checkFragmentable), from `offset` to `end` (fragmentEnd):
 * a sender makes each frame as it goes out, so a message waiting for credit holds no frames.
 */
export function fragmentAt(message: number, bytes: Uint8Array, offset: number, end: number, index: number): Uint8Array {
  return encodeDataFrame(message, index, index === 0, end === bytes.length, bytes.length, bytes.subarray(offset, end));
}

/** The data frames of one message, in order. */
export function fragmentMessage(message: number, bytes: Uint8Array, frameBytes: number): Uint8Array[] {
  checkFragmentable(bytes, frameBytes);
  const frames: Uint8Array[] = [];
  for (let offset = 0, index = 0; offset < bytes.length; index++) {
    const end = fragmentEnd(bytes, frameBytes, offset, index);
    frames.push(fragmentAt(message, bytes, offset, end, index));
    offset = end;
  }
  return frames;
}
