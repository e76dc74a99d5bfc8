import { fromHex } from "../../kernel/bytes";
import { MposError } from "../../kernel/errors";
import { CryptoInputError, softwareCrypto } from "../../kernel/crypto";

describe("the software CryptoProvider", () => {
  it("implements every operation of the provider interface and cannot be patched", () => {
    for (const op of ["aesEcbEncrypt", "aesEcbDecrypt", "aesCbcEncrypt", "aesCbcDecrypt", "tdesEcbEncrypt",
      "tdesEcbDecrypt", "tdesCbcEncrypt", "tdesCbcDecrypt", "sha1", "sha256", "hmacSha256", "rsaPublic"]) {
      expect(typeof (softwareCrypto as unknown as Record<string, unknown>)[op]).toBe("function");
    }
    expect(Object.isFrozen(softwareCrypto)).toBe(true);
  });

  it("input errors are MposErrors with a stable crypto-* code and no key bytes", () => {
    const key = fromHex("DEADBEEFCAFEBABE0123456789ABCDEF00"); // 17 bytes
    try {
      softwareCrypto.aesEcbEncrypt(key, new Uint8Array(16));
      throw new Error("expected a CryptoInputError");
    } catch (e) {
      expect(e).toBeInstanceOf(CryptoInputError);
      expect(e).toBeInstanceOf(MposError);
      expect((e as MposError).code).toBe("crypto-key");
      expect((e as Error).message).not.toMatch(/DEAD|dead|CAFE|cafe/);
    }
  });

  it("AES and TDES outputs are fresh arrays, never views of the input", () => {
    const key = new Uint8Array(16);
    const data = new Uint8Array(16);
    for (const out of [softwareCrypto.aesEcbEncrypt(key, data), softwareCrypto.tdesEcbEncrypt(key, data)]) {
      expect(out.buffer).not.toBe(data.buffer);
    }
  });
});
