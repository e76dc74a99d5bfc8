import { FirmwareUpdateError, PREAMBLE_LENGTH, type UpdateProgress } from "../../kernel/firmware-update";
import { loadFleet } from "../../host-sim/fleet/fleet";
import { RigPool, runOnFirmware, type FirmwareSimRunResult } from "../../host-sim/xs-bridge/firmware-sim-run";
import type { EngineName } from "../../host-sim/xs-engine/kernel-engine";
import type { HostLink } from "../../hal/xs-bridge/host-link";
import { BridgeOta } from "../../hal/xs-bridge/ota";
import { BridgeWireError } from "../../hal/xs-bridge/wire";
import { signed } from "../firmware-update/fixtures";

// Issue 10, item 4 with issue 13: the reader's own firmware on the real XS engine takes a firmware
// update over BLE as the ESP32 does - the update endpoint over the OTA flash the host serves
// (hal/xs-bridge/ota.ts), the phone's ReaderClient.updateFirmware over the loopback GATT - restarts
// into the new image, confirms it with its self-tests (kernel/firmware-update/boot-confirm.ts) and
// reports its version; the same on Node, with identical results. Then a payment on the new image.

/** The simulated reader's build is for the fleet's model, hardware revision 1 (host-sim/xs-bridge/reader-factory.ts). */
const PRODUCT = loadFleet().readerModel;
/** Small enough for a fast test, several 4 KB flash sectors and many 512-byte chunks. */
const IMAGE_BYTES = 20 * 1024;
const DATE = { date: "250615", time: "120000" };
const PAYMENT = { card: "visa-cda", interface: "contact" as const, amount: "12.34", pins: ["1234"], ...DATE };
const TIMEOUT_MS = 600_000;

function image(version: string, damage?: (signedImage: Uint8Array) => void): Uint8Array {
  const b = signed(version, IMAGE_BYTES, { product: PRODUCT });
  damage?.(b);
  return b;
}

interface UpdateRun {
  refusal: { code: string } | null;
  versionAfterRefusal: string;
  result: unknown;
  phases: string[];
  boot: unknown;
  version: string;
  flash: unknown;
  payment: FirmwareSimRunResult;
}

async function update(engine: EngineName): Promise<UpdateRun> {
  const pool = new RigPool({ measureHeap: false });
  try {
    const rig = await pool.rig(engine, undefined);
    const phone = rig.client;
    // A flipped bit in the header's signature (RFC 8032, 5.1.7: verification fails).
    const forged = image("1.1.0", (b) => { b[PREAMBLE_LENGTH - 1] ^= 1; });
    const refused = await rig.run(phone.updateFirmware(forged)).then(() => null, (e: unknown) => e);
    const versionAfterRefusal = (await rig.run(phone.getInfo())).firmwareVersion;
    const phases: string[] = [];
    const result = await rig.run(phone.updateFirmware(image("1.1.0"), (p: UpdateProgress) => {
      if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
    }));
    const version = (await rig.run(phone.getInfo())).firmwareVersion;
    const boot = rig.reader.started.boot;
    const flash = rig.ota.snapshot();
    const payment = await runOnFirmware(PAYMENT, engine, pool);
    return {
      refusal: refused instanceof FirmwareUpdateError ? { code: refused.code } : null,
      versionAfterRefusal, result, phases, boot, version, flash, payment: { ...payment, xs: null },
    };
  } finally {
    await pool.close();
  }
}

const runs = new Map<EngineName, Promise<UpdateRun>>();
function updateOn(engine: EngineName): Promise<UpdateRun> {
  let run = runs.get(engine);
  if (run === undefined) {
    run = update(engine);
    run.catch(() => undefined);
    runs.set(engine, run);
  }
  return run;
}

describe("a firmware update over BLE on the reader firmware on the XS engine", () => {
  it("a bad signature is refused on XS with the reader's reason (fw-signature); the reader keeps 1.0.0", async () => {
    const run = await updateOn("xs");
    expect(run.refusal).toEqual({ code: "fw-signature" });
    expect(run.versionAfterRefusal).toBe("1.0.0");
  }, TIMEOUT_MS);

  it("the phone updates the firmware: the reader restarts into 1.1.0, confirms it on its first boot and reports it", async () => {
    const run = await updateOn("xs");
    expect(run.result).toMatchObject({ version: "1.1.0", resumes: 0, bytesSent: IMAGE_BYTES });
    expect(run.phases).toEqual(["connecting", "sending", "verifying", "installing", "restarting", "connecting", "done"]);
    // ESP-IDF app rollback: the trial boot confirmed itself (ESP_OTA_IMG_VALID), the counter raised to 1.1.0.
    expect(run.boot).toEqual({ kind: "confirmed", version: "1.1.0" });
    expect(run.flash).toMatchObject({ running: 1, states: ["valid", "valid"], counter: 0x1_0001_0000, progress: false });
    expect(run.version).toBe("1.1.0");
  }, TIMEOUT_MS);

  it("a payment after the update is approved online on the new image", async () => {
    const run = await updateOn("xs");
    expect(run.payment.outcome).toBe("online-approved");
  }, TIMEOUT_MS);

  it("on Node the same update, refusal and payment end identically", async () => {
    const [onXs, onNode] = [await updateOn("xs"), await updateOn("node")];
    expect(onNode).toEqual(onXs);
  }, TIMEOUT_MS);
});

/** A host that answers every OTA request with `answers[method]`. */
function hostAnswering(answers: Record<string, unknown>): HostLink {
  return {
    callSync: (_device, method) => answers[method],
    call: async (_device, method) => answers[method],
    act: async () => undefined,
    on: () => undefined,
  };
}

describe("the OTA driver on the XS engine checks what the host answers (hal/xs-bridge/ota.ts)", () => {
  const GOOD = { slotBytes: 65_536, sectorBytes: 4096, running: 0 };

  it("a flash geometry out of range, a slot not whole sectors or a running slot other than 0 or 1 is a BridgeWireError", () => {
    for (const description of [{ ...GOOD, slotBytes: 0 }, { ...GOOD, sectorBytes: 3000 }, { ...GOOD, running: 2 }, null]) {
      expect(() => new BridgeOta(hostAnswering({ describe: description }))).toThrow(BridgeWireError);
    }
    expect(new BridgeOta(hostAnswering({ describe: GOOD })).running()).toBe(0);
  });

  it("a slot state outside ESP-IDF's, a descriptor not bytes, a short read or a negative counter is a BridgeWireError", async () => {
    const ota = new BridgeOta(hostAnswering({ describe: GOOD, state: "booted", descriptor: "1234", read: new Uint8Array(3), rollbackCounter: -1 }));
    await expect(ota.state(0)).rejects.toThrow(BridgeWireError);
    await expect(ota.descriptor(0)).rejects.toThrow(BridgeWireError);
    await expect(ota.read(0, 0, 4)).rejects.toThrow(BridgeWireError);
    await expect(ota.rollbackCounter()).rejects.toThrow(BridgeWireError);
  });
});
