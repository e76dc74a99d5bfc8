import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from "crypto";
import { readFileSync } from "fs";
import { join } from "path";
import { fromHex, toHex } from "../../kernel/bytes";
import {
  compareVersions, decodeImageHeader, ed25519Verify, encodeImageHeader, FirmwareUpdateError, HEADER_LENGTH, keyIdOf,
  parseVersion, PREAMBLE_LENGTH, verifyPreamble, verifySignedImage, versionCounter, versionFromCounter, type ImagePolicy,
} from "../../kernel/firmware-update";
import { firmwareKats } from "../../kernel/selftest/kat-firmware";
import { runSelfTests } from "../../kernel/selftest";
import { softwareCrypto } from "../../kernel/crypto";
import { parseKeyFile, privateKeyPem, publicKeyPem } from "../../host-sim/firmware/key-files";
import { TEST_KEY_FILE } from "../../host-sim/firmware/test-keys";
import { HW_REV, PRODUCT, signed, testKeys } from "./fixtures";

// The image format (header, Ed25519 signature) and every refusal the issue lists, on a whole image.

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FirmwareUpdateError) return e.code;
    throw e;
  }
  return "accepted";
}

const policy: ImagePolicy = { product: PRODUCT, hardwareRevision: HW_REV, rollbackCounter: versionCounter(parseVersion("1.0.0")), slotBytes: 1 << 20 };

describe("image header: the layout of image-header.ts, field by field", () => {
  const header = {
    product: "mpos-reader",
    hardwareRevision: 0x0102,
    version: { major: 3, minor: 0x0405, patch: 0x0607 },
    imageLength: 0x00123456,
    imageHash: fromHex("11".repeat(32)),
    keyId: fromHex("2222222222222222"),
  };
  // Written from the table by hand: magic, format 1, Ed25519 1, length 0050, product NUL-padded to 16,
  // revision, version 0003 0405 0607, length, hash, key id, reserved zeros.
  const expected =
    "4D504657" + "01" + "01" + "0050" + "6D706F732D726561646572" + "0000000000" + "0102" + "0003" + "0405" + "0607" +
    "00123456" + "11".repeat(32) + "2222222222222222" + "00000000";

  it("encodes every field at its offset, 80 bytes in all", () => {
    expect(toHex(encodeImageHeader(header))).toBe(expected);
    expect(expected.length / 2).toBe(HEADER_LENGTH);
  });

  it("decodes what it encodes", () => {
    expect(decodeImageHeader(fromHex(expected))).toEqual(header);
  });

  const broken: [string, (b: Uint8Array) => void][] = [
    ["another magic", (b) => { b[0] = 0x4e; }],
    ["format 2", (b) => { b[4] = 2; }],
    ["an unknown signature algorithm", (b) => { b[5] = 2; }],
    ["a header length other than 80", (b) => { b[7] = 0x51; }],
    ["a reserved byte set", (b) => { b[79] = 1; }],
    ["a product with a space", (b) => { b[12] = 0x20; }],
    ["a product not NUL-padded (a byte after the NUL)", (b) => { b[22] = 0x41; }],
    ["an empty product", (b) => { b.fill(0, 8, 24); }],
  ];
  for (const [what, breakIt] of broken) {
    it(`refuses ${what} (fw-header)`, () => {
      const b = fromHex(expected);
      breakIt(b);
      expect(codeOf(() => decodeImageHeader(b))).toBe("fw-header");
    });
  }

  it("refuses a header of the wrong length (fw-header)", () => {
    expect(codeOf(() => decodeImageHeader(fromHex(expected).subarray(0, 79)))).toBe("fw-header");
  });

  it("refuses to encode fields that do not fit (fw-field)", () => {
    expect(codeOf(() => encodeImageHeader({ ...header, product: "a-product-name-too-long" }))).toBe("fw-field");
    expect(codeOf(() => encodeImageHeader({ ...header, hardwareRevision: 0x10000 }))).toBe("fw-field");
    expect(codeOf(() => encodeImageHeader({ ...header, imageLength: 2 ** 32 }))).toBe("fw-field");
    expect(codeOf(() => encodeImageHeader({ ...header, imageHash: new Uint8Array(31) }))).toBe("fw-field");
  });
});

describe("versions: SemVer 2.0.0 cores, ordered by precedence (11.4.1)", () => {
  it("parses X.Y.Z and refuses anything else", () => {
    expect(parseVersion("1.20.300")).toEqual({ major: 1, minor: 20, patch: 300 });
    for (const bad of ["1.2", "1.2.3.4", "01.2.3", "1.2.3-rc.1", "1.2.3+build", "65536.0.0", "a.b.c", "", " 1.2.3"]) {
      expect(codeOf(() => parseVersion(bad))).toBe("fw-field");
    }
  });

  it("orders numerically by major, then minor, then patch (1.10.0 after 1.9.9)", () => {
    expect(compareVersions(parseVersion("1.10.0"), parseVersion("1.9.9"))).toBeGreaterThan(0);
    expect(compareVersions(parseVersion("2.0.0"), parseVersion("1.65535.65535"))).toBeGreaterThan(0);
    expect(compareVersions(parseVersion("1.2.3"), parseVersion("1.2.3"))).toBe(0);
    const v = parseVersion("65535.65535.65535");
    expect(versionFromCounter(versionCounter(v))).toEqual(v);
    expect(versionCounter(v)).toBe(2 ** 48 - 1);
  });
});

