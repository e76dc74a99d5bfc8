import { FirmwareUpdateError, PREAMBLE_LENGTH, type UpdateProgress } from "../../kernel/firmware-update";
import { decodeMessage, decodeRequest, decodeResponse, encodeRequest, encodeResponse, STATUS } from "../../kernel/protocol";
import { decodeFirmwareProgress, encodeFirmwareProgress } from "../../kernel/protocol/firmware-messages";
import { ReaderStatusError } from "../../client/errors";
import { BleUpdateRig, type BleUpdateRigOptions } from "../../host-sim/flash/ble-update-rig";
import { HW_REV, newOta, PRODUCT, signed, testKeys } from "./fixtures";

// Issue 13 over the BLE protocol of issue 9: the firmware messages, the reader's handlers, and the
// SDK's ReaderClient.updateFirmware against a simulated reader over the loopback GATT, with the
// secure session, pairing and framing of the real protocol.

async function rig(options: Partial<BleUpdateRigOptions> = {}): Promise<BleUpdateRig> {
  const r = new BleUpdateRig({ ota: newOta(), publicKey: testKeys.publicKey, product: PRODUCT, hardwareRevision: HW_REV, ...options });
  await r.powerOn();
  return r;
}

describe("firmware messages (requests 30-34, event 41)", () => {
  it("round-trip through the protocol's codec with their tags and bounds", () => {
    const preamble = signed("1.1.0").subarray(0, PREAMBLE_LENGTH);
    const begin = decodeRequest(decodeMessage(encodeRequest("firmware-begin", 9, { preamble })));
    expect(begin).toEqual({ type: "firmware-begin", id: 9, body: { preamble } });
    const data = Uint8Array.of(1, 2, 3);
    const chunk = encodeRequest("firmware-chunk", 10, { offset: 70_000, data });
    expect(chunk.subarray(0, 3)).toEqual(Uint8Array.of(1, 0x32, 10));
    expect(decodeRequest(decodeMessage(chunk)).body).toEqual({ offset: 70_000, data });
    const ack = decodeResponse(decodeMessage(encodeResponse("firmware-chunk", 10, "ok", { offset: 70_003 })));
    expect(ack).toMatchObject({ type: "firmware-chunk", status: "ok", body: { offset: 70_003 } });
    const refused = decodeResponse(decodeMessage(encodeResponse("firmware-begin", 11, "firmwareRollback")));
    expect(refused).toMatchObject({ status: "firmwareRollback", body: null });
    expect(STATUS.firmwareRollback).toBe(0x45);
    const progress = { phase: "installing" as const, offset: 5000, total: 5000 };
    expect(decodeFirmwareProgress(decodeMessage(encodeFirmwareProgress(progress)))).toEqual(progress);
  });

  it("a chunk over 512 bytes or a preamble of the wrong length does not decode (message-field)", () => {
    expect(() => encodeRequest("firmware-chunk", 1, { offset: 0, data: new Uint8Array(513) })).toThrow(expect.objectContaining({ code: "message-field" }));
    expect(() => encodeRequest("firmware-begin", 1, { preamble: new Uint8Array(143) })).toThrow(expect.objectContaining({ code: "message-field" }));
  });
});

