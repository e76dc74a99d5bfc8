// Power-on known-answer tests of every cryptographic primitive and mode the kernel uses (PCI PTS
// POI: self-tests of the cryptographic functions at start-up). Every expected value is a published
// one, copied from the document named in the test: none was produced by this code.

import type { CryptoProvider } from "../crypto/provider";
import type { KnownAnswerTest } from "./selftest";
import { fromHex, toHex } from "../bytes";
import { aesCmac, tdesCmac } from "../crypto/cmac";
import { iso9797Mac1, retailMac } from "../crypto/iso9797";

function kat(name: string, compute: (c: CryptoProvider) => Uint8Array, expectedHex: string): KnownAnswerTest {
  return { name, run: (c) => toHex(compute(c)) === expectedHex };
}

const h = fromHex;

// FIPS 197, Appendix C: the example vectors (plaintext 00112233...EEFF, keys 000102...).
const FIPS197_PT = "00112233445566778899AABBCCDDEEFF";
const FIPS197_KEY = "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F";
// NIST SP 800-38A, F.2.1/F.2.2: CBC-AES128 (first two blocks).
const SP38A_KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
const SP38A_IV = "000102030405060708090A0B0C0D0E0F";
const SP38A_PT = "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51";
const SP38A_CBC_CT = "7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2";
// FIPS 81, Appendix B and Table C1: DES ECB and CBC of "Now is the time for all ".
const FIPS81_KEY = "0123456789ABCDEF";
const FIPS81_PT = "4E6F77206973207468652074696D6520666F7220616C6C20";
// NIST SP 800-67 Rev. 1, Appendix B: three-key TDEA ECB ("The qufck brown fox jump").
const SP67_KEY = "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123";
const SP67_PT = "54686520717566636B2062726F776E20666F78206A756D70";
const SP67_CT = "A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900";
// ANSI X9.9 / X9.19 sample: K = 0123456789ABCDEF, K' = FEDCBA9876543210.
const X919_KEY = "0123456789ABCDEFFEDCBA9876543210";

