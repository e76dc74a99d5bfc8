import { toHex } from "../../kernel/bytes";
import {
  ActivityLock, PREAMBLE_LENGTH, transferFirmware, UpdateService, type ReaderProgress, type UpdateReply,
} from "../../kernel/firmware-update";
import { SimulatedOta } from "../../host-sim/flash/simulated-ota";
import type { SimulatedUpdateReader } from "../../host-sim/flash/update-reader";
import { HW_REV, newReader, PRODUCT, signed, testKeys } from "./fixtures";

// The reader's update service over the simulated flash: issue 13, items 2 to 4.

async function sendAll(reader: SimulatedUpdateReader, image: Uint8Array, chunk = 200): Promise<UpdateReply> {
  const s = reader.updateService;
  const ready = await s.begin(image.subarray(0, PREAMBLE_LENGTH));
  if (ready.kind !== "ready") return ready;
  const body = image.subarray(PREAMBLE_LENGTH);
  for (let at = ready.offset; at < body.length; at += chunk) {
    const ack = await s.chunk(at, body.subarray(at, Math.min(at + chunk, body.length)));
    if (ack.kind !== "ack") return ack;
  }
  return s.finish();
}

async function runningVersion(reader: SimulatedUpdateReader): Promise<string | null> {
  const r = await reader.updateService.status();
  return r.kind === "status" ? r.status.version : null;
}

describe("update service: a good update", () => {
  it("applies: written to the inactive slot, verified, switched, booted on trial, confirmed by its self-tests", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", 5000);
    expect(reader.ota.running()).toBe(0);
    const finish = await sendAll(reader, image);
    expect(finish).toEqual({ kind: "installed", version: "1.1.0" });
    // The simulated link restarts the reader after the install reply only; here we do it by hand.
    await reader.powerOn();
    const boot = reader.boots[reader.boots.length - 1];
    expect(boot.boot.slot).toBe(1);
    expect(boot.outcome).toEqual({ kind: "confirmed", version: "1.1.0" });
    expect(reader.ota.snapshot()).toMatchObject({ running: 1, states: ["valid", "valid"], counter: 0x1_0001_0000, progress: false });
    expect(await runningVersion(reader)).toBe("1.1.0");
    // The image bytes are in slot 1, exactly.
    expect(toHex(await reader.ota.read(1, 0, 5000))).toBe(toHex(image.subarray(PREAMBLE_LENGTH)));
  });

  it("the phone's transfer resumes nothing, sends each byte once, and returns when the reader runs the new image", async () => {
    const reader = await newReader();
    const image = signed("2.0.0", 12_345);
    const progress: string[] = [];
    const r = await transferFirmware(image, {
      connect: async () => reader.connect(),
      chunkBytes: 232,
      onProgress: (p) => { if (progress[progress.length - 1] !== p.phase) progress.push(p.phase); },
    });
    expect(r).toEqual({ version: "2.0.0", chunks: Math.ceil(12_345 / 232), bytesSent: 12_345, resumes: 0 });
    expect(progress).toEqual(["connecting", "sending", "verifying", "restarting", "connecting", "done"]);
    expect(await runningVersion(reader)).toBe("2.0.0");
  });

  it("the reader announces progress: each durable sector, then verifying and installing", async () => {
    const events: ReaderProgress[] = [];
    const reader = await newReader({ onProgress: (p) => events.push(p) });
    await sendAll(reader, signed("1.1.0", 2500));
    expect(events.map((e) => `${e.phase}:${e.offset}`)).toEqual([
      "receiving:1024", "receiving:2048", "receiving:2500", "verifying:0", "installing:2500",
    ]);
  });

  it("a later update installs into the other slot again (the slots alternate)", async () => {
    const reader = await newReader();
    for (const [version, slot] of [["1.1.0", 1], ["1.2.0", 0], ["1.3.0", 1]] as const) {
      await transferFirmware(signed(version, 3000), { connect: async () => reader.connect(), chunkBytes: 100 });
      expect(reader.ota.running()).toBe(slot);
      expect(await runningVersion(reader)).toBe(version);
    }
  });

  it("the same version as the running one installs again (a repair), an older one does not", async () => {
    const reader = await newReader({ factoryVersion: "1.4.2" });
    expect(await sendAll(reader, signed("1.4.2", 900))).toMatchObject({ kind: "installed" });
    await reader.powerOn();
    expect(await sendAll(reader, signed("1.4.1", 900))).toMatchObject({ kind: "refused", code: "fw-rollback" });
  });
});