describe("ReaderClient.updateFirmware over the loopback GATT", () => {
  it("a good update applies: the phone pairs, sends, the reader verifies, restarts into it and confirms it", async () => {
    const r = await rig();
    const phone = await r.phone();
    const phases: string[] = [];
    const result = await phone.updateFirmware(signed("1.1.0", 20_000), (p: UpdateProgress) => {
      if (phases[phases.length - 1] !== p.phase) phases.push(p.phase);
    });
    expect(result).toMatchObject({ version: "1.1.0", resumes: 0, bytesSent: 20_000 });
    expect(phases).toEqual(["connecting", "sending", "verifying", "installing", "restarting", "connecting", "done"]);
    expect(r.boots.map((b) => b.kind)).toEqual(["valid", "confirmed"]);
    expect(r.ota.snapshot()).toMatchObject({ running: 1, states: ["valid", "valid"], counter: 0x1_0001_0000 });
    // The reader tells who it is now.
    expect((await phone.getInfo()).firmwareVersion).toBe("1.1.0");
    await phone.disconnect();
  });

  it("refusals reach the app as FirmwareUpdateError with the reader's reason", async () => {
    const r = await rig();
    const phone = await r.phone();
    const cases: [Uint8Array, string][] = [
      [signed("0.9.0"), "fw-rollback"],
      [signed("1.1.0", 5000, { product: "kiosk" }), "fw-product"],
      [signed("1.1.0", 5000, { secretKey: new Uint8Array(32).fill(3) }), "fw-key"],
      [(() => { const b = signed("1.1.0"); b[100] ^= 1; return b; })(), "fw-signature"],
      [(() => { const b = signed("1.1.0"); b[PREAMBLE_LENGTH + 10] ^= 1; return b; })(), "fw-hash"],
    ];
    for (const [image, code] of cases) {
      const e = await phone.updateFirmware(image).then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(FirmwareUpdateError);
      expect({ code, got: (e as FirmwareUpdateError).code }).toEqual({ code, got: code });
    }
    expect(r.ota.snapshot()).toMatchObject({ running: 0, states: ["valid", "empty"] });
    await phone.disconnect();
  });

  it("the link dropping every 40 frames: the transfer resumes from the reader's offset and applies", async () => {
    const r = await rig({ dropEveryFrames: 40 });
    const phone = await r.phone();
    const result = await phone.updateFirmware(signed("1.2.0", 30_000), undefined, { maxReconnects: 100 });
    expect(result.version).toBe("1.2.0");
    expect(r.drops).toBeGreaterThan(2);
    expect(result.resumes).toBeGreaterThan(2);
    // Only the chunks in flight at each drop went twice.
    expect(result.bytesSent).toBeLessThan(30_000 + (result.resumes + 1) * 6 * 202);
    await phone.disconnect();
  });

  it("at ATT_MTU 23 a chunk spans several 20-byte frames, and the update applies", async () => {
    const r = await rig({ mtu: 23 });
    const phone = await r.phone();
    expect(phone.stats().mtu).toBe(23);
    expect((await phone.updateFirmware(signed("1.1.0", 6000))).version).toBe("1.1.0");
    await phone.disconnect();
  });

  it("no update during a transaction, and no transaction during an update (busy)", async () => {
    const r = await rig();
    const phone = await r.phone();
    const tx = await phone.startTransaction({ amount: 100, currency: 978, transactionType: "purchase" });
    await expect(phone.updateFirmware(signed("1.1.0"))).rejects.toMatchObject({ code: "fw-busy" });
    await tx.cancel();
    await tx.outcome;
    // An update begun (header accepted, nothing sent yet) holds the reader.
    const other = await r.phone();
    const preamble = signed("1.1.0").subarray(0, PREAMBLE_LENGTH);
    const begin = await (other as unknown as { request(t: string, b: unknown): Promise<unknown> }).request("firmware-begin", { preamble });
    expect(begin).toEqual({ offset: 0, imageLength: 5000 });
    const refused = await phone.startTransaction({ amount: 100, currency: 978, transactionType: "purchase" }).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(ReaderStatusError);
    expect((refused as ReaderStatusError).status).toBe("busy");
    // The updating phone goes away: the reader is free again (the transfer stays resumable).
    await other.disconnect();
    await new Promise((resolve) => setImmediate(resolve));
    const tx2 = await phone.startTransaction({ amount: 100, currency: 978, transactionType: "purchase" });
    await tx2.cancel();
    await phone.disconnect();
  });

  it("a self-test failure on the new image's first boot: the reader falls back, the app gets fw-boot", async () => {
    const r = await rig({ selfTest: (v) => (v === "1.1.0" ? ["ed25519 verify (RFC 8032 7.1 TEST 1)"] : []) });
    const phone = await r.phone();
    await expect(phone.updateFirmware(signed("1.1.0", 4000))).rejects.toMatchObject({ code: "fw-boot" });
    expect(r.boots.map((b) => b.kind)).toEqual(["valid", "rolled-back", "valid"]);
    expect((await phone.getInfo()).firmwareVersion).toBe("1.0.0");
    await phone.disconnect();
  });
});
