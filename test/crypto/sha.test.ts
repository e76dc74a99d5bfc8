import { fromHex, toHex } from "../../kernel/bytes";
import { CryptoInputError, hmacSha256, sha1, sha256, softwareCrypto as c } from "../../kernel/crypto";
import { loadVectors } from "../support/vectors";

const h = fromHex;
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("SHA-1 and SHA-256 (FIPS 180-4)", () => {
  it("FIPS 180-2 Appendix A.1 / B.1: the one-block message \"abc\"", () => {
    expect(toHex(c.sha1(ascii("abc")))).toBe("A9993E364706816ABA3E25717850C26C9CD0D89D");
    expect(toHex(c.sha256(ascii("abc")))).toBe("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  });

  it("FIPS 180-2 Appendix A.2 / B.2: the two-block message \"abcdbcde...nopq\"", () => {
    const m = ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq");
    expect(toHex(sha1(m))).toBe("84983E441C3BD26EBAAE4AA1F95129E5E54670F1");
    expect(toHex(sha256(m))).toBe("248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1");
  });

  it("the empty message (NIST example values)", () => {
    expect(toHex(sha1(new Uint8Array(0)))).toBe("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
    expect(toHex(sha256(new Uint8Array(0)))).toBe("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  });

  it("EMV Book 2, 11.2.2: the CA public key check values are SHA-1(RID || index || modulus || exponent)", () => {
    for (const k of loadVectors("capk-test.json").keys) {
      expect(toHex(sha1(h(k.rid + k.index + k.modulus + k.exponent)))).toBe(k.checksum);
    }
  });

  it("refuses a message that is not bytes", () => {
    expect(() => sha256("abc" as unknown as Uint8Array)).toThrow(CryptoInputError);
    expect(() => sha1(undefined as unknown as Uint8Array)).toThrow(CryptoInputError);
  });
});

describe("HMAC-SHA-256 (RFC 4231)", () => {
  const cases: [string, string, string, string][] = [
    ["test case 1", "0B".repeat(20), toHex(ascii("Hi There")),
      "B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"],
    ["test case 2 (key shorter than the output)", toHex(ascii("Jefe")), toHex(ascii("what do ya want for nothing?")),
      "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"],
    ["test case 3", "AA".repeat(20), "DD".repeat(50),
      "773EA91E36800E46854DB8EBD09181A72959098B3EF8C122D9635514CED565FE"],
    ["test case 4", "0102030405060708090A0B0C0D0E0F10111213141516171819", "CD".repeat(50),
      "82558A389A443C0EA4CC819899F2083A85F0FAA3E578F8077A2E3FF46729665B"],
    ["test case 6 (key longer than the block: hashed first)", "AA".repeat(131),
      toHex(ascii("Test Using Larger Than Block-Size Key - Hash Key First")),
      "60E431591EE0B67F0D8A26AACBF5B77F8E0BC6213728C5140546040F0EE37F54"],
    ["test case 7 (key and data longer than the block)", "AA".repeat(131),
      toHex(ascii("This is a test using a larger than block-size key and a larger than block-size data. " +
        "The key needs to be hashed before being used by the HMAC algorithm.")),
      "9B09FFA71B942FCB27635FBCD5B0E944BFDC63644F0713938A7F51535C3A35E2"],
  ];
  it.each(cases)("RFC 4231 %s", (_name, key, data, mac) => {
    expect(toHex(c.hmacSha256(h(key), h(data)))).toBe(mac);
  });

  it("RFC 4231 test case 5: the truncated output is the leftmost 128 bits", () => {
    const mac = hmacSha256(h("0C".repeat(20)), ascii("Test With Truncation"));
    expect(toHex(mac.slice(0, 16))).toBe("A3B6167473100EE06E0C796C2955552B");
  });

  it("refuses an empty key with code crypto-key", () => {
    expect(() => hmacSha256(new Uint8Array(0), ascii("x"))).toThrow(expect.objectContaining({ code: "crypto-key" }));
  });
});
