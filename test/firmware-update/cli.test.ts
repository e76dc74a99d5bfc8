import { createPrivateKey, createPublicKey } from "crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { TEST_KEY_FILE } from "../../host-sim/firmware/test-keys";
import { mpos } from "../support/cli";
import { imageBytes } from "./fixtures";

// `mpos firmware keygen|sign|verify` and `mpos phone update` (issue 13, items 1 and 2), with the CLI
// rules: one JSON object with --json, exit 2 for bad input, exit 0 from verify only for a good image.

const ROOT = join(__dirname, "..", "..");
const TEST_KEY = join(ROOT, TEST_KEY_FILE);
const dir = mkdtempSync(join(tmpdir(), "mpos-fw-"));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

function file(name: string, bytes?: Uint8Array): string {
  const path = join(dir, name);
  if (bytes !== undefined) writeFileSync(path, bytes);
  return path;
}

describe("mpos firmware keygen", () => {
  it("writes FILE (PKCS#8, owner-only) and FILE.pub (SPKI) that OpenSSL reads as Ed25519", async () => {
    const out = file("dev.key");
    const r = await mpos("firmware", "keygen", "--out", out, "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ privateKey: out, publicKey: `${out}.pub`, keyId: expect.stringMatching(/^[0-9A-F]{16}$/) });
    expect(createPrivateKey(readFileSync(out)).asymmetricKeyType).toBe("ed25519");
    expect(createPublicKey(readFileSync(`${out}.pub`)).asymmetricKeyType).toBe("ed25519");
    expect(statSync(out).mode & 0o077).toBe(0);
    expect(r.stdout).not.toContain("PRIVATE");
  });

  it("refuses to overwrite a key (exit 2) unless --force", async () => {
    const out = file("twice.key");
    expect((await mpos("firmware", "keygen", "--out", out)).status).toBe(0);
    const again = await mpos("firmware", "keygen", "--out", out, "--json");
    expect(again.status).toBe(2);
    expect(again.json.error).toMatch(/exists/);
    expect((await mpos("firmware", "keygen", "--out", out, "--force")).status).toBe(0);
  });
});

describe("mpos firmware sign and verify", () => {
  const image = file("app.bin");
  beforeAll(() => writeFileSync(image, imageBytes(50_000, 5)));

  it("signs with the private key; verify with the public key exits 0 with the header fields", async () => {
    const out = file("app.signed");
    const s = await mpos("firmware", "sign", "--key", TEST_KEY, "--in", image, "--out", out, "--version", "1.2.3", "--json");
    expect(s.status).toBe(0);
    expect(s.json).toMatchObject({ out, product: "MPOS-R1", hardwareRevision: 1, version: "1.2.3", imageLength: 50_000 });
    expect(readFileSync(out).length).toBe(144 + 50_000);
    const v = await mpos("firmware", "verify", "--in", out, "--key", `${TEST_KEY}.pub`, "--json");
    expect(v.status).toBe(0);
    expect(v.json).toEqual({ valid: true, product: "MPOS-R1", hardwareRevision: 1, version: "1.2.3", imageLength: 50_000,
      imageHash: s.json.imageHash, keyId: s.json.keyId });
    // The private key file works too: its public half is used.
    expect((await mpos("firmware", "verify", "--in", out, "--key", TEST_KEY)).status).toBe(0);
  });

  it("verify exits 1 with the reason for a flipped bit, another key, another product or an older version", async () => {
    const out = file("refused.signed");
    await mpos("firmware", "sign", "--key", TEST_KEY, "--in", image, "--out", out, "--version", "1.2.3", "--product", "MPOS-R1", "--hw-rev", "1");
    const bytes = new Uint8Array(readFileSync(out));
    bytes[5000] ^= 0x80;
    const flipped = file("flipped.signed", bytes);
    const other = file("other.key");
    await mpos("firmware", "keygen", "--out", other);
    const cases: [string[], string][] = [
      [["--in", flipped, "--key", `${TEST_KEY}.pub`], "fw-hash"],
      [["--in", out, "--key", `${other}.pub`], "fw-key"],
      [["--in", out, "--key", `${TEST_KEY}.pub`, "--product", "kiosk"], "fw-product"],
      [["--in", out, "--key", `${TEST_KEY}.pub`, "--hw-rev", "2"], "fw-hardware"],
      [["--in", out, "--key", `${TEST_KEY}.pub`, "--min-version", "1.3.0"], "fw-rollback"],
      [["--in", file("short.signed", bytes.subarray(0, 1000)), "--key", `${TEST_KEY}.pub`], "fw-length"],
    ];
    for (const [args, code] of cases) {
      const r = await mpos("firmware", "verify", ...args, "--json");
      expect({ code, status: r.status, json: r.json }).toEqual({ code, status: 1, json: { valid: false, code, reason: expect.any(String) } });
      const text = await mpos("firmware", "verify", ...args);
      expect(text.stdout).toMatch(new RegExp(`^REFUSED \\(${code}\\)`));
    }
  });

  it("bad command lines exit 2: no key, a public key to sign, a bad version, a missing file, an empty image", async () => {
    const out = file("x.signed");
    const empty = file("empty.bin", new Uint8Array(0));
    const cases: [string[], RegExp][] = [
      [["firmware", "sign", "--in", image, "--out", out, "--version", "1.0.0"], /missing --key/],
      [["firmware", "sign", "--key", `${TEST_KEY}.pub`, "--in", image, "--out", out, "--version", "1.0.0"], /private key/],
      [["firmware", "sign", "--key", TEST_KEY, "--in", image, "--out", out, "--version", "1.0"], /version/],
      [["firmware", "sign", "--key", TEST_KEY, "--in", file("none.bin"), "--out", out, "--version", "1.0.0"], /cannot read/],
      [["firmware", "sign", "--key", TEST_KEY, "--in", empty, "--out", out, "--version", "1.0.0"], /empty/],
      [["firmware", "sign", "--key", TEST_KEY, "--in", image, "--out", out, "--version", "1.0.0", "--hw-rev", "x"], /--hw-rev/],
      [["firmware", "verify", "--in", out, "--key", image], /PEM/],
      [["firmware", "verify", "--in", out], /missing --key/],
    ];
    for (const [argv, message] of cases) {
      const r = await mpos(...argv, "--json");
      expect({ argv, status: r.status }).toEqual({ argv, status: 2 });
      expect(r.json.error).toMatch(message);
    }
  });
});

describe("mpos phone update", () => {
  const image = file("phone.bin");
  const signedImage = file("phone.signed");
  beforeAll(async () => {
    writeFileSync(image, imageBytes(200_000, 9));
    await mpos("firmware", "sign", "--key", TEST_KEY, "--in", image, "--out", signedImage, "--version", "1.4.0");
  });

  it("updates a simulated reader through the SDK over BLE: prints {applied, version, modeledMs}, progress on stderr", async () => {
    const r = await mpos("phone", "update", "--image", signedImage, "--json");
    expect(r.status).toBe(0);
    expect(Object.keys(r.json)).toEqual(["applied", "version", "modeledMs"]);
    expect(r.json).toEqual({ applied: true, version: "1.4.0", modeledMs: expect.any(Number) });
    expect(r.stderr).toMatch(/sending +50%/);
    expect(r.stderr).toMatch(/installing +100%/);
    expect(r.stderr).toMatch(/done +100%/);
  });

  it("at ATT_MTU 23 the modeled time is longer, and a dropped link every few requests still applies", async () => {
    const at247 = await mpos("phone", "update", "--image", signedImage, "--json");
    const at23 = await mpos("phone", "update", "--image", signedImage, "--mtu", "23", "--json");
    expect(at23.json.modeledMs).toBeGreaterThan(at247.json.modeledMs * 5);
    const dropping = await mpos("phone", "update", "--image", signedImage, "--drop-every", "200", "--json");
    expect(dropping.json).toMatchObject({ applied: true, version: "1.4.0" });
    expect(dropping.stderr).toMatch(/reconnections/);
  });

  it("an image the reader refuses exits 2 with the reader's reason", async () => {
    const older = file("older.signed");
    await mpos("firmware", "sign", "--key", TEST_KEY, "--in", image, "--out", older, "--version", "0.9.0");
    const r = await mpos("phone", "update", "--image", older, "--json");
    expect(r.status).toBe(2);
    expect(r.json.error).toMatch(/older than this reader allows/);
    const other = file("phone-other.key");
    await mpos("firmware", "keygen", "--out", other);
    const foreign = file("foreign.signed");
    await mpos("firmware", "sign", "--key", other, "--in", image, "--out", foreign, "--version", "2.0.0");
    expect((await mpos("phone", "update", "--image", foreign, "--json")).json.error).toMatch(/does not trust/);
    // A reader that trusts that key takes it.
    expect((await mpos("phone", "update", "--image", foreign, "--reader-key", `${other}.pub`, "--json")).json)
      .toMatchObject({ applied: true, version: "2.0.0" });
  });

  it("bad options exit 2", async () => {
    for (const argv of [["--image", signedImage, "--mtu", "22"], ["--image", signedImage, "--mtu", "x"], ["--mtu", "247"], ["--image", signedImage, "--window", "3"]]) {
      expect((await mpos("phone", "update", ...argv, "--json")).status).toBe(2);
    }
  });
});
