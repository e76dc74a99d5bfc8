import { softwareCrypto, type CryptoProvider } from "../../kernel/crypto";
import { cryptoKats } from "../../kernel/selftest/kat-crypto";
import { runSelfTests } from "../../kernel/selftest/selftest";

/** The software provider with one operation's output corrupted in its last bit. */
function faulty(op: keyof CryptoProvider): CryptoProvider {
  const broken = { ...softwareCrypto } as Record<string, (...args: any[]) => Uint8Array>;
  const real = broken[op];
  broken[op] = (...args: any[]) => {
    const out = real(...args).slice();
    out[out.length - 1] ^= 1;
    return out;
  };
  return broken as unknown as CryptoProvider;
}

describe("crypto power-on self-tests", () => {
  it("every known-answer test passes on the software provider", () => {
    const report = runSelfTests(softwareCrypto, cryptoKats);
    expect(report.tests.filter((t) => !t.ok)).toEqual([]);
    expect(report.failed).toBe(0);
  });

  it("covers every primitive and mode the issue names", () => {
    const names = cryptoKats.map((k) => k.name.toLowerCase()).join("\n");
    for (const needle of ["aes-128 ecb", "aes-192", "aes-256", "aes-128 cbc", "des ecb", "des cbc",
      "tdes 2-key", "tdes 3-key", "tdes 3-key cbc", "tdes 2-key cbc", "aes-128 cmac", "tdes 3-key cmac",
      "tdes 2-key cmac", "9797-1 mac algorithm 1", "9797-1 mac algorithm 3", "padding 2", "sha-1",
      "sha-256", "hmac-sha-256", "rsa"]) {
      expect(names).toContain(needle);
    }
    expect(new Set(cryptoKats.map((k) => k.name)).size).toBe(cryptoKats.length);
  });

  it.each([
    "aesEcbEncrypt", "aesEcbDecrypt", "aesCbcEncrypt", "aesCbcDecrypt", "tdesEcbEncrypt", "tdesEcbDecrypt",
    "tdesCbcEncrypt", "tdesCbcDecrypt", "sha1", "sha256", "hmacSha256", "rsaPublic",
  ] as (keyof CryptoProvider)[])("a fault in %s makes at least one test fail, without throwing", (op) => {
    const report = runSelfTests(faulty(op), cryptoKats);
    expect(report.failed).toBeGreaterThan(0);
  });
});
