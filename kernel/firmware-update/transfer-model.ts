import { firmwareChunkLayout, type ChunkLayout } from "../protocol/firmware-messages";
import { FirmwareUpdateError } from "./errors";

// A model of the time a firmware transfer takes over BLE (issue 13, the bench figure): the
// protocol's frames for each chunk (kernel/protocol/firmware-messages.ts: frame, record and message
// headers), link-layer airtime per packet, packets per connection event, and the reader's flash,
// which programs one sector while the link brings the next. Pure arithmetic over stated
// assumptions; nothing here is measured.
//
// The frames go as ATT Write Commands (write without response, Core v5.3 Vol 3 Part F 3.4.5.3),
// paced by the protocol's credits and the phone's window of chunks in flight (no ATT Write Request
// waits for its response PDU). The reader's answers (an ack per chunk, a credit frame per 4 frames)
// take the reader's packets of the connection events. Three limits, the tightest wins:
// - airtime: packet exchanges per event (both PDUs, two T_IFS), at most maxPacketsPerEvent;
// - the phone's window of chunks, and the protocol's credits (frames), per round trip: an answer
//   comes back one connection event after its request, and the phone's next write goes out in the
//   event after that, so a round trip is two events;
// - flash: the ESP32 stalls its CPU while it erases or programs (the cache is off), so the reader
//   takes no message meanwhile and the flash time adds to the link time.

export interface BleLinkAssumptions {
  /** The PHY: "2M" (Core v5.3 Vol 6 Part A 3.2: 2 Msym/s) or "1M". */
  phy: "1M" | "2M";
  /** Connection interval in ms. 15 ms: the shortest iOS grants an accessory (Apple Accessory Design Guidelines, BLE connection parameters). */
  connectionIntervalMs: number;
  /** The most packet exchanges the phone's controller makes in one connection event (a conservative cap; phones vary). */
  maxPacketsPerEvent: number;
  /** Largest LL data PDU payload: 251 with the Data Length Extension (Vol 6 Part B 4.5.10), 27 without. */
  llMaxPayloadBytes: number;
  /** The link is encrypted (it is: LE Secure Connections), so each non-empty PDU carries a 4-byte MIC (Vol 6 Part B 2.4). */
  encrypted: boolean;
  /** Flash: 4 KB sector erase and 256-byte page program times, typical SPI NOR (e.g. Winbond W25Q32JV: 45 ms, 0.4 ms). */
  sectorEraseMs: number;
  pageProgramMs: number;
  sectorBytes: number;
  pageBytes: number;
  /** Request-response exchanges outside the chunk stream (status, begin, finish). */
  roundTrips: number;
  /** Chunks the phone keeps in flight (client/firmware-update.ts; the reader queues at most 8 messages). */
  windowChunks: number;
  /** Frames the phone may send before credit returns (kernel/protocol/frame-link.ts INITIAL_CREDITS). */
  creditFrames: number;
  /** Connection events from a request to the next request it allows. */
  roundTripEvents: number;
}

export const DEFAULT_BLE_LINK: Readonly<BleLinkAssumptions> = {
  phy: "2M",
  connectionIntervalMs: 15,
  maxPacketsPerEvent: 6,
  llMaxPayloadBytes: 251,
  encrypted: true,
  sectorEraseMs: 45,
  pageProgramMs: 0.4,
  sectorBytes: 4096,
  pageBytes: 256,
  roundTrips: 3,
  windowChunks: 6,
  creditFrames: 8,
  roundTripEvents: 2,
};

/** Inter frame space between two packets of one event (Vol 6 Part B 4.1.1). */
const T_IFS_US = 150;
/** ATT Write Command / Handle Value Notification header: opcode 1, handle 2 (Vol 3 Part F 3.4.5.3, 3.4.7.1). */
const ATT_HEADER = 3;
/** L2CAP basic header: length 2, channel id 2 (Vol 3 Part A 3.1). */
const L2CAP_HEADER = 4;
/** The protocol returns credit after this many frames (kernel/protocol/frame-link.ts CREDIT_BATCH); a credit frame is 3 bytes. */
const FRAMES_PER_CREDIT = 4;
const CREDIT_FRAME_BYTES = 3;

export interface TransferTime {
  /** The modeled end-to-end transfer time: the chunk stream, the flash, and the other round trips. */
  ms: number;
  /** The chunk stream alone on the link. */
  linkMs: number;
  /** Erasing and programming every sector. */
  flashMs: number;
  /** Image bytes per chunk, and GATT frames per chunk. */
  chunkBytes: number;
  framesPerChunk: number;
  chunks: number;
  /** Packet exchanges (phone PDU + reader PDU) per connection event. */
  exchangesPerEvent: number;
  /** Chunks per connection event, and which limit set it. */
  chunksPerEvent: number;
  limitedBy: "airtime" | "window" | "credits";
  /** Goodput of image bytes, in kB/s (1000 bytes). */
  kBps: number;
  assumptions: BleLinkAssumptions;
}

/**
 * Airtime of one LL data PDU in microseconds (Vol 6 Part B 2.1): preamble (1 octet on 1M, 2 on 2M),
 * access address 4, header 2, payload, MIC, CRC 3; 1 us a bit on 1M, 0.5 us on 2M.
 */