describe("update service: refusals before a byte is written", () => {
  const cases: [string, () => Uint8Array, string][] = [
    ["a bad signature", () => { const b = signed("1.1.0"); b[90] ^= 0x04; return b; }, "fw-signature"],
    ["a flipped bit in the header", () => { const b = signed("1.1.0"); b[27] ^= 0x01; return b; }, "fw-signature"],
    ["a wrong product", () => signed("1.1.0", 5000, { product: "other-reader" }), "fw-product"],
    ["another hardware revision", () => signed("1.1.0", 5000, { hardwareRevision: HW_REV + 1 }), "fw-hardware"],
    ["an older version", () => signed("0.9.9"), "fw-rollback"],
    ["an image signed by another key", () => signed("1.1.0", 5000, { secretKey: new Uint8Array(32).fill(7) }), "fw-key"],
    ["an image larger than a slot", () => signed("1.1.0", 64 * 1024 + 1), "fw-too-large"],
    ["a truncated header", () => signed("1.1.0").subarray(0, PREAMBLE_LENGTH - 1), "fw-header"],
  ];
  for (const [what, make, code] of cases) {
    it(`${what}: refused with ${code}, the inactive slot and the records untouched`, async () => {
      const reader = await newReader();
      const before = reader.ota.snapshot();
      const slot1 = await reader.ota.read(1, 0, 1024);
      const bytes = make();
      const reply = await reader.updateService.begin(bytes.subarray(0, Math.min(PREAMBLE_LENGTH, bytes.length)));
      expect(reply).toMatchObject({ kind: "refused", code });
      expect((reply as { message: string }).message).not.toMatch(/[0-9A-F]{32}/);
      expect(reader.ota.snapshot()).toEqual(before);
      expect(await reader.ota.read(1, 0, 1024)).toEqual(slot1);
      expect(reader.lock.current).toBeNull();
    });
  }
});

describe("update service: refusals at finish", () => {
  it("a flipped bit in the image is refused with fw-hash at finish; the reader keeps its version", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", 5000);
    image[PREAMBLE_LENGTH + 3210] ^= 0x10;
    expect(await sendAll(reader, image)).toMatchObject({ kind: "refused", code: "fw-hash" });
    expect(reader.ota.snapshot()).toMatchObject({ running: 0, states: ["valid", "empty"], progress: false });
    expect(await runningVersion(reader)).toBe("1.0.0");
    expect(reader.lock.current).toBeNull();
  });

  it("a bit the flash lost after it was written is caught: the hash is over what the slot holds", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", 3000);
    const s = reader.updateService;
    await s.begin(image.subarray(0, PREAMBLE_LENGTH));
    for (let at = 0; at < 3000; at += 500) await s.chunk(at, image.subarray(PREAMBLE_LENGTH + at, PREAMBLE_LENGTH + at + 500));
    reader.ota.slots[1].bytes[100] ^= 0x01; // a programmed sector decays
    expect(await s.finish()).toMatchObject({ kind: "refused", code: "fw-hash" });
    expect(reader.ota.snapshot().states).toEqual(["valid", "empty"]);
  });

  it("a truncated image: finish before the last byte is refused with fw-length", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", 3000);
    const s = reader.updateService;
    await s.begin(image.subarray(0, PREAMBLE_LENGTH));
    for (let at = 0; at < 2000; at += 500) await s.chunk(at, image.subarray(PREAMBLE_LENGTH + at, PREAMBLE_LENGTH + at + 500));
    expect(await s.finish()).toMatchObject({ kind: "refused", code: "fw-length" });
    // The transfer stays open: the phone may still send the rest.
    for (let at = 2000; at < 3000; at += 500) await s.chunk(at, image.subarray(PREAMBLE_LENGTH + at, PREAMBLE_LENGTH + at + 500));
    expect(await s.finish()).toEqual({ kind: "installed", version: "1.1.0" });
  });

  it("the phone refuses to send a truncated signed image at all (fw-length)", async () => {
    const reader = await newReader();
    await expect(transferFirmware(signed("1.1.0", 3000).subarray(0, PREAMBLE_LENGTH + 2999), {
      connect: async () => reader.connect(), chunkBytes: 100,
    })).rejects.toMatchObject({ code: "fw-length" });
  });
});

