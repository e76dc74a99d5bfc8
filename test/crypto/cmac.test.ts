import { fromHex, toHex } from "../../kernel/bytes";
import { aesCmac, cmacSubkeys, CryptoInputError, softwareCrypto as c, tdesCmac } from "../../kernel/crypto";

const h = fromHex;

// NIST SP 800-38B, Appendix D: the messages are prefixes of the SP 800-38A plaintext.
const M = "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51" +
  "30C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710";

describe("AES-CMAC (SP 800-38B Appendix D.1-D.3)", () => {
  const cases: [string, string, number, string][] = [
    ["D.1 example 1", "2B7E151628AED2A6ABF7158809CF4F3C", 0, "BB1D6929E95937287FA37D129B756746"],
    ["D.1 example 2", "2B7E151628AED2A6ABF7158809CF4F3C", 16, "070A16B46B4D4144F79BDD9DD04A287C"],
    ["D.1 example 3", "2B7E151628AED2A6ABF7158809CF4F3C", 40, "DFA66747DE9AE63030CA32611497C827"],
    ["D.1 example 4", "2B7E151628AED2A6ABF7158809CF4F3C", 64, "51F0BEBF7E3B9D92FC49741779363CFE"],
    ["D.2 example 5", "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 0, "D17DDF46ADAACDE531CAC483DE7A9367"],
    ["D.2 example 6", "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 16, "9E99A7BF31E710900662F65E617C5184"],
    ["D.2 example 7", "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 40, "8A1DE5BE2EB31AAD089A82E6EE908B0E"],
    ["D.2 example 8", "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 64, "A1D5DF0EED790F794D77589659F39A11"],
    ["D.3 example 9", "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 0, "028962F61B7BF89EFC6B551F4667D983"],
    ["D.3 example 10", "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 16, "28A7023F452E8F82BD4BF28D8C37C35C"],
    ["D.3 example 11", "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 40, "AAF3D8F1DE5640C232F5B169B9C911E6"],
    ["D.3 example 12", "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 64, "E1992190549F6ED5696A2C056C315410"],
  ];
  it.each(cases)("SP 800-38B %s", (_name, key, length, tag) => {
    expect(toHex(aesCmac(c, h(key), h(M.slice(0, length * 2))))).toBe(tag);
  });

  it("SP 800-38B 6.1 / D.1: subkeys K1 and K2 of the AES-128 key (R_128 = 0x87)", () => {
    const key = h("2B7E151628AED2A6ABF7158809CF4F3C");
    const { k1, k2 } = cmacSubkeys({
      blockBytes: 16, rb: 0x87,
      encryptBlock: (b) => c.aesEcbEncrypt(key, b),
      cbcEncrypt: (iv, d) => c.aesCbcEncrypt(key, iv, d),
    });
    expect(toHex(k1)).toBe("FBEED618357133667C85E08F7236A8DE");
    expect(toHex(k2)).toBe("F7DDAC306AE266CCF90BC11EE46D513B");
  });
});

// SP 800-38B Appendix D.4 (three-key) and D.5 (two-key) TDEA. The 2005 publication printed wrong
// tags for examples 14, 15, 18 and 19; the values here are the corrected ones (NIST errata,
// reproduced by the CMAC implementations of OpenSSL and Bouncy Castle).
describe("TDEA-CMAC (SP 800-38B Appendix D.4, D.5)", () => {
  const three = "8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5";
  const two = "4CF15134A2850DD58A3D10BA80570D38";
  const cases: [string, string, number, string][] = [
    ["D.4 example 13", three, 0, "B7A688E122FFAF95"],
    ["D.4 example 14", three, 8, "8E8F293136283797"],
    ["D.4 example 15", three, 20, "743DDBE0CE2DC2ED"],
    ["D.4 example 16", three, 32, "33E6B1092400EAE5"],
    ["D.5 example 17", two, 0, "BD2EBF9A3BA00361"],
    ["D.5 example 18", two, 8, "4FF2AB813C53CE83"],
    ["D.5 example 19", two, 20, "62DD1B471902BD4E"],
    ["D.5 example 20", two, 32, "31B1E431DABC4EB8"],
  ];
  it.each(cases)("SP 800-38B %s", (_name, key, length, tag) => {
    expect(toHex(tdesCmac(c, h(key), h(M.slice(0, length * 2))))).toBe(tag);
  });

  it("SP 800-38B 6.1 / D.4, D.5: subkeys with R_64 = 0x1B", () => {
    const sub = (keyHex: string) => {
      const key = h(keyHex);
      const { k1, k2 } = cmacSubkeys({
        blockBytes: 8, rb: 0x1b,
        encryptBlock: (b) => c.tdesEcbEncrypt(key, b),
        cbcEncrypt: (iv, d) => c.tdesCbcEncrypt(key, iv, d),
      });
      return [toHex(k1), toHex(k2)];
    };
    expect(sub(three)).toEqual(["9198E9D314E6535F", "2331D3A629CCA6A5"]);
    expect(sub(two)).toEqual(["8ECF373ED71AFAEF", "1D9E6E7DAE35F5C5"]);
  });
});

describe("CMAC input checks", () => {
  it("AES-CMAC refuses keys that are not 16, 24 or 32 bytes", () => {
    for (const n of [0, 8, 15, 33]) {
      expect(() => aesCmac(c, new Uint8Array(n), new Uint8Array(0))).toThrow(expect.objectContaining({ code: "crypto-key" }));
    }
  });

  it("TDEA-CMAC refuses single-DES and malformed keys (SP 800-38B names TDEA only)", () => {
    for (const n of [0, 8, 15, 17, 32]) {
      expect(() => tdesCmac(c, new Uint8Array(n), new Uint8Array(0))).toThrow(CryptoInputError);
    }
  });

  it("refuses a message that is not bytes", () => {
    expect(() => aesCmac(c, new Uint8Array(16), "6BC1" as unknown as Uint8Array)).toThrow(CryptoInputError);
  });
});
