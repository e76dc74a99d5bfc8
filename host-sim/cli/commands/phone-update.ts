import { toHex } from "../../../kernel/bytes";
import { keyIdOf, modelTransferTime, type UpdateProgress } from "../../../kernel/firmware-update";
import { BleUpdateRig } from "../../flash/ble-update-rig";
import { factoryOta } from "../../flash/simulated-reader-factory";
import { SIMULATED_READER } from "../../firmware/signing";
import { loadTestKeyPair } from "../../firmware/test-keys";
import { allowOnly, option, requireOption, UsageError, type ParsedArgs } from "../args";
import type { CliIo, Command } from "../command";
import { readInputFile, readKeyFile } from "./firmware";

// `mpos phone update`: issue 13 end to end in the simulator. A simulated reader (OTA flash, the
// kernel's reader service with its firmware update endpoint) leaves the factory with version 1.0.0
// signed by the test key and trusts the test key (or --reader-key); a phone pairs with it over the
// loopback GATT and calls the SDK's ReaderClient.updateFirmware: chunks sized to the ATT_MTU, the
// reader verifies, switches, restarts and confirms the new image with its self-tests, the phone
// reconnects and sees it run. The time is the modeled BLE link's
// (kernel/firmware-update/transfer-model.ts) for the chunks actually sent at the negotiated MTU.

interface PhoneUpdateResult {
  applied: boolean;
  version: string;
  modeledMs: number;
}

function intOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const text = option(args, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} must be ${min} to ${max}`);
  }
  return Number(text);
}

/** One stderr line per phase change and per tenth of the image. */
function progressPrinter(io: CliIo): (p: UpdateProgress) => void {
  let lastPhase = "";
  let lastTenth = -1;
  return (p) => {
    const tenth = p.total === 0 ? 10 : Math.floor((p.confirmed * 10) / p.total);
    if (p.phase === lastPhase && (p.phase !== "sending" || tenth === lastTenth)) return;
    lastPhase = p.phase;
    lastTenth = tenth;
    const pct = p.total === 0 ? 100 : Math.floor((p.confirmed * 100) / p.total);
    io.stderr(`${p.phase.padEnd(10)} ${String(pct).padStart(3)}%  ${p.confirmed}/${p.total} bytes` +
      `${p.resumes > 0 ? `  (${p.resumes} reconnections)` : ""}\n`);
  };
}

export const phoneUpdate: Command = {
  path: ["phone", "update"],
  summary: "update a simulated reader's firmware from the phone side, with progress and the modeled BLE time",
  usage: "mpos phone update --image SIGNED [--mtu N] [--reader-key FILE.pub] [--drop-every N]\n" +
    "  --image SIGNED       a signed image (mpos firmware sign)\n" +
    "  --mtu N              the ATT_MTU the phone asks for, 23 to 517 (default 247; the reader grants at most 247)\n" +
    "  --reader-key FILE    the public key the simulated reader trusts (default: the test key)\n" +
    "  --drop-every N       drop the BLE connection after every N frames the phone writes (the transfer resumes)\n" +
    "  Prints {applied, version, modeledMs}; progress goes to stderr.",
  async run(args, io) {
    allowOnly(args, ["image", "mtu", "reader-key", "drop-every"]);
    const signed = readInputFile(io, requireOption(args, "image"), "signed image");
    const mtu = intOption(args, "mtu", 23, 517) ?? 247;
    const dropEvery = intOption(args, "drop-every", 20, 1_000_000);
    const testKeys = loadTestKeyPair();
    const readerKeyPath = option(args, "reader-key");
    const publicKey = readerKeyPath === undefined ? testKeys.publicKey : readKeyFile(io, readerKeyPath).publicKey;
    const ota = factoryOta({ factorySecretKey: testKeys.secretKey });
    testKeys.secretKey.fill(0);
    const rig = new BleUpdateRig({
      ota, publicKey, product: SIMULATED_READER.product, hardwareRevision: SIMULATED_READER.hardwareRevision, mtu, dropEveryFrames: dropEvery,
    });
    await rig.powerOn();
    const phone = await rig.phone();
    const attMtu = phone.stats().mtu;
    io.stderr(`simulated reader ${rig.fleet.readerSerial} (trusts key ${toHex(keyIdOf(publicKey))}): version 1.0.0, ATT_MTU ${attMtu}\n`);
    let result;
    try {
      result = await phone.updateFirmware(signed, progressPrinter(io), { maxReconnects: dropEvery === undefined ? 5 : 1_000_000 });
    } finally {
      await phone.disconnect().catch(() => undefined);
    }
    const model = modelTransferTime({ bytes: signed.length - 144, mtu: attMtu, chunks: result.chunks });
    const out: PhoneUpdateResult = { applied: true, version: result.version, modeledMs: model.ms };
    return out;
  },
  format(result) {
    const r = result as PhoneUpdateResult;
    return `applied version ${r.version} (modeled BLE transfer ${(r.modeledMs / 1000).toFixed(1)} s)`;
  },
};