export const cryptoKats: KnownAnswerTest[] = [
  kat("aes-128 ecb encrypt (FIPS 197 C.1)",
    (c) => c.aesEcbEncrypt(h(FIPS197_KEY.slice(0, 32)), h(FIPS197_PT)), "69C4E0D86A7B0430D8CDB78070B4C55A"),
  kat("aes-128 ecb decrypt (FIPS 197 C.1)",
    (c) => c.aesEcbDecrypt(h(FIPS197_KEY.slice(0, 32)), h("69C4E0D86A7B0430D8CDB78070B4C55A")), FIPS197_PT),
  kat("aes-192 ecb encrypt (FIPS 197 C.2)",
    (c) => c.aesEcbEncrypt(h(FIPS197_KEY.slice(0, 48)), h(FIPS197_PT)), "DDA97CA4864CDFE06EAF70A0EC0D7191"),
  kat("aes-256 ecb encrypt (FIPS 197 C.3)",
    (c) => c.aesEcbEncrypt(h(FIPS197_KEY), h(FIPS197_PT)), "8EA2B7CA516745BFEAFC49904B496089"),
  kat("aes-256 ecb decrypt (FIPS 197 C.3)",
    (c) => c.aesEcbDecrypt(h(FIPS197_KEY), h("8EA2B7CA516745BFEAFC49904B496089")), FIPS197_PT),
  kat("aes-128 cbc encrypt (SP 800-38A F.2.1)",
    (c) => c.aesCbcEncrypt(h(SP38A_KEY), h(SP38A_IV), h(SP38A_PT)), SP38A_CBC_CT),
  kat("aes-128 cbc decrypt (SP 800-38A F.2.2)",
    (c) => c.aesCbcDecrypt(h(SP38A_KEY), h(SP38A_IV), h(SP38A_CBC_CT)), SP38A_PT),
  kat("des ecb encrypt (FIPS 81 B.1)",
    (c) => c.tdesEcbEncrypt(h(FIPS81_KEY), h(FIPS81_PT)), "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53"),
  kat("des ecb decrypt (FIPS 81 B.1)",
    (c) => c.tdesEcbDecrypt(h(FIPS81_KEY), h("3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53")), FIPS81_PT),
  kat("des cbc encrypt (FIPS 81 C.1)",
    (c) => c.tdesCbcEncrypt(h(FIPS81_KEY), h("1234567890ABCDEF"), h(FIPS81_PT)),
    "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6"),
  kat("tdes 3-key ecb encrypt (SP 800-67 Rev. 1 B.1)",
    (c) => c.tdesEcbEncrypt(h(SP67_KEY), h(SP67_PT)), SP67_CT),
  kat("tdes 3-key ecb decrypt (SP 800-67 Rev. 1 B.1)",
    (c) => c.tdesEcbDecrypt(h(SP67_KEY), h(SP67_CT)), SP67_PT),
  kat("tdes 2-key ecb encrypt (ANSI X9.24-1 DUKPT PIN block)",
    (c) => c.tdesEcbEncrypt(h("042666B49184CF5C68DE9628D0397B36"), h("041274EDCBA9876F")), "1B9C1845EB993A7A"),
  kat("tdes 3-key cbc encrypt (NIST CAVP TCBCMMT3 encrypt 9, first 2 blocks)",
    (c) => c.tdesCbcEncrypt(h("9B162A0DF8AD9B61C88676E3D586434570B902F12A2046E0"), h("EBD6FEFE029AD54B"),
      h("F4C1C918E77355C8156F0FD778DA52BF")), "1FF3C8709F403A8EFF291AEDF50C010D"),
  kat("tdes 2-key cbc decrypt (NIST CAVP TCBCMMT2 decrypt 0)",
    (c) => c.tdesCbcDecrypt(h("BCFE7F25F2B0A72C6276AE1F389D8AE9"), h("F29D4BA5172FD297"), h("1B3889C9DBE10D03")),
    "0611A474FB090978"),
  kat("aes-128 cmac (SP 800-38B D.1 example 2)",
    (c) => aesCmac(c, h(SP38A_KEY), h(SP38A_PT.slice(0, 32))), "070A16B46B4D4144F79BDD9DD04A287C"),
  kat("tdes 3-key cmac (SP 800-38B D.4 example 16)",
    (c) => tdesCmac(c, h("8AA83BF8CBDA10620BC1BF19FBB6CD58BC313D4A371CA8B5"), h(SP38A_PT)), "33E6B1092400EAE5"),
  kat("tdes 2-key cmac (SP 800-38B D.5 example 20)",
    (c) => tdesCmac(c, h("4CF15134A2850DD58A3D10BA80570D38"), h(SP38A_PT)), "31B1E431DABC4EB8"),
  kat("iso 9797-1 mac algorithm 1, padding 1, des (ANSI X9.9)",
    (c) => iso9797Mac1(c, h(FIPS81_KEY), h(FIPS81_PT), 1), "70A30640CC76DD8B"),
  kat("iso 9797-1 mac algorithm 3, padding 1, retail mac (ANSI X9.19)",
    (c) => retailMac(c, h(X919_KEY), h(FIPS81_PT), 1), "A1C72E74EA3FA9B6"),
  kat("iso 9797-1 mac algorithm 3, padding 2 (EMV Book 2 A1.2 application cryptogram)",
    (c) => retailMac(c, h("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB"),
      h("000000002000000000000000012400000080000124110309003804823E58000001"), 2), "3B76CF10FECD8789"),
  kat("sha-1 (FIPS 180-2 B.1 \"abc\")",
    (c) => c.sha1(h("616263")), "A9993E364706816ABA3E25717850C26C9CD0D89D"),
  kat("sha-256 (FIPS 180-2 B.1 \"abc\")",
    (c) => c.sha256(h("616263")), "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
  kat("hmac-sha-256 (RFC 4231 test case 2)",
    (c) => c.hmacSha256(h("4A656665"), h("7768617420646F2079612077616E7420666F72206E6F7468696E673F")),
    "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"),
  // The classic worked example of RSA (p = 61, q = 53, n = 3233, e = 17): m = 65 gives c = 2790.
  kat("rsa public operation (textbook n = 3233, e = 17)",
    (c) => c.rsaPublic(h("0CA1"), h("11"), h("0041")), "0AE6"),
];
