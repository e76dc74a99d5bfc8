import type { SecureStorage } from "../../hal/secure-storage";
import { softwareCrypto, type CryptoProvider } from "../../kernel/crypto";
import { MposError } from "../../kernel/errors";
import { decodeConfiguration, encodeConfiguration, softwareSessionCrypto, type ReaderConfiguration } from "../../kernel/protocol";
import type { SelfTestSummary } from "../../kernel/selftest";
import { loadTransactionConfig } from "../../kernel/transaction";
import { readFactoryIdentity } from "./factory-identity";
import type { ConfigurationStore } from "./payment-engine";
import { loadFleetConfiguration } from "./fleet-configuration";
import { loadReaderConfig, type ReaderConfig, type ReaderConfigFiles } from "./reader-config";
import { firmwareInternalErrorLine, startReaderFirmware, type FirmwareHal, type FirmwareStart } from "./reader-firmware";

// The reader's power-up from its stored records, one function for every engine it runs on: the
// ESP32 (firmware/device.ts, over hal/esp32), the XS engine of the simulator (firmware/main-xs.ts,
// over hal/xs-bridge) and Node (host-sim/xs-bridge/reader-device.ts, over the mock hardware).
// The installed configuration and the factory identity are read from their own storage
// namespaces, the build's constants come from the platform (Moddable's mc/config on the device,
// the host's start message on XS), and startReaderFirmware powers the reader up in the rules' order.

/** The installed configuration's record (kernel/emv terminal configuration, CA keys, revocation list, as JSON). */
export const READER_CONFIG_RECORD = "reader";
/** The fleet's signed configuration as installed over BLE, and its version (4 bytes, big-endian). */
const FLEET_CONFIG_RECORD = "fleet";
const FLEET_CONFIG_VERSION_RECORD = "fleet-v";

/** What the platform says about the image it runs (manifest.json's config on the device). */
export interface FirmwareBuild {
  product: string;
  firmwareVersion: string;
  /** Build time, seconds since 1970. */
  buildEpochSeconds: number;
  /** The firmware signing public key (Ed25519); without it, no firmware update endpoint. */
  firmwareSigningKey?: Uint8Array;
  hardwareRevision: number;
}

export interface FirmwareBootOptions {
  hal: FirmwareHal;
  /** The configuration namespace: not secret, not erased by a tamper response. */
  configStorage: SecureStorage;
  /** The factory identity's namespace (identity key, certificate, fleet configuration key). */
  identityStorage: SecureStorage;
  build: FirmwareBuild;
  /** The platform's crypto provider (the ESP32's native one, hal/esp32/crypto-provider.ts); the software provider if absent. */
  crypto?: CryptoProvider;
  /** UTF-8 bytes to text (Moddable's String.fromArrayBuffer, or TextDecoder). */
  decodeText(bytes: Uint8Array): string;
  /** A line for the debug console: never a PAN, track, PIN or key. */
  log(line: string): void;
  restart(): void;
}

export type FirmwareBoot = FirmwareStart | { kind: "not-configured" };

/** The installed configuration, or null (none, or not readable: the reader stays off the air). */
export async function installedConfiguration(storage: SecureStorage, decodeText: (bytes: Uint8Array) => string,
    log: (line: string) => void): Promise<ReaderConfigFiles | null> {
  const record = await storage.read(READER_CONFIG_RECORD);
  if (record === null) return null;
  try {
    const files = JSON.parse(decodeText(record)) as unknown;
    if (files !== null && typeof files === "object") return files as ReaderConfigFiles;
  } catch {
    // reported below
  }
  log("mpos: the installed configuration is not readable");
  return null;
}

