import type { RandomSource } from "../../hal/random";
import type { SecureStorage } from "../../hal/secure-storage";
import { fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { encodeCertificate } from "../../kernel/protocol";
import { IDENTITY_RECORDS } from "../../firmware/app/factory-identity";
import { READER_CONFIG_RECORD, type FirmwareBuild } from "../../firmware/app/firmware-boot";
import type { ReaderConfigFiles } from "../../firmware/app/reader-config";
import { MposError } from "../../kernel/errors";
import { loadFleet, type SimulatedFleet } from "../fleet/fleet";
import fleetKeys from "../fleet/fleet-keys.json";
import { SIMULATED_READER } from "../firmware/signing";
import { loadTestKeyPair } from "../firmware/test-keys";
import { slotVersion, type SimulatedOta } from "../flash/simulated-ota";
import { factoryOta } from "../flash/simulated-reader-factory";
import { MemoryStorage } from "../hardware/memory-storage";
import type { SimulatedHsm } from "../hsm/hsm";
import { provisionReaderKeys } from "../sim/reader-keys";

// The simulated reader's storages as the factory leaves them, for the firmware to read at power-up
// exactly as the ESP32's does (firmware/app/firmware-boot.ts): the key store with its DUKPT keys
// injected (host-sim/sim/reader-keys.ts), the factory identity from the simulated fleet (the
// identity key, its certificate signed by the fleet CA, the fleet configuration key), the
// installed configuration, and an empty transaction log; and its OTA flash, version 1.0.0 in slot
// 0 signed by the TEST firmware signing key (host-sim/firmware/test-keys), which its build trusts.
// TEST keys only.

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

/** The factory image's bytes: enough for a whole-image hash at every boot, small enough to stay fast. */
const FACTORY_IMAGE_BYTES = 16 * 1024;

/** The firmware signing key pair the simulated reader trusts (the TEST pair), read once a process. */
let testSigningKeys: { secretKey: Uint8Array; publicKey: Uint8Array } | undefined;

function testSigningKeyPair(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  testSigningKeys ??= loadTestKeyPair();
  return testSigningKeys;
}

/**
 * The simulated reader's build, as manifest.json's config says it on the device: its product (the
 * fleet's reader model), the image's version (1.0.0 from the factory), and the firmware signing
 * public key it trusts. Images for it are signed for that product and hardware revision 1, what
 * `mpos firmware sign` targets by default (SIMULATED_READER).
 */
export function simulatedReaderBuild(fleet: SimulatedFleet, buildEpochSeconds: number, firmwareVersion = "1.0.0"): FirmwareBuild {
  return {
    product: fleet.readerModel, firmwareVersion, buildEpochSeconds, hardwareRevision: SIMULATED_READER.hardwareRevision,
    firmwareSigningKey: testSigningKeyPair().publicKey.slice(),
  };
}

/** The simulated reader's OTA flash as the factory leaves it: 1.0.0 in slot 0, the anti-rollback counter at 1.0.0. */
export function simulatedReaderOta(): SimulatedOta {
  return factoryOta({ factorySecretKey: testSigningKeyPair().secretKey, factoryImageBytes: FACTORY_IMAGE_BYTES });
}

/**
 * The bootloader's part of a power-up over `ota` (hal/ota.ts: the slot to run, a trial image
 * booted once), and the build of the image it chose: on the device mc/config is the image's own,
 * here its version is the one in the slot's signed header (1.0.0 for a factory image without one).
 */
export async function bootSimulatedReader(ota: SimulatedOta, fleet: SimulatedFleet, buildEpochSeconds: number): Promise<FirmwareBuild> {
  if (!ota.power.powered) ota.power.powerOn();
  if (ota.boot().slot === null) throw new MposError("out-of-service", "the simulated reader has no bootable firmware image");
  return simulatedReaderBuild(fleet, buildEpochSeconds, (await slotVersion(ota, ota.running())) ?? undefined);
}
