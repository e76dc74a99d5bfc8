import { fromHex, toHex } from "../bytes";
import type { CryptoProvider } from "../crypto";
import { dukptAesHostKey, dukptAesInitialKey } from "../security/dukpt-aes";
import { aesDukptLoadInitialKey, aesDukptNextTransaction, aesDukptWorkingKey } from "../security/dukpt-aes-device";
import { dukptTdesHostKey, dukptTdesIpek } from "../security/dukpt-tdes";
import { tdesDukptLoadInitialKey, tdesDukptNextTransaction, tdesDukptWorkingKey } from "../security/dukpt-tdes-device";
import { decodePinBlock, encodePinBlock } from "../security/pin-block";
import { unwrapKeyBlock } from "../security/tr31";
import type { KnownAnswerTest } from "./selftest";

// Power-on known-answer tests of the security core (PCI PTS POI: self-tests of the cryptographic
// functions, including key derivation and PIN encipherment). Every expected value is published:
// ANSI X9.24-3-2017 and X9.24-1-2009 test vectors, the ISO 9564-1 examples, TR-31:2018 Annex A
// (the same values as ../shared/vectors). None was produced by this code.

function kat(name: string, compute: (c: CryptoProvider) => string, expected: string): KnownAnswerTest {
  return { name, run: (c) => compute(c) === expected };
}

const h = fromHex;

// X9.24-3-2017 test vectors, AES-128 BDK.
const AES_BDK = "FEDCBA9876543210F1F1F1F1F1F1F1F1";
const AES_IKID = "1234567890123456";
const AES_IK = "1273671EA26AC29AFA4D1084127652A1";
// X9.24-1-2009 test vectors.
const TDES_BDK = "0123456789ABCDEFFEDCBA9876543210";
const TDES_KSN = "FFFF9876543210E00001";
const TDES_IPEK = "6AC292FAA1315B4D858AB3A3D7D5933A";
// A random source that returns the published PIN field fill (X9.24-3-2017 format 4 example).
const FILL = "2F69ADDE2E9E7ACE";
const fixedFill = { fill: (out: Uint8Array) => { out.fill(0); out.set(h(FILL).subarray(0, Math.min(8, out.length))); } };

export const securityKats: KnownAnswerTest[] = [
  kat("dukpt aes-128 initial key (X9.24-3-2017)", (c) => toHex(dukptAesInitialKey(c, h(AES_BDK), h(AES_IKID))), AES_IK),
  kat("dukpt aes-128 host pin key, counter 3 (X9.24-3-2017)",
    (c) => toHex(dukptAesHostKey(c, h(AES_BDK), h(AES_IKID + "00000003"), "pin", "aes128")), "7D69F01F3B45449F62C7816ECE723268"),
  kat("dukpt aes-128 device data key, counter 1 (X9.24-3-2017)", (c) => {
    const tx = aesDukptNextTransaction(c, aesDukptLoadInitialKey(c, h(AES_IK), h(AES_IKID)));
    return toHex(aesDukptWorkingKey(c, tx, "data-encrypt", "aes128"));
  }, "A35C412EFD41FDB98B69797C02DCD08F"),
  kat("dukpt aes-256 host pin key, counter 1 (X9.24-3-2017)",
    (c) => toHex(dukptAesHostKey(c, h(AES_BDK + AES_BDK), h(AES_IKID + "00000001"), "pin", "aes256")),
    "8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502"),
  kat("dukpt tdes ipek (X9.24-1-2009 A.6)", (c) => toHex(dukptTdesIpek(c, h(TDES_BDK), h(TDES_KSN))), TDES_IPEK),
  kat("dukpt tdes host data request key, counter 2 (X9.24-1-2009)",
    (c) => toHex(dukptTdesHostKey(c, h(TDES_BDK), h("FFFF9876543210E00002"), "data-request")), "F1BE73B36135C5C26CF937D50ABBE5AF"),
  kat("dukpt tdes device pin key, counter 1 (X9.24-1-2009)", (c) => {
    const tx = tdesDukptNextTransaction(c, tdesDukptLoadInitialKey(c, h(TDES_IPEK), h(TDES_KSN)));
    return toHex(tdesDukptWorkingKey(c, tx, "pin"));
  }, "042666B49184CF5C68DE9628D0397B36"),
  kat("pin block iso 9564-1 format 0 encode", () => toHex(encodePinBlock(0, "1234", { pan: "5555555551234567" })), "041261AAAAEDCBA9"),
  kat("pin block iso 9564-1 format 3 decode", () => decodePinBlock(3, h("341261AAAAEDCBA9"), { pan: "5555555551234567" }), "1234"),
  kat("pin block iso 9564-1 format 4 under aes dukpt pin key (X9.24-3-2017)",
    (c) => toHex(encodePinBlock(4, "1234", { pan: "4111111111111111", key: h("AF8CB133A78F8DC2D1359F18527593FB"), random: fixedFill }, c)),
    "A912150391AB65A67E52883D81CE2D15"),
  kat("pin block iso 9564-1 format 0 under tdes dukpt pin key (X9.24-1-2009)",
    (c) => toHex(c.tdesEcbEncrypt(h("042666B49184CF5C68DE9628D0397B36"), encodePinBlock(0, "1234", { pan: "4012345678909" }))),
    "1B9C1845EB993A7A"),
  kat("tr-31 version d unwrap (TR-31:2018 A.7.4)", (c) => toHex(unwrapKeyBlock(c,
    h("88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6"),
    "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34").key),
  "3F419E1CB7079442AA37474C2EFBF8B8"),
  kat("tr-31 version b unwrap (TR-31:2018 A.7.2.2)", (c) => toHex(unwrapKeyBlock(c, h("DD7515F2BFC17F85CE48F3CA25CB21F6"),
    "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E").key),
  "3F419E1CB7079442AA37474C2EFBF8B8"),
];
