import { fromHex, toHex } from "../../kernel/bytes";
import { CryptoInputError, softwareCrypto as c } from "../../kernel/crypto";

const h = fromHex;

// FIPS 197, Appendix C.
const FIPS197_PT = "00112233445566778899AABBCCDDEEFF";
const FIPS197_KEY = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";

// NIST SP 800-38A, Appendix F: the same four plaintext blocks under AES-128/192/256.
const PT = "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51" +
  "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710";
const KEYS = {
  128: "2B7E151628AED2A6ABF7158809CF4F3C",
  192: "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B",
  256: "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
};
const IV = "000102030405060708090A0B0C0D0E0F";
const ECB = { // F.1.1, F.1.3, F.1.5
  128: "3AD77BB40D7A3660A89ECAF32466EF97F5D3D58503B9699DE785895A96FDBAAF43B1CD7F598ECE23881B00E3ED0306887B0C785E27E8AD3F8223207104725DD4",
  192: "BD334F1D6E45F25FF712A214571FA5CC974104846D0AD3AD7734ECB3ECEE4EEFEF7AFD2270E2E60ADCE0BA2FACE6444E9A4B41BA738D6C72FB16691603C18E0E",
  256: "F3EED1BDB5D2A03C064B5A7E3DB181F8591CCB10D410ED26DC5BA74A31362870B6ED21B99CA6F4F9F153E7B1BEAFED1D23304B7A39F9F3FF067D8D8F9E24ECC7",
};
const CBC = { // F.2.1, F.2.3, F.2.5
  128: "7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B273BED6B8E3C1743B7116E69E222295163FF1CAA1681FAC09120ECA307586E1A7",
  192: "4F021DB243BC633D7178183A9FA071E8B4D9ADA9AD7DEDF4E5E738763F69145A571B242012FB7AE07FA9BAAC3DF102E008B0E27988598881D920A9E64F5615CD",
  256: "F58C4C04D6E5F1BA779EABFB5F7BFBD69CFC4E967EDB808D679F777BC6702C7D39F23369A9D9BACFA530E26304231461B2EB05E2C39BE9FCDA6C19078C6A9D1B",
};

describe("AES (FIPS 197)", () => {
  it.each([
    ["C.1 AES-128", 32, "69C4E0D86A7B0430D8CDB78070B4C55A"],
    ["C.2 AES-192", 48, "DDA97CA4864CDFE06EAF70A0EC0D7191"],
    ["C.3 AES-256", 64, "8EA2B7CA516745BFEAFC49904B496089"],
  ])("FIPS 197 Appendix %s: cipher and inverse cipher of the example block", (_name, keyChars, ct) => {
    const key = h(FIPS197_KEY.slice(0, keyChars as number));
    expect(toHex(c.aesEcbEncrypt(key, h(FIPS197_PT)))).toBe(ct);
    expect(toHex(c.aesEcbDecrypt(key, h(ct as string)))).toBe(FIPS197_PT);
  });
});

describe("AES modes (SP 800-38A Appendix F)", () => {
  for (const bits of [128, 192, 256] as const) {
    it(`F.1 ECB-AES${bits}: encrypt and decrypt four blocks`, () => {
      expect(toHex(c.aesEcbEncrypt(h(KEYS[bits]), h(PT)))).toBe(ECB[bits]);
      expect(toHex(c.aesEcbDecrypt(h(KEYS[bits]), h(ECB[bits])))).toBe(PT);
    });
    it(`F.2 CBC-AES${bits}: encrypt and decrypt four blocks`, () => {
      expect(toHex(c.aesCbcEncrypt(h(KEYS[bits]), h(IV), h(PT)))).toBe(CBC[bits]);
      expect(toHex(c.aesCbcDecrypt(h(KEYS[bits]), h(IV), h(CBC[bits])))).toBe(PT);
    });
  }

  it("SP 800-38A 6.2: each CBC block chains on the previous ciphertext (blocks 2-4 under IV = C1)", () => {
    const c1 = h(CBC[128].slice(0, 32));
    expect(toHex(c.aesCbcEncrypt(h(KEYS[128]), c1, h(PT.slice(32))))).toBe(CBC[128].slice(32));
  });

  it("no padding is added or removed: the output is the input length", () => {
    expect(c.aesCbcEncrypt(h(KEYS[128]), h(IV), h(PT.slice(0, 32))).length).toBe(16);
    expect(c.aesEcbDecrypt(h(KEYS[128]), h(ECB[128].slice(0, 32))).length).toBe(16);
  });
});

describe("AES input checks", () => {
  it("refuses keys that are not 16, 24 or 32 bytes with code crypto-key", () => {
    for (const n of [0, 8, 15, 17, 20, 31, 33, 64]) {
      expect(() => c.aesEcbEncrypt(new Uint8Array(n), new Uint8Array(16))).toThrow(expect.objectContaining({ code: "crypto-key" }));
      expect(() => c.aesCbcDecrypt(new Uint8Array(n), new Uint8Array(16), new Uint8Array(16))).toThrow(CryptoInputError);
    }
  });

  it("refuses data that is empty or not whole 16-byte blocks with code crypto-data", () => {
    for (const n of [0, 1, 8, 15, 17, 31]) {
      expect(() => c.aesEcbEncrypt(h(KEYS[128]), new Uint8Array(n))).toThrow(expect.objectContaining({ code: "crypto-data" }));
      expect(() => c.aesCbcEncrypt(h(KEYS[128]), h(IV), new Uint8Array(n))).toThrow(CryptoInputError);
    }
  });

  it("refuses a CBC IV that is not 16 bytes with code crypto-iv", () => {
    for (const n of [0, 8, 15, 17]) {
      expect(() => c.aesCbcEncrypt(h(KEYS[128]), new Uint8Array(n), new Uint8Array(16))).toThrow(expect.objectContaining({ code: "crypto-iv" }));
    }
  });
});
