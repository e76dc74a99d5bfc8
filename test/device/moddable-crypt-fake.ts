import { createCipheriv, createDecipheriv, createHash } from "crypto";

// A fake of Moddable's `crypt` module (modules/crypt/digest/crypt.js, native in modCrypt.c) for
// jest, its primitives from Node's OpenSSL and its behaviour from Moddable's sources (SDK commit
// 48ee02d8cfe0, 2026-06-17). The lines of modCrypt.c each rule follows are quoted beside it. What
// the reader's provider does not use and this fake does not model (CTR, GHASH, StreamCipher) throws.

/** fxToArrayBuffer / fxCheckArrayBufferInstance (xsDataView.c): an ArrayBuffer, else a TypeError. */
function arrayBufferArgument(value: unknown): Uint8Array {
  if (!(value instanceof ArrayBuffer)) throw new TypeError("this is no ArrayBuffer instance");
  return new Uint8Array(value);
}

/** _xsmcGetBuffer (xsmc.c): an ArrayBuffer, a typed array of 1-byte elements or a DataView; else "invalid buffer". */
function bufferArgument(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (ArrayBuffer.isView(value) && (value as Uint8Array).BYTES_PER_ELEMENT === 1) {
    const v = value as Uint8Array;
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  throw new TypeError("invalid buffer");
}

/** `xsStringType == xsmcTypeOf(xsArg(0))`: a string is written as its bytes up to c_strlen. */
function stringOrBuffer(value: unknown, buffer: (v: unknown) => Uint8Array): Uint8Array {
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    const nul = bytes.indexOf(0);
    return new Uint8Array(nul < 0 ? bytes : bytes.subarray(0, nul));
  }
  return buffer(value);
}

// gDigests: name, digest size, block size.
const DIGESTS: Record<string, { node: string; outputSize: number; blockSize: number }> = {
  MD5: { node: "md5", outputSize: 16, blockSize: 64 },
  SHA1: { node: "sha1", outputSize: 20, blockSize: 64 },
  SHA256: { node: "sha256", outputSize: 32, blockSize: 64 },
  SHA224: { node: "sha224", outputSize: 28, blockSize: 64 },
  SHA512: { node: "sha512", outputSize: 64, blockSize: 128 },
  SHA384: { node: "sha384", outputSize: 48, blockSize: 128 },
};

export class Digest {
  readonly #type: (typeof DIGESTS)[string];
  #written: Buffer[] = [];
  #finished = false;

  constructor(type: string) {
    // xs_crypt_Digest: `if (NULL == digest->name) xsUnknownError("crypt: unsupported digest");`
    const d = DIGESTS[String(type)];
    if (d === undefined) throw new Error(String(type) === "GHASH" ? "fake crypt: GHASH is not modelled" : "crypt: unsupported digest");
    this.#type = d;
  }

