import { constants, createPublicKey, publicEncrypt } from "crypto";
import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { loadVectors } from "../support/vectors";
import { onBothEngines, startNode, startXs } from "../support/xs";

// The kernel's cryptography on the real XS engine: every service answers exactly as on Node, and the
// answers are the published ones (the inputs are the vectors of test/crypto).
describe("crypto services on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  const SP38A_PT = "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51";
  const calls: [string, string, unknown, unknown][] = [
    ["AES-256 ECB (FIPS 197 C.3)", "crypto.aes",
      { op: "ecb-encrypt", key: "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", data: "00112233445566778899AABBCCDDEEFF" },
      { data: "8EA2B7CA516745BFEAFC49904B496089" }],
    ["AES-192 CBC decrypt (SP 800-38A F.2.4)", "crypto.aes",
      { op: "cbc-decrypt", key: "8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", iv: "000102030405060708090A0B0C0D0E0F",
        data: "4F021DB243BC633D7178183A9FA071E8B4D9ADA9AD7DEDF4E5E738763F69145A" },
      { data: SP38A_PT }],
    ["DES CBC (FIPS 81 C.1)", "crypto.tdes",
      { op: "cbc-encrypt", key: "0123456789ABCDEF", iv: "1234567890ABCDEF", data: "4E6F77206973207468652074696D6520666F7220616C6C20" },
      { data: "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6" }],
    ["TDES 3-key ECB decrypt (SP 800-67 B.1)", "crypto.tdes",
      { op: "ecb-decrypt", key: "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123", data: "A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900" },
      { data: "54686520717566636B2062726F776E20666F78206A756D70" }],
    ["AES-128 CMAC (SP 800-38B D.1 example 1)", "crypto.cmac",
      { cipher: "aes", key: "2B7E151628AED2A6ABF7158809CF4F3C", data: "" }, { mac: "BB1D6929E95937287FA37D129B756746" }],
    ["TDES 2-key CMAC (SP 800-38B D.5 example 19)", "crypto.cmac",
      { cipher: "tdes", key: "4CF15134A2850DD58A3D10BA80570D38", data: "6BC1BEE22E409F96E93D7E117393172AAE2D8A57" },
      { mac: "62DD1B471902BD4E" }],
    ["retail MAC (ANSI X9.19)", "crypto.iso9797",
      { algorithm: 3, key: "0123456789ABCDEFFEDCBA9876543210", data: "4E6F77206973207468652074696D6520666F7220616C6C20", padMethod: 1 },
      { mac: "A1C72E74EA3FA9B6" }],
    ["MAC algorithm 1 (ANSI X9.9)", "crypto.iso9797",
      { algorithm: 1, key: "0123456789ABCDEF", data: "4E6F77206973207468652074696D6520666F7220616C6C20ABCD", padMethod: 1 },
      { mac: "36611DBB2D0AC1E6" }],
    ["SHA-1 (FIPS 180-2 A.2)", "crypto.sha1",
      { data: "6162636462636465636465666465666765666768666768696768696A68696A6B696A6B6C6A6B6C6D6B6C6D6E6C6D6E6F6D6E6F706E6F7071" },
      { digest: "84983E441C3BD26EBAAE4AA1F95129E5E54670F1" }],
    ["SHA-256 (FIPS 180-2 B.1)", "crypto.sha256", { data: "616263" },
      { digest: "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD" }],
    ["HMAC-SHA-256 (RFC 4231 test case 2)", "crypto.hmacSha256",
      { key: "4A656665", data: "7768617420646F2079612077616E7420666F72206E6F7468696E673F" },
      { mac: "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843" }],
    ["RSA (n = 3233, e = 17)", "crypto.rsa", { modulus: "0CA1", exponent: "11", input: "0041" }, { output: "0AE6" }],
  ];

  it.each(calls)("%s: identical on both engines and equal to the published value", async (_name, service, args, expected) => {
    const { node, xs: onXs } = await onBothEngines(xs, service, args);
    expect(onXs).toEqual(node);
    expect(node).toEqual(expected);
  });

  it("BigInt RSA on XS: every EMV test CA key (up to 1984 bits) gives OpenSSL's raw RSA answer", async () => {
    for (const k of loadVectors("capk-test.json").keys) {
      const input = "00" + "AB".repeat(k.modulus.length / 2 - 1);
      const key = createPublicKey({
        key: { kty: "RSA", n: Buffer.from(k.modulus, "hex").toString("base64url"), e: Buffer.from(k.exponent, "hex").toString("base64url") },
        format: "jwk",
      });
      const expected = publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.from(input, "hex")).toString("hex").toUpperCase();
      const { node, xs: onXs } = await onBothEngines(xs, "crypto.rsa", { modulus: k.modulus, exponent: k.exponent, input });
      expect(onXs).toEqual(node);
      expect(node).toEqual({ output: expected });
    }
  });

  it("the crypto known-answer tests all pass on XS, with the report Node gives", async () => {
    const { node, xs: onXs } = await onBothEngines(xs, "crypto.kats");
    expect(onXs).toEqual(node);
    expect(node).toMatchObject({ failed: 0 });
  });

  it("a bad input ends in the same typed error on both engines", async () => {
    const node = await startNode();
    for (const [service, args, code] of [
      ["crypto.aes", { op: "ecb-encrypt", key: "00", data: "00".repeat(16) }, "crypto-key"],
      ["crypto.tdes", { op: "cbc-encrypt", key: "00".repeat(16), iv: "00", data: "00".repeat(8) }, "crypto-iv"],
      ["crypto.rsa", { modulus: "0CA1", exponent: "03", input: "0CA1" }, "crypto-rsa"],
      ["crypto.sha256", { data: "ABC" }, "hex"],
    ] as [string, unknown, string][]) {
      await expect(xs.call(service, args)).rejects.toMatchObject({ code });
      await expect(node.call(service, args)).rejects.toMatchObject({ code });
    }
  });
});
