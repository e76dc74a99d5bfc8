import type { RandomSource } from "../../hal/random";
import type { SecureStorage } from "../../hal/secure-storage";
import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { encodeCertificate } from "../../kernel/protocol";
import { IDENTITY_RECORDS } from "../../firmware/app/factory-identity";
import { READER_CONFIG_RECORD, type FirmwareBuild } from "../../firmware/app/firmware-boot";
import type { ReaderConfigFiles } from "../../firmware/app/reader-config";
import { loadFleet, type SimulatedFleet } from "../fleet/fleet";
import fleetKeys from "../fleet/fleet-keys.json";
import { MemoryStorage } from "../hardware/memory-storage";
import type { SimulatedHsm } from "../hsm/hsm";
import { provisionReaderKeys } from "../sim/reader-keys";

// The simulated reader's storages as the factory leaves them, for the firmware to read at power-up
// exactly as the ESP32's does (firmware/app/firmware-boot.ts): the key store with its DUKPT keys
// injected (host-sim/sim/reader-keys.ts), the factory identity from the simulated fleet (the
// identity key, its certificate signed by the fleet CA, the fleet configuration key), the
// installed configuration, and an empty transaction log. TEST keys only.

/** ESP-IDF NVS stores a blob over several pages; the installed configuration (CA keys included) needs them. */
const CONFIG_RECORD_BYTES = 64 * 1024;

export interface ReaderStorages {
  keyStorage: MemoryStorage;
  journalStorage: MemoryStorage;
  configStorage: MemoryStorage;
  identityStorage: MemoryStorage;
}

export interface FactoryReader {
  storages: ReaderStorages;
  /** The acquirer's HSM that derived the reader's initial keys (the issuer decrypts with it). */
  hsm: SimulatedHsm;
}

/** Writes the factory identity records (firmware/app/factory-identity.ts) of the fleet's simulated reader. */
export async function commissionIdentity(storage: SecureStorage, fleet: SimulatedFleet = loadFleet()): Promise<void> {
  const secret = fromHex(fleetKeys.reader.secretKey);
  await storage.write(IDENTITY_RECORDS.key, secret);
  secret.fill(0);
  await storage.write(IDENTITY_RECORDS.certificate, encodeCertificate(fleet.readerCertificate));
  await storage.write(IDENTITY_RECORDS.configurationKey, fleet.trustedConfigurationKeys[0].publicKey);
}

/** Installs the reader configuration as the record firmware/app/firmware-boot.ts reads (UTF-8 JSON). */
export async function installReaderConfig(storage: SecureStorage, files: ReaderConfigFiles): Promise<void> {
  await storage.write(READER_CONFIG_RECORD, new TextEncoder().encode(JSON.stringify(files)));
}

/** A reader fresh from the factory: keys injected, identity written, `files` installed, no transaction yet. */
export async function factoryReader(random: RandomSource, files: ReaderConfigFiles, fleet?: SimulatedFleet): Promise<FactoryReader> {
  const storages: ReaderStorages = {
    keyStorage: new MemoryStorage(),
    journalStorage: new MemoryStorage(),
    configStorage: new MemoryStorage({ maxRecordBytes: CONFIG_RECORD_BYTES }),
    identityStorage: new MemoryStorage(),
  };
  const { hsm } = await provisionReaderKeys(softwareCrypto, random, storages.keyStorage);
  await commissionIdentity(storages.identityStorage, fleet);
  await installReaderConfig(storages.configStorage, files);
  return { storages, hsm };
}

/** The simulated reader's build, as manifest.json's config says it on the device. */
export function simulatedReaderBuild(fleet: SimulatedFleet, buildEpochSeconds: number): FirmwareBuild {
  return { product: fleet.readerModel, firmwareVersion: "1.0.0", buildEpochSeconds, hardwareRevision: 1 };
}
