// The software CryptoProvider: pure TypeScript over @noble/* and this folder's DES. It runs the
// same on Node, on XS on the laptop and on the ESP32; the device build may swap in a provider over
// Moddable's native `crypt` module with the same contract (provider.ts).

import type { CryptoProvider } from "./provider";
import { aesCbcDecrypt, aesCbcEncrypt, aesEcbDecrypt, aesEcbEncrypt } from "./aes";
import { tdesCbcDecrypt, tdesCbcEncrypt, tdesEcbDecrypt, tdesEcbEncrypt } from "./tdes";
import { hmacSha256, sha1, sha256 } from "./sha";
import { rsaPublic } from "./rsa";

export const softwareCrypto: CryptoProvider = Object.freeze({
  aesEcbEncrypt,
  aesEcbDecrypt,
  aesCbcEncrypt,
  aesCbcDecrypt,
  tdesEcbEncrypt,
  tdesEcbDecrypt,
  tdesCbcEncrypt,
  tdesCbcDecrypt,
  sha1,
  sha256,
  hmacSha256,
  rsaPublic,
});
