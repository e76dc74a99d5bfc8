import { toHex } from "../../kernel/bytes";
import { chunkBytesForMtu } from "../../kernel/firmware-update";
import { loadTestKeyPair } from "../../host-sim/firmware/test-keys";
import { signImage, SIMULATED_READER } from "../../host-sim/firmware/signing";
import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { onBothEngines, startXs } from "../support/xs";

// The firmware update (issue 13) on the engine the reader runs: Ed25519 verification, the refusals,
// the transfer model, and a whole update of a simulated reader, with a power cut and with dropped
// links, each giving exactly the answer Node gives.

const keys = loadTestKeyPair();
const fields = (version: string) => {
  const [major, minor, patch] = version.split(".").map(Number);
  return { product: SIMULATED_READER.product, hardwareRevision: SIMULATED_READER.hardwareRevision, version: { major, minor, patch } };
};
function image(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}
const factory = toHex(signImage(image(10_000, 1), fields("1.0.0"), keys.secretKey));
const update = signImage(image(20_000, 2), fields("1.1.0"), keys.secretKey);
const publicKey = toHex(keys.publicKey);

describe("firmware update services on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  it("firmware.verify: a good image and a flipped bit give the same answers on both engines", async () => {
    const good = await onBothEngines(xs, "firmware.verify", { image: toHex(update), publicKey });
    expect(good.xs).toEqual(good.node);
    expect(good.node).toMatchObject({ valid: true, header: { version: "1.1.0", imageLength: 20_000 } });
    const bad = update.slice();
    bad[bad.length - 1] ^= 0x01;
    const flipped = await onBothEngines(xs, "firmware.verify", { image: toHex(bad), publicKey });
    expect(flipped.xs).toEqual(flipped.node);
    expect(flipped.node).toMatchObject({ valid: false, code: "fw-hash" });
  });

  it("firmware.simulateUpdate: a whole update with a power cut mid-transfer resumes and applies on XS", async () => {
    const args = {
      factory, image: toHex(update), publicKey, product: SIMULATED_READER.product,
      hardwareRevision: SIMULATED_READER.hardwareRevision, chunkBytes: chunkBytesForMtu(247), sectorBytes: 1024,
      powerCutAt: 7,
    };
    const r = await onBothEngines(xs, "firmware.simulateUpdate", args);
    expect(r.xs).toEqual(r.node);
    expect(r.node).toMatchObject({ outcome: "applied", version: "1.1.0", running: { slot: 1, version: "1.1.0", states: ["valid", "valid"] } });
    expect((r.node as { resumes: number }).resumes).toBe(1); // the cut happened, and the transfer resumed
  });

  it("firmware.modelTransferTime: the same model on XS", async () => {
    const r = await onBothEngines(xs, "firmware.modelTransferTime", { bytes: 1 << 20, mtu: 247 });
    expect(r.xs).toEqual(r.node);
  });
});
