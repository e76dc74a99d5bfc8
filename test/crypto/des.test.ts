import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from "crypto";
import { fromHex, toHex } from "../../kernel/bytes";
import { CryptoInputError, softwareCrypto as c } from "../../kernel/crypto";
import { loadVectors } from "../support/vectors";

const h = fromHex;

// OpenSSL through Node, an implementation independent of ours, for property checks over random
// inputs. Single DES is K || K || K (OpenSSL 3 keeps plain DES in the legacy provider only).
function openssl(alg: string, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, decrypt = false): string {
  const k = key.length === 8 ? Buffer.concat([key, key, key]) : Buffer.from(key);
  const name = key.length === 16 ? alg.replace("des-ede3", "des-ede") : alg;
  const cipher = decrypt ? createDecipheriv(name, k, iv) : createCipheriv(name, k, iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]).toString("hex").toUpperCase();
}

describe("DES (FIPS 46-3)", () => {
  it("FIPS 81 Appendix B: ECB of \"Now is the time for all \" under 0123456789ABCDEF", () => {
    const pt = h("4E6F77206973207468652074696D6520666F7220616C6C20");
    const ct = "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53";
    expect(toHex(c.tdesEcbEncrypt(h("0123456789ABCDEF"), pt))).toBe(ct);
    expect(c.tdesEcbDecrypt(h("0123456789ABCDEF"), h(ct))).toEqual(pt);
  });

  it("FIPS 81 Table C1: CBC of the same text with IV 1234567890ABCDEF", () => {
    const pt = h("4E6F77206973207468652074696D6520666F7220616C6C20");
    const ct = "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6";
    expect(toHex(c.tdesCbcEncrypt(h("0123456789ABCDEF"), h("1234567890ABCDEF"), pt))).toBe(ct);
    expect(c.tdesCbcDecrypt(h("0123456789ABCDEF"), h("1234567890ABCDEF"), h(ct))).toEqual(pt);
  });

  it("the classic worked example: 0123456789ABCDEF under 133457799BBCDFF1 is 85E813540F0AB405", () => {
    expect(toHex(c.tdesEcbEncrypt(h("133457799BBCDFF1"), h("0123456789ABCDEF")))).toBe("85E813540F0AB405");
  });

  it("SP 800-17 Table 1 (variable plaintext KAT) under the key 0101010101010101", () => {
    const table: [string, string][] = [
      ["8000000000000000", "95F8A5E5DD31D900"],
      ["4000000000000000", "DD7F121CA5015619"],
      ["2000000000000000", "2E8653104F3834EA"],
    ];
    for (const [pt, ct] of table) expect(toHex(c.tdesEcbEncrypt(h("0101010101010101"), h(pt)))).toBe(ct);
  });

  it("SP 800-17 Table 2 (variable key KAT): 8001010101010101 encrypts zero to 95A8D72813DAA94D", () => {
    expect(toHex(c.tdesEcbEncrypt(h("8001010101010101"), h("0000000000000000")))).toBe("95A8D72813DAA94D");
  });

  it("FIPS 46-3: the parity bits (bit 8 of each byte) do not change the result", () => {
    const withParity = h("0123456789ABCDEF");
    const flipped = withParity.map((b) => b ^ 0x01);
    const pt = h("4E6F772069732074");
    expect(c.tdesEcbEncrypt(flipped, pt)).toEqual(c.tdesEcbEncrypt(withParity, pt));
  });

  it("agrees with OpenSSL on random keys and blocks, both directions", () => {
    for (let i = 0; i < 50; i++) {
      const key = new Uint8Array(nodeRandomBytes(8));
      const data = new Uint8Array(nodeRandomBytes(8 * (1 + (i % 4))));
      const ct = c.tdesEcbEncrypt(key, data);
      expect(toHex(ct)).toBe(openssl("des-ede3", key, null, data));
      expect(c.tdesEcbDecrypt(key, ct)).toEqual(data);
    }
  });
});

