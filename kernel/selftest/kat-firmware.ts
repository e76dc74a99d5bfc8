import { fromHex } from "../bytes";
import { ed25519Verify } from "../firmware-update/signature";
import type { KnownAnswerTest } from "./selftest";

// Known-answer tests of the firmware signature check (issue 13): Ed25519 verification with the
// published vectors of RFC 8032, 7.1 (TEST 1 to 3). A reader whose verification is broken would
// accept any image, or refuse every update; the new image also runs these before it confirms itself.

const RFC8032: readonly { name: string; publicKey: string; message: string; signature: string }[] = [
  {
    name: "TEST 1",
    publicKey: "D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A",
    message: "",
    signature: "E5564300C360AC729086E2CC806E828A84877F1EB8E5D974D873E065224901555FB8821590A33BACC61E39701CF9B46BD25BF5F0595BBE24655141438E7A100B",
  },
  {
    name: "TEST 2",
    publicKey: "3D4017C3E843895A92B70AA74D1B7EBC9C982CCF2EC4968CC0CD55F12AF4660C",
    message: "72",
    signature: "92A009A9F0D4CAB8720E820B5F642540A2B27B5416503F8FB3762223EBDB69DA085AC1E43E15996E458F3613D0F11D8C387B2EAEB4302AEEB00D291612BB0C00",
  },
  {
    name: "TEST 3",
    publicKey: "FC51CD8E6218A1A38DA47ED00230F0580816ED13BA3303AC5DEB911548908025",
    message: "AF82",
    signature: "6291D657DEEC24024827E69C3ABE01A30CE548A284743A445E3680D7DB5AC3AC18FF9B538D16F290AE67F760984DC6594A7C15E9716ED28DC027BECEEA1EC40A",
  },
];

function flipped(hex: string, byte: number): Uint8Array {
  const b = fromHex(hex);
  b[byte] ^= 0x01;
  return b;
}

export const firmwareKats: KnownAnswerTest[] = [
  ...RFC8032.map((v): KnownAnswerTest => ({
    name: `ed25519 verify (RFC 8032 7.1 ${v.name})`,
    run: () => ed25519Verify(fromHex(v.signature), fromHex(v.message), fromHex(v.publicKey)),
  })),
  {
    name: "ed25519 verify refuses a changed message and a changed signature (RFC 8032 7.1 TEST 3)",
    run: () => {
      const v = RFC8032[2];
      return !ed25519Verify(fromHex(v.signature), flipped(v.message, 1), fromHex(v.publicKey)) &&
        !ed25519Verify(flipped(v.signature, 40), fromHex(v.message), fromHex(v.publicKey));
    },
  },
];
