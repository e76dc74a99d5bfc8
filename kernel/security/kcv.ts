import { aesCmac, tdesCmac, type CryptoProvider } from "../crypto";
import { KeyError } from "./errors";

// Key check values, ANSI X9.24-1:2017 Annex A: how a key loaded into the reader is checked against
// the key the host meant, without revealing it.
// - A.2 legacy: encrypt a block of zeros, keep the leftmost 3 bytes (TDEA keys);
// - A.3 CMAC-based: CMAC of a block of zeros, keep the leftmost 5 bytes (AES keys; also TDEA).

export type KcvAlgorithm = "tdes" | "aes";
export type KcvMethod = "legacy" | "cmac";

/** The KCV of `key`: legacy for TDEA and CMAC for AES unless `method` says otherwise. */
export function keyCheckValue(c: CryptoProvider, algorithm: KcvAlgorithm, key: Uint8Array, method?: KcvMethod): Uint8Array {
  const m = method ?? (algorithm === "aes" ? "cmac" : "legacy");
  if (algorithm === "tdes") {
    if (!(key instanceof Uint8Array) || (key.length !== 8 && key.length !== 16 && key.length !== 24)) {
      throw new KeyError("key-length", "kcv: a TDEA key is 8, 16 or 24 bytes");
    }
    const out = m === "legacy" ? c.tdesEcbEncrypt(key, new Uint8Array(8)) : tdesCmac(c, key, new Uint8Array(8));
    return out.slice(0, m === "legacy" ? 3 : 5);
  }
  if (algorithm === "aes") {
    if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32)) {
      throw new KeyError("key-length", "kcv: an AES key is 16, 24 or 32 bytes");
    }
    const out = m === "legacy" ? c.aesEcbEncrypt(key, new Uint8Array(16)) : aesCmac(c, key, new Uint8Array(16));
    return out.slice(0, m === "legacy" ? 3 : 5);
  }
  throw new KeyError("key-type", `kcv: unknown algorithm ${String(algorithm)}`);
}