/** The fleet configuration's version, kept in the configuration namespace. */
export function fleetConfigurations(storage: SecureStorage): ConfigurationStore {
  let version: number | null = null;
  return {
    version: async () => {
      if (version === null) {
        const r = await storage.read(FLEET_CONFIG_VERSION_RECORD);
        version = r !== null && r.length === 4 ? ((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0 : 0;
      }
      return version;
    },
    install: async (config: ReaderConfiguration) => {
      await storage.write(FLEET_CONFIG_RECORD, encodeConfiguration(config));
      const v = config.version >>> 0;
      await storage.write(FLEET_CONFIG_VERSION_RECORD, Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff));
      version = v;
    },
  };
}

/**
 * The reader's configuration: the installed files with the fleet configuration last installed over
 * BLE applied over them (fleet-configuration.ts), so a configuration survives a restart. A stored
 * fleet configuration the reader can no longer load (a damaged record) is logged and left out: the
 * installed files alone are what the reader ran before it came.
 */
async function activeConfig(storage: SecureStorage, crypto: CryptoProvider, files: ReaderConfigFiles, log: (line: string) => void): Promise<ReaderConfig> {
  const stored = await storage.read(FLEET_CONFIG_RECORD);
  if (stored !== null) {
    try {
      return loadFleetConfiguration(crypto, files, decodeConfiguration(stored));
    } catch (e) {
      log(`mpos: the stored fleet configuration is not applied (${e instanceof MposError ? e.code : "error"})`);
    }
  }
  return loadReaderConfig(crypto, files);
}

/** Powers the reader up from its records; without an installed configuration it shows so and stays off the air. */
export async function bootReaderFirmware(o: FirmwareBootOptions): Promise<FirmwareBoot> {
  const files = await installedConfiguration(o.configStorage, o.decodeText, o.log);
  if (files === null) {
    o.hal.display.show(["NOT CONFIGURED"]);
    return { kind: "not-configured" };
  }
  const b = o.build;
  const crypto = o.crypto ?? softwareCrypto;
  const started = await startReaderFirmware({
    hal: o.hal,
    crypto,
    config: await activeConfig(o.configStorage, crypto, files, o.log),
    transaction: loadTransactionConfig(files.transaction),
    identity: () => readFactoryIdentity(o.identityStorage, softwareSessionCrypto, b.product),
    firmwareVersion: b.firmwareVersion,
    buildEpochSeconds: b.buildEpochSeconds,
    ...(b.firmwareSigningKey !== undefined ? { firmwareSigningKey: b.firmwareSigningKey } : {}),
    product: b.product,
    hardwareRevision: b.hardwareRevision,
    configurations: fleetConfigurations(o.configStorage),
    // Read again when a fleet configuration comes: the parsed files are not held in RAM till then.
    configurationFiles: () => installedConfiguration(o.configStorage, o.decodeText, o.log),
    restart: o.restart,
    onInternalError: (e) => o.log(firmwareInternalErrorLine(e)),
  });
  logStart(started, o.log);
  return started;
}

function logStart(started: FirmwareStart, log: (line: string) => void): void {
  if (started.kind === "rolled-back") {
    log("mpos: boot rolled-back");
    return;
  }
  const selfTest = started.kind === "running" ? started.firmware.selfTest : started.selfTest;
  log(`mpos: self-tests ${selfTest.passed} passed, ${selfTest.failed} failed`);
  for (const name of selfTest.failedTests) log(`mpos: self-test failed: ${name}`);
  if (started.kind !== "running") return;
  const boot = started.firmware.boot;
  if (boot !== null && boot.kind !== "rolled-back") log(`mpos: boot ${boot.kind}${boot.version ? ` ${boot.version}` : ""}`);
  const interrupted = started.firmware.recovery.interrupted;
  if (interrupted) log(`mpos: transaction ${interrupted.transactionId} recovered`);
}

/** A start-up as plain data (for the host of the simulator, and to compare engines). */
export interface FirmwareStartReport {
  kind: FirmwareBoot["kind"];
  selfTest: SelfTestSummary | null;
  boot: { kind: string; version: string | null } | null;
  recovery: { interrupted?: { transactionId: number; phase: string; reversal: boolean } };
  bondStoreProblem: boolean;
}

export function firmwareStartReport(boot: FirmwareBoot): FirmwareStartReport {
  const report: FirmwareStartReport = { kind: boot.kind, selfTest: null, boot: null, recovery: {}, bondStoreProblem: false };
  if (boot.kind === "not-configured") return report;
  const outcome = boot.kind === "running" ? boot.firmware.boot : boot.boot;
  if (outcome !== null) report.boot = { kind: outcome.kind, version: outcome.kind === "rolled-back" ? null : outcome.version };
  if (boot.kind === "rolled-back") return report;
  const s = boot.kind === "running" ? boot.firmware.selfTest : boot.selfTest;
  report.selfTest = { ...s, failedTests: s.failedTests.slice() };
  if (boot.kind === "running") {
    const interrupted = boot.firmware.recovery.interrupted;
    if (interrupted) report.recovery = { interrupted: { ...interrupted } };
    report.bondStoreProblem = boot.firmware.bondStoreProblem !== null;
  }
  return report;
}
