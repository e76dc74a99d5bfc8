import { fromHex, toHex } from "../bytes";
import type { CryptoProvider } from "../crypto/provider";
import { applicationCryptogram, arpcMethod1, arpcMethod2, deriveCommonSessionKey } from "../emv/crypto";
import type { KnownAnswerTest } from "./selftest";

// Known answers of EMV Book 2 Annex A1 (the published values of ../shared/vectors/emv-crypto.json),
// run at power-on: the reader computes session keys and checks ARPCs only if these pass.

function kat(name: string, expected: string, compute: (c: CryptoProvider) => Uint8Array): KnownAnswerTest {
  return { name, run: (c) => toHex(compute(c)) === expected };
}

const SK = "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB";
const ARQC = "1234567890ABCDEF";

export const emvKats: KnownAnswerTest[] = [
  kat("emv common session key (Book 2 A1.3.1)", "E9FB384AF807B940FEDCEA613461B0C4",
    (c) => deriveCommonSessionKey(c, fromHex("0123456789ABCDEFFEDCBA9876543210"), fromHex("001C000000000000"))),
  kat("emv application cryptogram, ISO 9797-1 alg 3 pad 2 (Book 2 A1.2)", "3B76CF10FECD8789",
    (c) => applicationCryptogram(c, fromHex(SK), fromHex("000000002000000000000000012400000080000124110309003804823E58000001"))),
  kat("emv ARPC method 1 (Book 2 A1.2.1)", "F5E6F44147E2F1B0",
    (c) => arpcMethod1(c, fromHex(SK), fromHex(ARQC), fromHex("0000"))),
  kat("emv ARPC method 2 (Book 2 A1.2.2)", "9308BEBC",
    (c) => arpcMethod2(c, fromHex(SK), fromHex(ARQC), fromHex("00000000"))),
];
