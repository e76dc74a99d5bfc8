import { signImage, SIMULATED_READER } from "../firmware/signing";
import { versionCounter } from "../../kernel/firmware-update/version";
import { PREAMBLE_LENGTH } from "../../kernel/firmware-update/image-header";
import { SimulatedOta } from "./simulated-ota";
import { SimulatedUpdateReader, type UpdateReaderOptions } from "./update-reader";

// A simulated reader as it leaves the factory: 2 MB OTA slots of 4 KB sectors (an ESP32 with 8 MB
// of flash), version 1.0.0 in slot 0 signed by the given key, the anti-rollback counter at 1.0.0.

export const SIM_SLOT_BYTES = 2 * 1024 * 1024;
export const SIM_SECTOR_BYTES = 4096;

/** A deterministic stand-in for the factory firmware's bytes. */
function factoryImage(length: number): Uint8Array {
  const image = new Uint8Array(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    image[i] = x >>> 24;
  }
  return image;
}

export interface FactoryFlashOptions {
  /** The key that signs the factory image (the test key). */
  factorySecretKey: Uint8Array;
  slotBytes?: number;
  sectorBytes?: number;
  factoryImageBytes?: number;
}

/** The flash of a reader fresh from the factory: 1.0.0 in slot 0, the counter at 1.0.0. */
export function factoryOta(options: FactoryFlashOptions): SimulatedOta {
  const version = SIMULATED_READER.factoryVersion;
  const signed = signImage(factoryImage(options.factoryImageBytes ?? 64 * 1024),
    { product: SIMULATED_READER.product, hardwareRevision: SIMULATED_READER.hardwareRevision, version },
    options.factorySecretKey);
  return new SimulatedOta({
    slotBytes: options.slotBytes ?? SIM_SLOT_BYTES,
    sectorBytes: options.sectorBytes ?? SIM_SECTOR_BYTES,
    factory: { image: signed.subarray(PREAMBLE_LENGTH), descriptor: signed.subarray(0, PREAMBLE_LENGTH) },
    rollbackCounter: versionCounter(version),
  });
}

export interface FactoryOptions extends FactoryFlashOptions {
  /** The public key the reader trusts for updates. */
  publicKey: Uint8Array;
  selfTest?: UpdateReaderOptions["selfTest"];
  onProgress?: UpdateReaderOptions["onProgress"];
  maxChunkBytes?: number;
}

/** A factory-fresh reader's update side, without BLE (the kernel's link-neutral service). */
export function factoryReader(options: FactoryOptions): SimulatedUpdateReader {
  return new SimulatedUpdateReader({
    ota: factoryOta(options),
    publicKey: options.publicKey,
    product: SIMULATED_READER.product,
    hardwareRevision: SIMULATED_READER.hardwareRevision,
    selfTest: options.selfTest,
    onProgress: options.onProgress,
    maxChunkBytes: options.maxChunkBytes,
  });
}
