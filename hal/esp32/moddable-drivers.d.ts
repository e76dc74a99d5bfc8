// Moddable SDK modules the firmware uses that @moddable/typings does not declare, typed from their
// sources (modules/drivers/ili9341/ili9341.js). The pins and SPI port come from manifest.json's
// `defines.ili9341`.
declare module "ili9341" {
  import PixelsOut from "commodetto/PixelsOut";
  export default class ILI9341 extends PixelsOut {
    constructor(dictionary: Record<string, unknown>);
  }
}

// Moddable's `crypt` module (modules/crypt/digest/crypt.js, native in modCrypt.c over the KCL C
// sources of kcl/: fips46.c DES, fips197.c AES, fips180.c SHA), provided by
// $(MODDABLE)/modules/crypt/digest/manifest.json. Byte conventions from modCrypt.c: keys and IVs
// are read with xsmcToArrayBuffer (an ArrayBuffer, nothing else); the data of Digest.write and of
// Mode.encrypt/decrypt with xsmcGetBuffer (an ArrayBuffer or a byte view); every result is a new
// ArrayBuffer. A failure throws an Error ("bad key size", "unsupported cipher", ...).
declare module "crypt" {
  type Bytes = ArrayBuffer | ArrayBufferView;
  export class Digest {
    constructor(type: "MD5" | "SHA1" | "SHA224" | "SHA256" | "SHA384" | "SHA512");
    write(data: Bytes | string): void;
    /** The digest; `more` keeps the state to go on writing. */
    close(more?: boolean): ArrayBuffer;
    reset(): void;
    process(...data: (Bytes | string)[]): ArrayBuffer;
    update(data: Bytes | string): void;
    readonly blockSize: number;
    readonly outputSize: number;
  }
  export class BlockCipher {
    /** "DES" (8-byte key), "TDES" (8, 16 or 24 bytes: K1 K2 K3, K3 = K1 for 16), "AES" (16, 24 or 32). */
    constructor(cipher: "DES" | "TDES" | "AES", key: ArrayBuffer);
    /** One block. */
    encrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer;
    decrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer;
    readonly keySize: number;
    readonly blockSize: number;
  }
  export class Mode {
    /** `pad`: PKCS #7 (RFC 2630) padding on the last call, once `eof` is set. */
    constructor(mode: "ECB" | "CBC" | "CTR", cipher: BlockCipher, iv?: ArrayBuffer, pad?: boolean);
    /** Whole blocks of `data`; CBC chains from call to call. */
    encrypt(data: Bytes, result?: ArrayBuffer): ArrayBuffer;
    decrypt(data: Bytes, result?: Bytes): ArrayBuffer;
    setIV(iv: ArrayBuffer): void;
    eof: boolean;
  }
}