export function pduAirtimeUs(payloadBytes: number, phy: "1M" | "2M", mic: boolean): number {
  const preamble = phy === "2M" ? 2 : 1;
  const octets = preamble + 4 + 2 + payloadBytes + (mic && payloadBytes > 0 ? 4 : 0) + 3;
  return (octets * 8) / (phy === "2M" ? 2 : 1);
}

/** The LL PDU payloads of one ATT value of `valueBytes` (one L2CAP frame, cut to llMaxPayloadBytes). */
function pduPayloads(valueBytes: number, llMax: number): number[] {
  let rest = valueBytes + ATT_HEADER + L2CAP_HEADER;
  const out: number[] = [];
  while (rest > 0) {
    out.push(Math.min(rest, llMax));
    rest -= llMax;
  }
  return out;
}

/** The chunk layout of an ATT_MTU, with the range checked (a fw-field error outside 23 to 517). */
export function chunkLayoutForMtu(mtu: number): ChunkLayout {
  if (!Number.isInteger(mtu) || mtu < 23 || mtu > 517) {
    throw new FirmwareUpdateError("fw-field", "mtu: 23 to 517 (Core v5.3 Vol 3 Part F 3.2.8, 3.2.9)");
  }
  return firmwareChunkLayout(mtu);
}

/** Image bytes in one chunk at an ATT_MTU (the protocol's layout). */
export function chunkBytesForMtu(mtu: number): number {
  return chunkLayoutForMtu(mtu).chunkBytes;
}

/**
 * The modeled time to send `bytes` of image at `mtu`. `chunks` overrides the count of chunks (a
 * session that resent some); `assumptions` overrides the defaults one by one.
 */
export function modelTransferTime(request: {
  bytes: number;
  mtu: number;
  chunks?: number;
  assumptions?: Partial<BleLinkAssumptions>;
}): TransferTime {
  const a: BleLinkAssumptions = { ...DEFAULT_BLE_LINK, ...(request.assumptions ?? {}) };
  const { bytes, mtu } = request;
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new FirmwareUpdateError("fw-field", "bytes: a non-negative integer");
  const layout = chunkLayoutForMtu(mtu);
  const chunks = request.chunks ?? Math.ceil(bytes / layout.chunkBytes);

  // The phone's PDUs for one chunk: its frames, each full but the last.
  const frameMax = mtu - ATT_HEADER;
  const phonePdus: number[] = [];
  for (let f = 0; f < layout.frames; f++) {
    const value = f < layout.frames - 1 ? frameMax : layout.frameBytes - (layout.frames - 1) * frameMax;
    phonePdus.push(...pduPayloads(value, a.llMaxPayloadBytes));
  }
  // The reader's PDUs: the ack, and a credit frame every 4 frames (on average per chunk).
  const ackPdus = pduPayloads(layout.ackBytes, a.llMaxPayloadBytes);
  const creditPdus = layout.frames / FRAMES_PER_CREDIT;
  const readerCount = ackPdus.length + creditPdus;
  const exchanges = Math.max(phonePdus.length, readerCount);
  let chunkUs = 2 * T_IFS_US * exchanges;
  for (const p of phonePdus) chunkUs += pduAirtimeUs(p, a.phy, a.encrypted);
  for (const p of ackPdus) chunkUs += pduAirtimeUs(p, a.phy, a.encrypted);
  chunkUs += creditPdus * pduAirtimeUs(CREDIT_FRAME_BYTES + ATT_HEADER + L2CAP_HEADER, a.phy, a.encrypted);
  // Exchanges where one side has nothing to say carry an empty PDU.
  chunkUs += (exchanges - phonePdus.length + exchanges - readerCount) * pduAirtimeUs(0, a.phy, a.encrypted);
  const exchangeUs = chunkUs / exchanges;
  const byAirtime = Math.floor((a.connectionIntervalMs * 1000) / exchangeUs);
  const exchangesPerEvent = Math.max(1, Math.min(a.maxPacketsPerEvent, byAirtime));
  const limits: [TransferTime["limitedBy"], number][] = [
    ["airtime", exchangesPerEvent / exchanges],
    ["window", a.windowChunks / a.roundTripEvents],
    ["credits", a.creditFrames / a.roundTripEvents / layout.frames],
  ];
  limits.sort((x, y) => x[1] - y[1]);
  const [limitedBy, chunksPerEvent] = limits[0];
  const linkMs = (chunks / chunksPerEvent) * a.connectionIntervalMs;

  const sectors = Math.ceil(bytes / a.sectorBytes);
  const pages = Math.ceil(a.sectorBytes / a.pageBytes);
  const flashMs = sectors * (a.sectorEraseMs + pages * a.pageProgramMs);
  const ms = linkMs + flashMs + a.roundTrips * a.roundTripEvents * a.connectionIntervalMs;
  return {
    ms: Math.round(ms),
    linkMs: Math.round(linkMs),
    flashMs: Math.round(flashMs),
    chunkBytes: layout.chunkBytes,
    framesPerChunk: layout.frames,
    chunks,
    exchangesPerEvent,
    chunksPerEvent: Math.round(chunksPerEvent * 100) / 100,
    limitedBy,
    kBps: ms > 0 ? Math.round(bytes / ms) : 0,
    assumptions: a,
  };
}
