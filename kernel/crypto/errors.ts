import { MposError } from "../errors";

/**
 * A bad argument to a cryptographic function: a key, IV or data length the algorithm does not
 * accept, an RSA input out of range. The message names the length or the rule, never the bytes.
 * Codes: "crypto-key", "crypto-iv", "crypto-data", "crypto-rsa", "crypto-random".
 */
export class CryptoInputError extends MposError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "CryptoInputError";
  }
}

/** Throws unless `bytes` is a Uint8Array. */
export function requireBytes(bytes: unknown, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new CryptoInputError("crypto-data", `${what}: expected bytes`);
}

/** Throws unless `data` is a non-empty whole number of `blockSize`-byte blocks. */
export function requireBlocks(data: unknown, blockSize: number, what: string): asserts data is Uint8Array {
  requireBytes(data, what);
  if (data.length === 0 || data.length % blockSize !== 0) {
    throw new CryptoInputError("crypto-data", `${what}: data of ${data.length} bytes is not a non-empty multiple of ${blockSize}`);
  }
}

/** Throws unless `iv` is exactly one block. */
export function requireIv(iv: unknown, blockSize: number, what: string): asserts iv is Uint8Array {
  if (!(iv instanceof Uint8Array)) throw new CryptoInputError("crypto-iv", `${what}: expected IV bytes`);
  if (iv.length !== blockSize) {
    throw new CryptoInputError("crypto-iv", `${what}: IV of ${iv.length} bytes, expected ${blockSize}`);
  }
}

/** Throws unless `key` is bytes of one of the allowed lengths. */
export function requireKey(key: unknown, lengths: readonly number[], what: string): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw new CryptoInputError("crypto-key", `${what}: expected key bytes`);
  if (lengths.indexOf(key.length) < 0) {
    throw new CryptoInputError("crypto-key", `${what}: key of ${key.length} bytes, expected ${lengths.join(", ")}`);
  }
}

/** Throws unless `key` is non-empty bytes: an HMAC key (RFC 2104, 3: keys shorter than the output weaken the MAC, an empty one is a bug). */
export function requireHmacKey(key: unknown, what: string): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw new CryptoInputError("crypto-key", `${what}: expected key bytes`);
  if (key.length === 0) throw new CryptoInputError("crypto-key", `${what}: empty key`);
}
