// Firmware update services (issue 13), the same on Node and on the XS engine: image verification,
// header decoding, the transfer-time model, and a whole update of a simulated reader (flash, update
// service, transfer, restart, boot confirmation) run inside the engine, with an optional power cut
// or dropped link. Bytes are uppercase hex both ways.
import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import {
  decodeImageHeader, FirmwareUpdateError, formatVersion, HEADER_LENGTH, modelTransferTime, PREAMBLE_LENGTH,
  splitSignedImage, transferFirmware, verifySignedImage, versionCounter, type ImageHeader, type TransferTime,
} from "../../../kernel/firmware-update";
import { SimulatedOta } from "../../flash/simulated-ota";
import { SimulatedUpdateReader } from "../../flash/update-reader";

function hexField(field: string, value: unknown): Uint8Array {
  if (typeof value !== "string") throw new InputError("firmware-request", `${field}: expected hex`);
  try {
    return fromHex(value);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.code, `${field}: ${e.message}`);
    throw e;
  }
}

function request(args: unknown, service: string): Record<string, unknown> {
  if (args === null || typeof args !== "object") throw new InputError("firmware-request", `${service}: expected an object`);
  return args as Record<string, unknown>;
}

export interface HeaderJson {
  product: string;
  hardwareRevision: number;
  version: string;
  imageLength: number;
  imageHash: string;
  keyId: string;
}

function headerJson(h: ImageHeader): HeaderJson {
  return {
    product: h.product, hardwareRevision: h.hardwareRevision, version: formatVersion(h.version),
    imageLength: h.imageLength, imageHash: toHex(h.imageHash), keyId: toHex(h.keyId),
  };
}

/** `{ valid: true, header }` or `{ valid: false, code, reason }` for a signed image under a public key. */
export function verifyImageHex(args: unknown): { valid: true; header: HeaderJson } | { valid: false; code: string; reason: string } {
  const r = request(args, "firmware.verify");
  const image = hexField("image", r.image);
  const publicKey = hexField("publicKey", r.publicKey);
  try {
    return { valid: true, header: headerJson(verifySignedImage(image, publicKey)) };
  } catch (e) {
    if (!(e instanceof FirmwareUpdateError)) throw e;
    return { valid: false, code: e.code, reason: e.message };
  }
}

/** The header fields of a signed image (structure only, not verified). */
export function decodeHeaderHex(args: unknown): HeaderJson {
  const r = request(args, "firmware.decodeHeader");
  const bytes = hexField("image", r.image);
  return headerJson(decodeImageHeader(splitSignedImage(bytes).preamble.subarray(0, HEADER_LENGTH)));
}

export interface SimulatedUpdateRequest {
  /** The signed factory image in slot 0 (its version is the initial anti-rollback counter). */
  factory: string;
  /** The signed image to install. */
  image: string;
  publicKey: string;
  product: string;
  hardwareRevision: number;
  chunkBytes: number;
  sectorBytes?: number;
  slotBytes?: number;
  /** Cut the power at this persistent operation of the update (0: the first after power-on). */
  powerCutAt?: number;
  /** Drop every connection after this many requests. */
  dropAfterRequests?: number;
  /** Versions whose self-tests fail at boot. */
  failingVersions?: string[];
}

export interface SimulatedUpdateResult {
  outcome: "applied" | "refused";
  code: string | null;
  version: string | null;
  chunks: number;
  resumes: number;
  /** What the reader runs at the end, its slot states and anti-rollback counter. */
  running: { slot: number; version: string | null; states: string[]; counter: number };
}

/** A whole update of a simulated reader, inside the engine this runs on. */
export async function simulateUpdate(args: unknown): Promise<SimulatedUpdateResult> {
  const r = request(args, "firmware.simulateUpdate") as unknown as SimulatedUpdateRequest;
  const factory = splitSignedImage(hexField("factory", r.factory));
  const signed = hexField("image", r.image);
  const publicKey = hexField("publicKey", r.publicKey);
  const factoryHeader = decodeImageHeader(factory.preamble.subarray(0, HEADER_LENGTH));
  const ota = new SimulatedOta({
    slotBytes: r.slotBytes ?? 256 * 1024,
    sectorBytes: r.sectorBytes ?? 4096,
    factory: { image: factory.image, descriptor: factory.preamble },
    rollbackCounter: versionCounter(factoryHeader.version),
  });
  const failing = Array.isArray(r.failingVersions) ? r.failingVersions : [];
  const reader = new SimulatedUpdateReader({
    ota, publicKey, product: r.product, hardwareRevision: r.hardwareRevision,
    selfTest: (version) => (version !== null && failing.indexOf(version) >= 0 ? ["simulated failure"] : []),
  });
  await reader.powerOn();
  if (typeof r.powerCutAt === "number") ota.power.armCut(r.powerCutAt);
  let outcome: SimulatedUpdateResult["outcome"] = "applied";
  let code: string | null = null;
  let chunks = 0;
  let resumes = 0;
  try {
    const result = await transferFirmware(signed, {
      connect: async () => {
        // The merchant switches a reader that lost power back on.
        if (!reader.running) await reader.powerOn();
        return reader.connect(r.dropAfterRequests === undefined ? {} : { dropAfterRequests: r.dropAfterRequests });
      },
      chunkBytes: r.chunkBytes,
      maxReconnects: 1_000_000,
    });
    chunks = result.chunks;
    resumes = result.resumes;
  } catch (e) {
    if (!(e instanceof FirmwareUpdateError)) throw e;
    outcome = "refused";
    code = e.code;
  }
  if (!reader.running) await reader.powerOn();
  const slot = ota.running();
  const descriptor = await ota.descriptor(slot);
  const snapshot = ota.snapshot();
  return {
    outcome, code,
    version: outcome === "applied" ? formatVersion(decodeImageHeader(signed.subarray(0, HEADER_LENGTH)).version) : null,
    chunks, resumes,
    running: {
      slot,
      version: descriptor !== null && descriptor.length === PREAMBLE_LENGTH
        ? formatVersion(decodeImageHeader(descriptor.subarray(0, HEADER_LENGTH)).version) : null,
      states: snapshot.states.slice(),
      counter: snapshot.counter,
    },
  };
}

export const firmwareUpdateServices: Record<string, (args: any) => unknown> = {
  "firmware.verify": (args: unknown) => verifyImageHex(args),
  "firmware.decodeHeader": (args: unknown) => decodeHeaderHex(args),
  "firmware.modelTransferTime": (args: unknown): TransferTime => {
    const r = request(args, "firmware.modelTransferTime");
    return modelTransferTime({ bytes: r.bytes as number, mtu: r.mtu as number });
  },
  "firmware.simulateUpdate": (args: unknown) => simulateUpdate(args),
};
