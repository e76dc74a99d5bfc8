import { randomFillSync } from "crypto";
import type { RandomSource } from "../../hal/random";
import type { ReaderStartReport } from "../../firmware/app/reader";
import { softwareCrypto } from "../../kernel/crypto";
import { SIM_CAPK_FILE, SIM_CRL_FILE } from "../cards";
import { MemoryStorage } from "../hardware/memory-storage";
import { createEchoApplet } from "../icc/echo-applet";
import { createVirtualIcc } from "../icc/virtual-icc";
import { IssuerHost } from "../issuer";
import { VirtualMagstripeHead } from "../magstripe/virtual-head";
import contactlessConfigJson from "../picc/contactless-config.json";
import { ModeledClock } from "../picc/modeled-clock";
import { VirtualField } from "../picc/virtual-field";
import { provisionReaderKeys } from "../sim/reader-keys";
import { ScriptedCardholder } from "../sim/scripted-cardholder";
import terminalConfigJson from "../sim/terminal-config.json";
import type { EngineName } from "../xs-engine/kernel-engine";
import { startFirmware, type FirmwareEngine, type FirmwareMeter } from "./firmware-engine";

// The simulator's reader for `npm start` (`mpos sim serve`): the reader firmware on the XS engine
// (or on Node with --engine node), powered up over the simulator's idle hardware - an empty contact
// slot, a head and a field with no card, keys injected at the "factory", the host's CSPRNG - the
// way the ESP32 runs firmware/device.ts. It answers what the simulator's page shows: the firmware's
// own start-up report (self-tests, keys, configuration) and the XS meter of its start-up.

export interface SimReader {
  readonly engine: EngineName;
  readonly firmware: FirmwareEngine;
  /** The firmware's start-up report and the XS meter of the start-up (null on Node). */
  readonly started: { report: ReaderStartReport; meter: FirmwareMeter | null };
  close(): Promise<void>;
}

/** The host's CSPRNG: the simulator's reader is not a repeatable run. */
const hostRandom: RandomSource = { fill: (bytes) => { randomFillSync(bytes); } };

export async function startSimReader(engine: EngineName): Promise<SimReader> {
  const storage = new MemoryStorage();
  await provisionReaderKeys(softwareCrypto, hostRandom, storage);
  const icc = createVirtualIcc({ applet: createEchoApplet(), protocol: 0, present: false });
  const clock = new ModeledClock();
  const firmware = await startFirmware({
    engine,
    hardware: {
      random: hostRandom, clock, storage, cardholder: new ScriptedCardholder([]), acquirer: new IssuerHost({ crypto: softwareCrypto }),
      contactSlot: icc, magstripeHead: new VirtualMagstripeHead(), nfc: new VirtualField({ clock, cards: [] }), contactlessUi: { request: () => undefined },
    },
    measureHeap: engine === "xs",
  });
  try {
    const answer = await firmware.command({
      op: "start",
      config: { terminal: terminalConfigJson, capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE, contactless: JSON.parse(JSON.stringify(contactlessConfigJson)) },
    });
    return { engine, firmware, started: { report: answer.value as ReaderStartReport, meter: answer.meter }, close: () => firmware.close() };
  } catch (e) {
    await firmware.close();
    throw e;
  }
}
