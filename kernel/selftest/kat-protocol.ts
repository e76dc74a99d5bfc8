import { constantTimeEqual, fromHex } from "../bytes";
import { softwareSessionCrypto as c } from "../protocol/session-crypto";
import { Secret } from "../security/secret";
import type { KnownAnswerTest } from "./selftest";

// Known answers of the BLE secure session's primitives (kernel/protocol/session-crypto.ts), from the
// published vectors; the same ones test/protocol/session-crypto.test.ts checks.

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

export const protocolKats: KnownAnswerTest[] = [
  {
    name: "hkdf-sha-256 (RFC 5869 A.1)",
    run: () => constantTimeEqual(
      c.hkdf(fromHex("0B".repeat(22)), fromHex("000102030405060708090A0B0C"), fromHex("F0F1F2F3F4F5F6F7F8F9"), 42),
      fromHex("3CB25F25FAACD57A90434F64D0362F2A2D2D0A90CF1A5A4C5DB02D56ECC4C5BF34007208D5B887185865"),
    ),
  },
  {
    name: "aes-128-gcm seal and open (GCM spec test case 3)",
    run: () => {
      const key = fromHex("FEFFE9928665731C6D6A8F9467308308");
      const iv = fromHex("CAFEBABEFACEDBADDECAF888");
      const plain = fromHex("D9313225F88406E5A55909C5AFF5269A86A7A9531534F7DA2E4C303D8A318A721C3C0C95956809532FCF0E2449A6B525B16AEDF5AA0DE657BA637B391AAFD255");
      const expected = fromHex("42831EC2217774244B7221B784D0D49CE3AA212F2C02A4E035C17E2329ACA12E21D514B25466931C7D8F6A5AAC84AA051BA30B396A0AAC973D58E091473F5985" +
        "4D5C2AF327CD64A62CF35ABD2BA6FAB4");
      const sealed = c.gcmSeal(key, iv, new Uint8Array(0), plain);
      const opened = c.gcmOpen(key, iv, new Uint8Array(0), expected);
      return constantTimeEqual(sealed, expected) && opened !== null && constantTimeEqual(opened, plain);
    },
  },
  {
    name: "ecdsa p-256 sha-256 verify (RFC 6979 A.2.5)",
    run: () => c.verify(
      fromHex("0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB67903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"),
      ascii("sample"),
      fromHex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"),
    ),
  },
  {
    name: "ecdh p-256 (NIST CAVS KAS ECC CDH, count 0)",
    run: () => {
      const d = new Secret(fromHex("7D7DC5F71EB29DDAF80D6214632EEAE03D9058AF1FB6D22ED80BADB62BC1A534"));
      try {
        return constantTimeEqual(
          c.ecdh(d, fromHex("04700C48F77F56584C5CC632CA65640DB91B6BACCE3A4DF6B42CE7CC838833D287DB71E509E3FD9B060DDB20BA5C51DCC5948D46FBF640DFE0441782CAB85FA4AC")),
          fromHex("46FC62106420FF012E54A434FBDD2D25CCC5852060561E68040DD7778997BD7B"),
        );
      } finally {
        d.zeroize();
      }
    },
  },
];