  /** xs_crypt_Digest_write: a string or xsmcGetBufferReadable(xsArg(0)). */
  write(data: unknown): void {
    // After close() the native context holds a finished hash: writing on goes on from garbage. The fake refuses.
    if (this.#finished) throw new Error("fake crypt: write after close without reset");
    this.#written.push(Buffer.from(stringOrBuffer(data, bufferArgument)));
  }

  /** xs_crypt_Digest_close: a new ArrayBuffer of digestSize; with `more`, the context is saved and restored. */
  close(more?: unknown): ArrayBuffer {
    if (this.#finished) throw new Error("fake crypt: close after close without reset");
    const hash = createHash(this.#type.node);
    for (const b of this.#written) hash.update(b);
    const out = new Uint8Array(hash.digest()).slice().buffer;
    if (!more) this.#finished = true;
    return out;
  }

  /** xs_crypt_Digest_reset: doCreate, a fresh context. */
  reset(): void {
    this.#written = [];
    this.#finished = false;
  }

  get blockSize(): number { return this.#type.blockSize; }
  get outputSize(): number { return this.#type.outputSize; }

  /** crypt.js: `this.reset(); for (...) this.write(arguments[i]); return this.close();` */
  process(...data: unknown[]): ArrayBuffer {
    this.reset();
    for (const d of data) this.write(d);
    return this.close();
  }

  update(data: unknown): void {
    this.write(data);
  }
}

/** One DES block (FIPS 46-3) through OpenSSL: DES-EDE3 with K1 = K2 = K3 is single DES. */
function desBlock(key: Uint8Array, block: Uint8Array, decrypt: boolean): Uint8Array {
  const k = Buffer.concat([key, key, key]);
  const c = decrypt ? createDecipheriv("des-ede3", k, null) : createCipheriv("des-ede3", k, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

function aesBlock(key: Uint8Array, block: Uint8Array, decrypt: boolean): Uint8Array {
  const name = `aes-${key.length * 8}-ecb`;
  const c = decrypt ? createDecipheriv(name, key, null) : createCipheriv(name, key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

/** Every key argument a BlockCipher was constructed with, as passed (for tests of key hygiene). */
export const keyArguments: ArrayBuffer[] = [];

export class BlockCipher {
  readonly #kind: "DES" | "TDES" | "AES";
  readonly #key: Uint8Array;
  readonly blockSize: number;
  readonly keySize: number;

  constructor(cipher: unknown, key: unknown) {
    // xs_crypt_cipher_constructor: `void *key = xsmcToArrayBuffer(xsArg(1)); keySize = xsmcGetArrayBufferLength(xsArg(1));`
    const k = arrayBufferArgument(key);
    keyArguments.push(key as ArrayBuffer);
    const name = String(cipher);
    if (name === "AES") {
      // `if ((16 != keySize) && (24 != keySize) && (32 != keySize)) xsUnknownError("bad key size");`
      if (k.length !== 16 && k.length !== 24 && k.length !== 32) throw new Error("bad key size");
      this.#key = k.slice();
      this.blockSize = 16;
      this.keySize = k.length;
    } else if (name === "DES") {
      // `if (keySize < 8) xsUnknownError("key too short"); else if (keySize > 8) keySize = 8;`
      if (k.length < 8) throw new Error("key too short");
      this.#key = k.slice(0, 8);
      this.blockSize = 8;
      this.keySize = 8;
    } else if (name === "TDES") {
      // `if (keySize > 8 * 3) keySize = 8 * 3; memcpy(key, key, keySize); if (keySize <= 8) { key[8] = key; key[16] = key }
      //  else if (keySize <= 16) memcpy(&key[16], key, 8);` in a zeroed 24-byte context.
      const size = Math.min(k.length, 24);
      const full = new Uint8Array(24);
      full.set(k.subarray(0, size));
      if (size <= 8) {
        full.set(k.subarray(0, size), 8);
        full.set(k.subarray(0, size), 16);
      } else if (size <= 16) full.set(k.subarray(0, 8), 16);
      this.#key = full;
      this.blockSize = 8;
      this.keySize = size;
    } else throw new Error("unsupported cipher");
    this.#kind = name;
  }

  /**
   * xs_crypt_cipher_process with the subkeys of xs_crypt_cipher_setDirection. TDES applies the
   * thirds in the order 0, 1, 2 both ways:
   *   des_keysched(key,      encrypt ? des_cipher_encryption : des_cipher_decryption, subkey[0]);
   *   des_keysched(&key[8],  encrypt ? des_cipher_decryption : des_cipher_encryption, subkey[1]);
   *   des_keysched(&key[16], encrypt ? des_cipher_encryption : des_cipher_decryption, subkey[2]);
   *   des_process(data, result, subkey[0]); des_process(result, result, subkey[1]); des_process(result, result, subkey[2]);
   * so decryption is D_K3(E_K2(D_K1(C))).
   */
  processBlock(block: Uint8Array, decrypt: boolean): Uint8Array {
    if (this.#kind === "AES") return aesBlock(this.#key, block, decrypt);
    if (this.#kind === "DES") return desBlock(this.#key, block, decrypt);
    let out = desBlock(this.#key.subarray(0, 8), block, decrypt);
    out = desBlock(this.#key.subarray(8, 16), out, !decrypt);
    return desBlock(this.#key.subarray(16, 24), out, decrypt);
  }

  /** xs_crypt_cipher_crypt: one block of `data` (an ArrayBuffer or a string), `if (size < blockSize) xsUnknownError("bad size")`. */
  encrypt(data: unknown, result?: unknown): ArrayBuffer {
    return this.#crypt(data, result, false);
  }

  decrypt(data: unknown, result?: unknown): ArrayBuffer {
    return this.#crypt(data, result, true);
  }

  #crypt(data: unknown, result: unknown, decrypt: boolean): ArrayBuffer {
    let out: ArrayBuffer;
    if (result) {
      // `if (xsmcGetArrayBufferLength(xsArg(1)) < blockSize) xsUnknownError("buffer too small");`
      if (arrayBufferArgument(result).length < this.blockSize) throw new Error("buffer too small");
      out = result as ArrayBuffer;
    } else out = new ArrayBuffer(this.blockSize);
    const input = stringOrBuffer(data, arrayBufferArgument);
    if (input.length < this.blockSize) throw new Error("bad size");
    new Uint8Array(out).set(this.processBlock(input.subarray(0, this.blockSize), decrypt));
    return out;
  }
}

export class Mode {
  readonly #cipher: BlockCipher;
  readonly #padding: boolean;
  /** em_buf: the CBC chaining value, zero unless an IV is given (the host chunk is zeroed). */
  readonly #chain: Uint8Array;
  readonly #cbc: boolean;
  eof = false;

  constructor(mode: unknown, cipher: unknown, iv?: unknown, pad?: unknown) {
    const name = String(mode);
    // `else xsUnknownError("unsupported mode");`
    if (name === "CTR") throw new Error("fake crypt: CTR is not modelled");
    if (name !== "ECB" && name !== "CBC") throw new Error("unsupported mode");
    // `mode->cipherH = xsGetHostHandle(xsArg(1));`
    if (!(cipher instanceof BlockCipher)) throw new TypeError("no host object");
    this.#cipher = cipher;
    this.#chain = new Uint8Array(cipher.blockSize);
    this.#cbc = name === "CBC";
    // `mode->padding = (argc >= 4) && xsmcToBoolean(xsArg(3));`
    this.#padding = Boolean(pad);
    // CBC: `if ((argc >= 3) && xsmcTest(xsArg(2))) cbc_setIV(mode, xsmcToArrayBuffer(xsArg(2)), ...)`; ECB ignores it.
    if (this.#cbc && iv) this.setIV(iv);
  }

  /** cbc_setIV: em_buf zeroed, then at most blockSize bytes of the IV copied in. */
  setIV(iv: unknown): void {
    const bytes = arrayBufferArgument(iv);
    this.#chain.fill(0);
    this.#chain.set(bytes.subarray(0, this.#chain.length));
  }

  /**
   * xs_crypt_mode_encrypt: a new ArrayBuffer of the input's length; whole blocks are processed
   * (`while (count >= blockSize)`), a shorter tail is left as zeros; CBC chains through em_buf from
   * call to call (`cbc_xor(prev, data); process(prev, result); memcpy(prev, result)`).
   */
  encrypt(data: unknown, result?: unknown): ArrayBuffer {
    noResultBuffer(result);
    const input = bufferArgument(data);
    const out = new Uint8Array(input.length);
    const bs = this.#cipher.blockSize;
    let i = 0;
    for (; i + bs <= input.length; i += bs) {
      const block = input.slice(i, i + bs);
      if (this.#cbc) for (let j = 0; j < bs; j++) block[j] ^= this.#chain[j];
      const c = this.#cipher.processBlock(block, false);
      out.set(c, i);
      if (this.#cbc) this.#chain.set(c);
    }
    // `if (mode->eof && mode->padding)` writes one more block past a result of the input's length.
    if (this.eof && this.#padding) throw new Error("fake crypt: padded encryption writes past the result buffer");
    return out.buffer as ArrayBuffer;
  }

  /**
   * xs_crypt_mode_decrypt: a resizable ArrayBuffer of the input's length, cut to the whole blocks processed; CBC: `*result++ = prev ^ D(data)`,
   * em_buf takes the ciphertext block; with eof and padding, the last byte's count is cut off.
   */
  decrypt(data: unknown, result?: unknown): ArrayBuffer {
    noResultBuffer(result);
    const input = bufferArgument(data);
    const bs = this.#cipher.blockSize;
    // `xsmcSetArrayBufferResizable(xsResult, NULL, count, count)` (a plain ArrayBuffer here: the caller only reads it)
    const out = new Uint8Array(input.length);
    let i = 0;
    for (; i + bs <= input.length; i += bs) {
      const c = input.slice(i, i + bs);
      const p = this.#cipher.processBlock(c, true);
      if (this.#cbc) {
        for (let j = 0; j < bs; j++) p[j] ^= this.#chain[j];
        this.#chain.set(c);
      }
      out.set(p, i);
    }
    let length = i;
    if (this.eof && this.#padding && length > 0) {
      // `padLen = *(result - 1); if (padLen > blockSize) padLen = 0; result -= padLen;`
      const padLen = out[length - 1] > bs ? 0 : out[length - 1];
      length -= padLen;
    }
    // `if ((result - resultStart) != countStart) xsmcSetArrayBufferLength(xsResult, result - resultStart);`
    return (length === input.length ? out.buffer : out.buffer.slice(0, length)) as ArrayBuffer;
  }
}

/** The reader's provider lets Mode allocate its result; writing into a caller's buffer is not modelled. */
function noResultBuffer(result: unknown): void {
  if (result) throw new Error("fake crypt: a result buffer is not modelled");
}

export default Object.freeze({ Digest, BlockCipher, Mode });