describe("Ed25519 (RFC 8032) as the reader checks it", () => {
  it("the power-on known-answer tests pass: RFC 8032 7.1 TEST 1 to 3, and changed inputs refused", () => {
    const report = runSelfTests(softwareCrypto, firmwareKats);
    expect(report.failed).toBe(0);
    expect(report.passed).toBe(4);
  });

  it("refuses a non-canonical S (S + L), which the lax ZIP 215 rules would also refuse, and any malformed input", () => {
    // RFC 8032 5.1.7, step 1: S must be below L = 2^252 + 27742317777372353535851937790883648493.
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const pk = fromHex("D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A");
    const sig = fromHex("E5564300C360AC729086E2CC806E828A84877F1EB8E5D974D873E065224901555FB8821590A33BACC61E39701CF9B46BD25BF5F0595BBE24655141438E7A100B");
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
    s += L;
    const forged = sig.slice();
    for (let i = 32; i < 64; i++) { forged[i] = Number(s & 0xffn); s >>= 8n; }
    expect(ed25519Verify(sig, new Uint8Array(0), pk)).toBe(true);
    expect(ed25519Verify(forged, new Uint8Array(0), pk)).toBe(false);
    expect(ed25519Verify(sig.subarray(0, 63), new Uint8Array(0), pk)).toBe(false);
    expect(ed25519Verify(sig, new Uint8Array(0), new Uint8Array(32).fill(0xff))).toBe(false);
  });

  it("agrees with OpenSSL (Node's crypto): it reads our key files, verifies our signatures, and signs the same bytes", () => {
    const privatePem = readFileSync(join(__dirname, "..", "..", TEST_KEY_FILE), "utf8");
    const publicPem = readFileSync(join(__dirname, "..", "..", `${TEST_KEY_FILE}.pub`), "utf8");
    const nodePublic = createPublicKey(publicPem);
    const raw = nodePublic.export({ format: "jwk" }).x as string;
    expect(Buffer.from(raw, "base64url").toString("hex").toUpperCase()).toBe(toHex(testKeys.publicKey));
    const image = signed("1.2.3", 777);
    const header = image.subarray(0, HEADER_LENGTH);
    const signature = image.subarray(HEADER_LENGTH, PREAMBLE_LENGTH);
    expect(nodeVerify(null, header, nodePublic, signature)).toBe(true);
    // Ed25519 is deterministic (RFC 8032 5.1.6): OpenSSL's signature is the same bytes.
    expect(toHex(nodeSign(null, header, createPrivateKey(privatePem)))).toBe(toHex(signature));
    // The key id is SHA-256 of the raw public key, first 8 bytes.
    expect(toHex(keyIdOf(testKeys.publicKey))).toBe(createHash("sha256").update(testKeys.publicKey).digest("hex").slice(0, 16).toUpperCase());
  });

  it("key files: PKCS#8 and SPKI PEM round-trip; other keys and broken PEM are fw-key-file", () => {
    expect(parseKeyFile(privateKeyPem(testKeys.secretKey))).toEqual({ kind: "private", secretKey: testKeys.secretKey, publicKey: testKeys.publicKey });
    expect(parseKeyFile(publicKeyPem(testKeys.publicKey))).toEqual({ kind: "public", publicKey: testKeys.publicKey });
    const p256 = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\nq9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n";
    for (const bad of ["", "not a key", p256, publicKeyPem(testKeys.publicKey).replace("MCow", "MCo$"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]) {
      expect(codeOf(() => parseKeyFile(bad))).toBe("fw-key-file");
    }
  });
});

describe("a whole signed image: each refusal of issue 13 with its own code", () => {
  const good = () => signed("1.1.0", 4096);
  const flip = (b: Uint8Array, at: number) => { const c = b.slice(); c[at] ^= 0x01; return c; };
  const cases: [string, () => Uint8Array, ImagePolicy | undefined, string][] = [
    ["a good image", good, policy, "accepted"],
    ["a bad signature", () => flip(good(), HEADER_LENGTH + 10), policy, "fw-signature"],
    ["a flipped bit in the header", () => flip(good(), 33), policy, "fw-signature"],
    ["a flipped bit in the image", () => flip(good(), PREAMBLE_LENGTH + 2048), policy, "fw-hash"],
    ["a flipped bit in the last image byte", () => flip(good(), PREAMBLE_LENGTH + 4095), policy, "fw-hash"],
    ["a truncated image", () => good().subarray(0, PREAMBLE_LENGTH + 4000), policy, "fw-length"],
    ["an image with bytes appended", () => Uint8Array.of(...good(), 0), policy, "fw-length"],
    ["a truncated header", () => good().subarray(0, 100), policy, "fw-header"],
    ["a wrong product", () => signed("1.1.0", 4096, { product: "other" }), policy, "fw-product"],
    ["another hardware revision", () => signed("1.1.0", 4096, { hardwareRevision: 7 }), policy, "fw-hardware"],
    ["an older version", () => signed("0.9.0", 4096), policy, "fw-rollback"],
    ["an image too large for a slot", () => good(), { ...policy, slotBytes: 4095 }, "fw-too-large"],
    ["another signing key", () => signed("1.1.0", 4096, { secretKey: fromHex("01".repeat(32)) }), policy, "fw-key"],
  ];
  for (const [what, make, p, code] of cases) {
    it(`${what}: ${code}`, () => {
      expect(codeOf(() => verifySignedImage(make(), testKeys.publicKey, p))).toBe(code);
    });
  }

  it("the header names its signing key: under another reader key the image is fw-key, before any signature check", () => {
    const preamble = signed("1.1.0", 10).subarray(0, PREAMBLE_LENGTH);
    expect(verifyPreamble(preamble, testKeys.publicKey).header.version).toEqual({ major: 1, minor: 1, patch: 0 });
    expect(codeOf(() => verifyPreamble(preamble, fromHex("3D4017C3E843895A92B70AA74D1B7EBC9C982CCF2EC4968CC0CD55F12AF4660C")))).toBe("fw-key");
  });
});