describe("update service: chunks", () => {
  it("a chunk before begin, and finish before begin, are refused with fw-state", async () => {
    const reader = await newReader();
    expect(await reader.updateService.chunk(0, new Uint8Array(10))).toMatchObject({ kind: "refused", code: "fw-state" });
    expect(await reader.updateService.finish()).toMatchObject({ kind: "refused", code: "fw-state" });
  });

  it("a repeated chunk or a gap is dropped and answered with the offset the reader expects", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", 3000);
    const body = image.subarray(PREAMBLE_LENGTH);
    const s = reader.updateService;
    await s.begin(image.subarray(0, PREAMBLE_LENGTH));
    expect(await s.chunk(0, body.subarray(0, 100))).toEqual({ kind: "ack", offset: 100 });
    expect(await s.chunk(0, body.subarray(0, 100))).toEqual({ kind: "ack", offset: 100 });
    expect(await s.chunk(300, body.subarray(300, 400))).toEqual({ kind: "ack", offset: 100 });
    expect(await s.chunk(100, body.subarray(100, 3000))).toMatchObject({ kind: "refused", code: "fw-offset" }); // > 512
    expect(await s.chunk(2950, body.subarray(0, 100))).toMatchObject({ kind: "refused", code: "fw-offset" }); // past the end
    expect(await s.chunk(100, new Uint8Array(0))).toMatchObject({ kind: "refused", code: "fw-offset" });
  });

  it("chunks that straddle sector boundaries land at the right flash offsets", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", 4000);
    const body = image.subarray(PREAMBLE_LENGTH);
    const s = reader.updateService;
    await s.begin(image.subarray(0, PREAMBLE_LENGTH));
    for (let at = 0; at < 4000; at += 333) await s.chunk(at, body.subarray(at, Math.min(4000, at + 333)));
    expect(await s.finish()).toMatchObject({ kind: "installed" });
    expect(toHex(await reader.ota.read(1, 0, 4000))).toBe(toHex(body));
  });
});

