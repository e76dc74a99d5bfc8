// The kernel's cryptography as XS services, so a test runs the same call on Node and on the XS
// engine and compares the answers. Bytes travel as uppercase hex; a malformed argument ends in the
// kernel's typed error (InputError "hex", CryptoInputError "crypto-*").

import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { aesCmac, iso9797Mac1, retailMac, softwareCrypto, tdesCmac } from "../../../kernel/crypto";
import { runSelfTests } from "../../../kernel/selftest/selftest";
import { cryptoKats } from "../../../kernel/selftest/kat-crypto";

type BlockOp = "ecb-encrypt" | "ecb-decrypt" | "cbc-encrypt" | "cbc-decrypt";

function hexArg(args: any, name: string): Uint8Array {
  const value = args === null || typeof args !== "object" ? undefined : args[name];
  if (typeof value !== "string") throw new InputError("args", `missing hex argument "${name}"`);
  return fromHex(value);
}

function padMethodArg(args: any): 1 | 2 {
  const m = args?.padMethod;
  if (m !== 1 && m !== 2) throw new InputError("args", "padMethod must be 1 or 2");
  return m;
}

function blockCipher(cipher: "aes" | "tdes", args: any): { data: string } {
  const op = args?.op as BlockOp;
  const key = hexArg(args, "key");
  const data = hexArg(args, "data");
  const c = softwareCrypto;
  let out: Uint8Array;
  switch (op) {
    case "ecb-encrypt": out = cipher === "aes" ? c.aesEcbEncrypt(key, data) : c.tdesEcbEncrypt(key, data); break;
    case "ecb-decrypt": out = cipher === "aes" ? c.aesEcbDecrypt(key, data) : c.tdesEcbDecrypt(key, data); break;
    case "cbc-encrypt": {
      const iv = hexArg(args, "iv");
      out = cipher === "aes" ? c.aesCbcEncrypt(key, iv, data) : c.tdesCbcEncrypt(key, iv, data);
      break;
    }
    case "cbc-decrypt": {
      const iv = hexArg(args, "iv");
      out = cipher === "aes" ? c.aesCbcDecrypt(key, iv, data) : c.tdesCbcDecrypt(key, iv, data);
      break;
    }
    default:
      throw new InputError("args", "op must be ecb-encrypt, ecb-decrypt, cbc-encrypt or cbc-decrypt");
  }
  return { data: toHex(out) };
}

export const cryptoServices: Record<string, (args: any) => unknown> = {
  /** {op, key, iv?, data} -> {data}: AES-128/192/256 ECB or CBC, no padding. */
  "crypto.aes": (args) => blockCipher("aes", args),
  /** {op, key, iv?, data} -> {data}: DES (8-byte key) or TDES (16/24-byte key) ECB or CBC. */
  "crypto.tdes": (args) => blockCipher("tdes", args),
  /** {cipher: "aes" | "tdes", key, data} -> {mac}: SP 800-38B CMAC, full tag. */
  "crypto.cmac": (args) => {
    const cipher = args?.cipher;
    if (cipher !== "aes" && cipher !== "tdes") throw new InputError("args", "cipher must be aes or tdes");
    const key = hexArg(args, "key");
    const data = hexArg(args, "data");
    return { mac: toHex(cipher === "aes" ? aesCmac(softwareCrypto, key, data) : tdesCmac(softwareCrypto, key, data)) };
  },
  /** {algorithm: 1 | 3, key, data, padMethod} -> {mac}: ISO 9797-1 MAC algorithm 1 or 3 (retail MAC). */
  "crypto.iso9797": (args) => {
    const algorithm = args?.algorithm;
    if (algorithm !== 1 && algorithm !== 3) throw new InputError("args", "algorithm must be 1 or 3");
    const key = hexArg(args, "key");
    const data = hexArg(args, "data");
    const pad = padMethodArg(args);
    const mac = algorithm === 1 ? iso9797Mac1(softwareCrypto, key, data, pad) : retailMac(softwareCrypto, key, data, pad);
    return { mac: toHex(mac) };
  },
  /** {data} -> {digest} */
  "crypto.sha1": (args) => ({ digest: toHex(softwareCrypto.sha1(hexArg(args, "data"))) }),
  /** {data} -> {digest} */
  "crypto.sha256": (args) => ({ digest: toHex(softwareCrypto.sha256(hexArg(args, "data"))) }),
  /** {key, data} -> {mac} */
  "crypto.hmacSha256": (args) => ({ mac: toHex(softwareCrypto.hmacSha256(hexArg(args, "key"), hexArg(args, "data"))) }),
  /** {modulus, exponent, input} -> {output}: the RSA public operation. */
  "crypto.rsa": (args) => ({
    output: toHex(softwareCrypto.rsaPublic(hexArg(args, "modulus"), hexArg(args, "exponent"), hexArg(args, "input"))),
  }),
  /** The crypto known-answer tests, as the power-on self-test runs them. */
  "crypto.kats": () => runSelfTests(softwareCrypto, cryptoKats),
};
