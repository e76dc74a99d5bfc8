import { parseVersion, PREAMBLE_LENGTH } from "../../kernel/firmware-update";
import { SimulatedOta } from "../../host-sim/flash/simulated-ota";
import { SimulatedUpdateReader, type UpdateReaderOptions } from "../../host-sim/flash/update-reader";
import { loadTestKeyPair } from "../../host-sim/firmware/test-keys";
import { signImage, SIMULATED_READER, type ImageFields } from "../../host-sim/firmware/signing";
import { versionCounter } from "../../kernel/firmware-update";

// Shared fixtures of the firmware update tests: the repository's TEST key pair, images of
// deterministic bytes, and small simulated readers (1 KB sectors keep a power-cut sweep short).

export const testKeys = loadTestKeyPair();
export const PRODUCT = SIMULATED_READER.product;
export const HW_REV = SIMULATED_READER.hardwareRevision;

export function imageBytes(length: number, seed = 1): Uint8Array {
  const b = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

export function fields(version: string, overrides: Partial<ImageFields> = {}): ImageFields {
  return { product: PRODUCT, hardwareRevision: HW_REV, version: parseVersion(version), ...overrides };
}

/** A signed image of `length` bytes by the test key (or `secretKey`). */
export function signed(version: string, length = 5000, options: { seed?: number; secretKey?: Uint8Array } & Partial<ImageFields> = {}): Uint8Array {
  const { seed, secretKey, ...rest } = options;
  const versionSeed = version.split("").reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), length);
  return signImage(imageBytes(length, seed ?? versionSeed), fields(version, rest), secretKey ?? testKeys.secretKey);
}

export interface ReaderSetup {
  sectorBytes?: number;
  slotBytes?: number;
  factoryVersion?: string;
  selfTest?: UpdateReaderOptions["selfTest"];
  publicKey?: Uint8Array;
  onProgress?: UpdateReaderOptions["onProgress"];
}

/** The flash of a reader fresh from the factory: version 1.0.0 (by default) in slot 0, the counter at that version. */
export function newOta(setup: ReaderSetup = {}): SimulatedOta {
  const version = setup.factoryVersion ?? "1.0.0";
  const factory = signed(version, 3000, { seed: 99 });
  return new SimulatedOta({
    slotBytes: setup.slotBytes ?? 64 * 1024,
    sectorBytes: setup.sectorBytes ?? 1024,
    factory: { image: factory.subarray(PREAMBLE_LENGTH), descriptor: factory.subarray(0, PREAMBLE_LENGTH) },
    rollbackCounter: versionCounter(parseVersion(version)),
  });
}

/** A reader fresh from the factory (see newOta), powered on, without BLE. */
export async function newReader(setup: ReaderSetup = {}): Promise<SimulatedUpdateReader> {
  const ota = newOta(setup);
  const reader = new SimulatedUpdateReader({
    ota,
    publicKey: setup.publicKey ?? testKeys.publicKey,
    product: PRODUCT,
    hardwareRevision: HW_REV,
    selfTest: setup.selfTest,
    onProgress: setup.onProgress,
  });
  await reader.powerOn();
  return reader;
}
