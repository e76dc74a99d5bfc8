// The kernel's cryptography: one provider interface (provider.ts), its software implementation,
// and the constructions built over any provider (CMAC, ISO 9797-1 MACs), plus random bytes from
// the HAL's source.

export type { CryptoProvider } from "./provider";
export { softwareCrypto } from "./software";
export { CryptoInputError } from "./errors";
export { aesEcbEncrypt, aesEcbDecrypt, aesCbcEncrypt, aesCbcDecrypt, AES_BLOCK_BYTES } from "./aes";
export { tdesEcbEncrypt, tdesEcbDecrypt, tdesCbcEncrypt, tdesCbcDecrypt, DES_BLOCK_BYTES } from "./tdes";
export { sha1, sha256, hmacSha256 } from "./sha";
export { rsaPublic, modPow, RSA_MAX_MODULUS_BYTES } from "./rsa";
export { aesCmac, tdesCmac, cmac, cmacSubkeys } from "./cmac";
export type { CmacCipher } from "./cmac";
export { iso9797Pad, iso9797Mac1, retailMac } from "./iso9797";
export type { Iso9797PadMethod } from "./iso9797";
export { randomBytes, RANDOM_MAX_BYTES } from "./random";