describe("update service: no transaction during an update, no update during a transaction (issue 13, item 4)", () => {
  it("begin is refused with fw-busy while a transaction holds the reader", async () => {
    const reader = await newReader();
    expect(reader.lock.tryAcquire("transaction")).toBe(true);
    expect(await reader.updateService.begin(signed("1.1.0").subarray(0, PREAMBLE_LENGTH)))
      .toMatchObject({ kind: "refused", code: "fw-busy" });
    reader.lock.release("transaction");
    expect(await reader.updateService.begin(signed("1.1.0").subarray(0, PREAMBLE_LENGTH))).toMatchObject({ kind: "ready" });
  });

  it("a transaction cannot start from begin to the restart; a dropped link or an abort frees the reader", async () => {
    const reader = await newReader();
    const image = signed("1.1.0", 3000);
    const s = reader.updateService;
    await s.begin(image.subarray(0, PREAMBLE_LENGTH));
    expect(reader.lock.tryAcquire("transaction")).toBe(false);
    await s.disconnected();
    expect(reader.lock.tryAcquire("transaction")).toBe(true); // the merchant may take a payment meanwhile
    expect(await s.begin(image.subarray(0, PREAMBLE_LENGTH))).toMatchObject({ kind: "refused", code: "fw-busy" });
    reader.lock.release("transaction");
    expect(await s.begin(image.subarray(0, PREAMBLE_LENGTH))).toEqual({ kind: "ready", offset: 0, total: 3000 });
    expect(await s.abort()).toEqual({ kind: "aborted" });
    expect(reader.lock.current).toBeNull();
    expect(reader.ota.snapshot().progress).toBe(false);

    await s.begin(image.subarray(0, PREAMBLE_LENGTH));
    for (let at = 0; at < 3000; at += 500) await s.chunk(at, image.subarray(PREAMBLE_LENGTH + at, PREAMBLE_LENGTH + at + 500));
    expect(await s.finish()).toMatchObject({ kind: "installed" });
    expect(reader.lock.tryAcquire("transaction")).toBe(false); // installed: the reader restarts, no payment now
    expect(await s.begin(image.subarray(0, PREAMBLE_LENGTH))).toMatchObject({ kind: "refused", code: "fw-state" });
  });

  it("an update does not start while the running image is still on trial (its fallback would be overwritten)", async () => {
    const ota = new SimulatedOta({ slotBytes: 16 * 1024, sectorBytes: 1024 });
    const first = signed("1.1.0", 2000);
    // Put an image in slot 1 and boot it on trial without confirming it.
    await ota.invalidateInactive();
    await ota.eraseSector(0);
    await ota.eraseSector(1024);
    await ota.write(0, first.subarray(PREAMBLE_LENGTH));
    await ota.activate(first.subarray(0, PREAMBLE_LENGTH));
    expect(ota.boot().slot).toBe(1);
    const service = new UpdateService({ ota, publicKey: testKeys.publicKey, product: PRODUCT, hardwareRevision: HW_REV, lock: new ActivityLock() });
    expect(await service.begin(signed("1.2.0").subarray(0, PREAMBLE_LENGTH))).toMatchObject({ kind: "refused", code: "fw-state" });
  });
});

describe("boot confirmation and fallback (issue 13, item 3)", () => {
  it("a new image whose self-tests fail is marked invalid and the reader falls back to the previous one", async () => {
    const reader = await newReader({ selfTest: (v) => (v === "1.1.0" ? ["aes-128 ecb encrypt (FIPS 197 C.1)"] : []) });
    await expect(transferFirmware(signed("1.1.0", 3000), { connect: async () => reader.connect(), chunkBytes: 200 }))
      .rejects.toMatchObject({ code: "fw-boot" });
    const boots = reader.boots.slice(-2);
    expect(boots[0].outcome).toEqual({ kind: "rolled-back", failed: ["aes-128 ecb encrypt (FIPS 197 C.1)"] });
    expect(boots[1]).toMatchObject({ boot: { slot: 0 }, outcome: { kind: "valid", version: "1.0.0" } });
    expect(reader.ota.snapshot()).toMatchObject({ running: 0, states: ["valid", "invalid"], counter: 0x1_0000_0000 });
    // A fixed build installs over the refused one.
    await transferFirmware(signed("1.1.1", 3000), { connect: async () => reader.connect(), chunkBytes: 200 });
    expect(await runningVersion(reader)).toBe("1.1.1");
  });

  it("after an update the anti-rollback counter forbids the previous version, though its image is still in flash", async () => {
    const reader = await newReader();
    await transferFirmware(signed("1.5.0", 2000), { connect: async () => reader.connect(), chunkBytes: 200 });
    expect(reader.ota.snapshot().counter).toBe(0x1_0005_0000);
    await expect(transferFirmware(signed("1.4.9", 2000), { connect: async () => reader.connect(), chunkBytes: 200 }))
      .rejects.toMatchObject({ code: "fw-rollback" });
  });

  it("a stored header that does not verify never raises the counter (a forged high version would block updates)", async () => {
    const reader = await newReader();
    const forged = signed("9.0.0", 3000, { seed: 99 }).slice(0, PREAMBLE_LENGTH);
    forged[100] ^= 1;
    (reader.ota as unknown as { descriptors: Uint8Array[] }).descriptors[0] = forged;
    await reader.powerOn();
    expect(reader.ota.snapshot().counter).toBe(0x1_0000_0000);
  });
});