describe("TDEA (SP 800-67) keying options", () => {
  it("SP 800-67 Rev. 1 Appendix B: keying option 1 (three keys), ECB", () => {
    const key = h("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
    const pt = h("54686520717566636B2062726F776E20666F78206A756D70"); // "The qufck brown fox jump"
    const ct = "A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900";
    expect(toHex(c.tdesEcbEncrypt(key, pt))).toBe(ct);
    expect(c.tdesEcbDecrypt(key, h(ct))).toEqual(pt);
  });

  it("keying option 2 (K3 = K1): the ANSI X9.24-1 format 0 PIN block under the counter-1 PIN key", () => {
    const v = loadVectors("dukpt-tdes.json").pinBlocks[0];
    expect(toHex(c.tdesEcbEncrypt(h(v.pinKey), h(v.clearBlock)))).toBe(v.encryptedBlock);
    expect(toHex(c.tdesEcbDecrypt(h(v.pinKey), h(v.encryptedBlock)))).toBe(v.clearBlock);
  });

  it("keying option 2: EMV Book 2 A1.2.1 ARPC method 1 (ARQC xor ARC under the session key)", () => {
    const v = loadVectors("emv-crypto.json").arpcMethod1[0];
    const input = h(v.arqc);
    const arc = h(v.arc);
    input[0] ^= arc[0];
    input[1] ^= arc[1];
    expect(toHex(c.tdesEcbEncrypt(h(v.sessionKey), input))).toBe(v.arpc);
  });

  it("keying option 2 equals keying option 1 with K3 = K1", () => {
    const k = h("0123456789ABCDEFFEDCBA9876543210");
    const k3 = h("0123456789ABCDEFFEDCBA98765432100123456789ABCDEF");
    const pt = h("1122334455667788");
    expect(c.tdesEcbEncrypt(k, pt)).toEqual(c.tdesEcbEncrypt(k3, pt));
  });

  it("keying option 3 (K1 = K2 = K3) is single DES", () => {
    const k = h("133457799BBCDFF1133457799BBCDFF1133457799BBCDFF1");
    expect(toHex(c.tdesEcbEncrypt(k, h("0123456789ABCDEF")))).toBe("85E813540F0AB405");
  });

  it("NIST CAVP TCBCMMT3 encrypt 9: three-key CBC over ten blocks", () => {
    const key = h("9B162A0DF8AD9B61C88676E3D586434570B902F12A2046E0");
    const iv = h("EBD6FEFE029AD54B");
    const pt = h("F4C1C918E77355C8156F0FD778DA52BFF121AE5F2F44EAF4D2754946D0E10D1F18CE3A0176E69C18B7D20B6E0D0BEE5E" +
      "B5EDFE4BD60E4D92ADCD86BCE72E76F94EE5CBCAA8B01CFDDCEA2ADE575E66AC");
    const ct = "1FF3C8709F403A8EFF291AEDF50C010DF5C5FF64A8B205F1FCE68564798897A390DB16EE0D053856" +
      "B75898009731DA290FCC119DAD987277AACEF694872E880C4BB41471063FAE05C89F25E4BD0CAD6A";
    expect(toHex(c.tdesCbcEncrypt(key, iv, pt))).toBe(ct);
    expect(c.tdesCbcDecrypt(key, iv, h(ct))).toEqual(pt);
  });

  it("NIST CAVP TCBCMMT2 decrypt 0: two-key CBC", () => {
    const key = h("BCFE7F25F2B0A72C6276AE1F389D8AE9");
    expect(toHex(c.tdesCbcDecrypt(key, h("F29D4BA5172FD297"), h("1B3889C9DBE10D03")))).toBe("0611A474FB090978");
  });

  it("agrees with OpenSSL for 2-key and 3-key ECB and CBC on random inputs", () => {
    for (let i = 0; i < 40; i++) {
      const key = new Uint8Array(nodeRandomBytes(i % 2 === 0 ? 16 : 24));
      const iv = new Uint8Array(nodeRandomBytes(8));
      const data = new Uint8Array(nodeRandomBytes(8 * (1 + (i % 5))));
      expect(toHex(c.tdesEcbEncrypt(key, data))).toBe(openssl("des-ede3", key, null, data));
      expect(toHex(c.tdesCbcEncrypt(key, iv, data))).toBe(openssl("des-ede3-cbc", key, iv, data));
      expect(toHex(c.tdesCbcDecrypt(key, iv, data))).toBe(openssl("des-ede3-cbc", key, iv, data, true));
    }
  });

  it("does not modify its inputs", () => {
    const key = h("0123456789ABCDEFFEDCBA9876543210");
    const iv = h("0000000000000000");
    const data = h("1122334455667788");
    c.tdesCbcEncrypt(key, iv, data);
    expect(toHex(key)).toBe("0123456789ABCDEFFEDCBA9876543210");
    expect(toHex(iv)).toBe("0000000000000000");
    expect(toHex(data)).toBe("1122334455667788");
  });
});

describe("DES/TDES input checks", () => {
  const key = h("0123456789ABCDEFFEDCBA9876543210");

  it("refuses keys that are not 8, 16 or 24 bytes with code crypto-key", () => {
    for (const n of [0, 7, 9, 15, 17, 23, 25, 32]) {
      expect(() => c.tdesEcbEncrypt(new Uint8Array(n), new Uint8Array(8))).toThrow(CryptoInputError);
    }
    expect(() => c.tdesEcbEncrypt(new Uint8Array(12), new Uint8Array(8))).toThrow(expect.objectContaining({ code: "crypto-key" }));
  });

  it("refuses data that is empty or not a multiple of 8 bytes with code crypto-data", () => {
    for (const n of [0, 1, 7, 9, 15]) {
      expect(() => c.tdesEcbEncrypt(key, new Uint8Array(n))).toThrow(expect.objectContaining({ code: "crypto-data" }));
      expect(() => c.tdesCbcDecrypt(key, new Uint8Array(8), new Uint8Array(n))).toThrow(CryptoInputError);
    }
  });

  it("refuses a CBC IV that is not 8 bytes with code crypto-iv", () => {
    expect(() => c.tdesCbcEncrypt(key, new Uint8Array(16), new Uint8Array(8))).toThrow(expect.objectContaining({ code: "crypto-iv" }));
  });

  it("refuses non-bytes", () => {
    expect(() => c.tdesEcbEncrypt("0123456789ABCDEF" as unknown as Uint8Array, new Uint8Array(8))).toThrow(CryptoInputError);
    expect(() => c.tdesEcbEncrypt(key, [1, 2, 3, 4, 5, 6, 7, 8] as unknown as Uint8Array)).toThrow(CryptoInputError);
  });

  it("never puts key bytes in an error message", () => {
    const secret = h("A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F607"); // 23 bytes: a bad length
    try {
      c.tdesEcbEncrypt(secret, new Uint8Array(8));
      throw new Error("expected a CryptoInputError");
    } catch (e) {
      expect(e).toBeInstanceOf(CryptoInputError);
      expect((e as Error).message).not.toMatch(/A1B2|a1b2/);
    }
  });
});
