import { randomBytes } from "crypto";
import type { CryptoProvider } from "../../kernel/crypto/provider";
import { powerOnSelfTests, runSelfTests } from "../../kernel/selftest";

// Issue 10 item 2, issue 12: the ESP32's CryptoProvider over Moddable's native `crypt` module
// (hal/esp32/crypto-provider.ts), run on a fake of that module that keeps modCrypt.c's behaviour
// (./moddable-crypt-fake.ts) over Node's OpenSSL. The software provider's own suites
// (test/crypto/*.test.ts: FIPS 197, SP 800-38A, FIPS 81, SP 800-67, FIPS 180, RFC 4231, SP 800-38B,
// ISO 9797-1 and the vectors of ../shared/vectors they load) run again below with every export of
// kernel/crypto swapped for the native provider's, and so do the power-on self-tests.

jest.mock("crypt", () => require("./moddable-crypt-fake"), { virtual: true });
jest.mock("../../kernel/crypto", () => {
  const actual = jest.requireActual("../../kernel/crypto");
  const { nativeCrypto } = jest.requireActual("../../hal/esp32/crypto-provider");
  return { ...actual, ...nativeCrypto, softwareCrypto: nativeCrypto };
});

const { nativeCrypto } = require("../../hal/esp32/crypto-provider") as { nativeCrypto: CryptoProvider };
const { softwareCrypto } = jest.requireActual("../../kernel/crypto") as { softwareCrypto: CryptoProvider };
const crypt = require("./moddable-crypt-fake") as typeof import("./moddable-crypt-fake");

const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

describe("the software provider's test suites, through the native provider", () => {
  it("kernel/crypto's exports are the native provider's in the suites below", () => {
    const mocked = require("../../kernel/crypto");
    expect(mocked.softwareCrypto).toBe(nativeCrypto);
    expect(mocked.tdesCbcDecrypt).toBe(nativeCrypto.tdesCbcDecrypt);
    expect(mocked.hmacSha256).toBe(nativeCrypto.hmacSha256);
  });

  describe.each(["aes", "des", "sha", "cmac", "iso9797", "rsa", "kat-crypto", "software"])("test/crypto/%s.test.ts", (suite) => {
    require(`../crypto/${suite}.test`);
  });
});

describe("the power-on self-tests prove the native provider at boot", () => {
  it("every known-answer test of kernel/selftest passes with it", () => {
    const report = runSelfTests(nativeCrypto, powerOnSelfTests);
    expect(report.tests.filter((t) => !t.ok).map((t) => t.name)).toEqual([]);
    expect(report.passed).toBe(powerOnSelfTests.length);
  });
});

describe("hal/esp32/crypto-provider.ts over modCrypt.c's conventions", () => {
  it("SP 800-67 Rev. 2, 3.2: three-key decryption is D_K1(E_K2(D_K3(C))), which crypt's TDES gets only from K3 || K2 || K1", () => {
    const key = bytes(24);
    const pt = bytes(32);
    const ct = softwareCrypto.tdesEcbEncrypt(key, pt);
    // crypt's TDES as is: encryption is right, decryption applies K1 first (the fake keeps modCrypt.c's order).
    const tdes = new crypt.Mode("ECB", new crypt.BlockCipher("TDES", key.slice().buffer), undefined, false);
    expect(new Uint8Array(tdes.encrypt(pt))).toEqual(ct);
    expect(new Uint8Array(tdes.decrypt(ct))).not.toEqual(pt);
    // The provider reorders the key for decryption.
    expect(nativeCrypto.tdesEcbDecrypt(key, ct)).toEqual(pt);
    expect(nativeCrypto.tdesCbcDecrypt(key, pt.subarray(0, 8), softwareCrypto.tdesCbcEncrypt(key, pt.subarray(0, 8), pt))).toEqual(pt);
  });

  it("agrees with the software provider on random keys, IVs and data of every accepted length", () => {
    for (let i = 0; i < 60; i++) {
      const aesKey = bytes(pick([16, 24, 32]));
      const desKey = bytes(pick([8, 16, 24]));
      const aesData = bytes(16 * (1 + (i % 4)));
      const desData = bytes(8 * (1 + (i % 5)));
      const aesIv = bytes(16);
      const desIv = bytes(8);
      for (const op of ["aesEcbEncrypt", "aesEcbDecrypt"] as const) expect(nativeCrypto[op](aesKey, aesData)).toEqual(softwareCrypto[op](aesKey, aesData));
      for (const op of ["aesCbcEncrypt", "aesCbcDecrypt"] as const) expect(nativeCrypto[op](aesKey, aesIv, aesData)).toEqual(softwareCrypto[op](aesKey, aesIv, aesData));
      for (const op of ["tdesEcbEncrypt", "tdesEcbDecrypt"] as const) expect(nativeCrypto[op](desKey, desData)).toEqual(softwareCrypto[op](desKey, desData));
      for (const op of ["tdesCbcEncrypt", "tdesCbcDecrypt"] as const) expect(nativeCrypto[op](desKey, desIv, desData)).toEqual(softwareCrypto[op](desKey, desIv, desData));
      const message = bytes(i * 7);
      expect(nativeCrypto.sha1(message)).toEqual(softwareCrypto.sha1(message));
      expect(nativeCrypto.sha256(message)).toEqual(softwareCrypto.sha256(message));
      const macKey = bytes(1 + i * 3); // 1 to 178 bytes: shorter than, equal to and longer than the 64-byte block
      expect(nativeCrypto.hmacSha256(macKey, message)).toEqual(softwareCrypto.hmacSha256(macKey, message));
    }
  });

  it("refuses exactly what the software provider refuses, with the same code and message", () => {
    const bad: [keyof CryptoProvider, unknown[]][] = [
      ["aesEcbEncrypt", [bytes(15), bytes(16)]], ["aesEcbDecrypt", [bytes(16), bytes(17)]],
      ["aesCbcEncrypt", [bytes(16), bytes(8), bytes(16)]], ["aesCbcDecrypt", [bytes(33), bytes(16), bytes(0)]],
      ["tdesEcbEncrypt", [bytes(12), bytes(8)]], ["tdesEcbDecrypt", [bytes(16), bytes(0)]],
      ["tdesCbcEncrypt", [bytes(16), bytes(16), bytes(8)]], ["tdesCbcDecrypt", [bytes(7), bytes(9), bytes(9)]],
      ["tdesEcbEncrypt", ["0123456789ABCDEF", bytes(8)]], ["aesEcbEncrypt", [bytes(16), [1, 2, 3]]],
      ["sha1", ["abc"]], ["sha256", [undefined]],
      ["hmacSha256", [new Uint8Array(0), bytes(4)]], ["hmacSha256", [bytes(4), "text"]],
    ];
    const outcome = (p: CryptoProvider, op: keyof CryptoProvider, args: unknown[]) => {
      try {
        (p[op] as (...a: unknown[]) => unknown)(...args);
        return "no error";
      } catch (e) {
        return { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message };
      }
    };
    for (const [op, args] of bad) {
      const expected = outcome(softwareCrypto, op, args);
      expect(expected).toMatchObject({ name: "CryptoInputError" });
      expect([op, outcome(nativeCrypto, op, args)]).toEqual([op, expected]);
    }
  });

  it("the JavaScript copy of every key handed to crypt is zeroized once the native cipher holds it", () => {
    crypt.keyArguments.length = 0;
    nativeCrypto.aesCbcEncrypt(bytes(32), bytes(16), bytes(32));
    nativeCrypto.tdesEcbDecrypt(bytes(24), bytes(8));
    nativeCrypto.tdesCbcEncrypt(bytes(16), bytes(8), bytes(8));
    nativeCrypto.tdesEcbEncrypt(bytes(8), bytes(8));
    expect(crypt.keyArguments.length).toBe(4);
    for (const k of crypt.keyArguments) expect(new Uint8Array(k).every((b) => b === 0)).toBe(true);
  });

  it("leaves its inputs alone and returns fresh bytes, even for data that is a view into a larger buffer", () => {
    const backing = bytes(64);
    const copy = backing.slice();
    const key = backing.subarray(0, 16);
    const data = backing.subarray(16, 48);
    const out = nativeCrypto.aesCbcEncrypt(key, backing.subarray(48, 64), data);
    expect(out).toEqual(softwareCrypto.aesCbcEncrypt(key, backing.subarray(48, 64), data));
    expect(out.buffer).not.toBe(backing.buffer);
    expect(backing).toEqual(copy);
    expect(nativeCrypto.sha256(data)).toEqual(softwareCrypto.sha256(data));
  });

  it("the fake holds crypt to its byte conventions: keys and IVs only as ArrayBuffers, data as bytes", () => {
    expect(() => new crypt.BlockCipher("AES", new Uint8Array(16))).toThrow(TypeError);
    const aes = new crypt.BlockCipher("AES", new ArrayBuffer(16));
    expect(() => new crypt.Mode("CBC", aes, new Uint8Array(16), false)).toThrow(TypeError);
    expect(() => new crypt.Mode("ECB", aes).encrypt(new Uint16Array(8))).toThrow(TypeError);
    expect(() => new crypt.BlockCipher("AES", new ArrayBuffer(20))).toThrow("bad key size");
    expect(() => new crypt.Digest("SHA3")).toThrow("crypt: unsupported digest");
  });

  it("RSA recovery stays the kernel's (XS BigInt is native; crypt's modular exponentiation comes only with TLS)", () => {
    expect(nativeCrypto.rsaPublic).toBe(jest.requireActual("../../kernel/crypto/rsa").rsaPublic);
    expect(Object.isFrozen(nativeCrypto)).toBe(true);
  });
});
