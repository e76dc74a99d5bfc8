import type { RandomSource } from "../../hal/random";
import { constantTimeEqual, fromHex, toHex } from "../bytes";
import { aesCmac, randomBytes, tdesCmac, type CryptoProvider } from "../crypto";
import { KeyBlockError } from "./errors";
import {
  asciiBytes, cipherBlockChars, formatHeader, headerChars, isUpperHex, parseHeader,
  type Tr31Header, type Tr31OptionalBlock, type Tr31Version,
} from "./tr31-header";

// TR-31 / ANSI X9.143 key blocks with the key derivation binding method: version B (TDEA key
// derivation, X9.143:2021 7.2.2) and version D (AES key derivation, 7.2.1). A key block protection key (KBPK) derives a
// key block encryption key (KBEK) and a key block authentication key (KBAK) by CMAC; the MAC is
// computed over the header and the clear key payload and is the IV of the CBC encryption of that
// payload. This is how keys reach the reader: a DUKPT initial key wrapped under the KBPK loaded at
// the factory.
//
// Payload (X9.143:2021, 6.1 figure 2 and 7.3.1 table 26): 2-byte key length in bits || key ||
// random padding to whole cipher blocks.

export interface Tr31WrapOptions extends Omit<Tr31Header, "optionalBlocks"> {
  optionalBlocks?: Tr31OptionalBlock[];
  /** Random padding bytes of the payload. */
  random: RandomSource;
  /**
   * X9.143:2021 key length obfuscation: pad the key to the longest key of its algorithm (TDEA 24,
   * AES 32 bytes) so the block does not reveal the key length. Default true; TR-31:2018 did not
   * require it (its Annex A examples are not padded so).
   */
  maskKeyLength?: boolean;
}

export interface Tr31Unwrapped {
  header: Tr31Header;
  /** The clear key: the caller zeroizes it. */
  key: Uint8Array;
}

const MAC_BYTES: Record<"B" | "D", number> = { B: 8, D: 16 };

function fail(code: string, message: string): never {
  throw new KeyBlockError(code, `tr31: ${message}`);
}

function checkKbpk(version: Tr31Version, kbpk: Uint8Array): void {
  const ok = kbpk instanceof Uint8Array &&
    (version === "B" ? kbpk.length === 16 || kbpk.length === 24 : kbpk.length === 16 || kbpk.length === 24 || kbpk.length === 32);
  if (!ok) {
    fail("tr31-kbpk", version === "B"
      ? "a version B KBPK is a TDEA key of 16 or 24 bytes"
      : "a version D KBPK is an AES key of 16, 24 or 32 bytes");
  }
}

/**
 * X9.143:2021, 7.2.1 table 24 (AES) and 7.2.2 table 25 (TDEA): derivation input = counter (1) ||
 * key usage (2: 0000 encryption, 0001 MAC) || separator 00 || algorithm (2: 0000 2TDEA, 0001
 * 3TDEA, 0002 AES-128, 0003 AES-192, 0004 AES-256) || length in bits (2); CMAC under the KBPK,
 * counter 1, 2, ... until the key is long enough (the last block truncated for AES-192, figure 5).
 */
export function deriveKeyBlockKeys(c: CryptoProvider, version: "B" | "D", kbpk: Uint8Array): { kbek: Uint8Array; kbak: Uint8Array } {
  checkKbpk(version, kbpk);
  const algorithm = version === "B" ? (kbpk.length === 16 ? 0 : 1) : kbpk.length / 8;
  const bits = kbpk.length * 8;
  const derive = (usage: number): Uint8Array => {
    const out = new Uint8Array(kbpk.length);
    const step = version === "B" ? 8 : 16;
    for (let counter = 1, offset = 0; offset < kbpk.length; counter++, offset += step) {
      const input = Uint8Array.of(counter, 0, usage, 0, 0, algorithm, bits >> 8, bits & 0xff);
      const mac = version === "B" ? tdesCmac(c, kbpk, input) : aesCmac(c, kbpk, input);
      out.set(mac.subarray(0, Math.min(step, kbpk.length - offset)), offset);
      mac.fill(0);
    }
    return out;
  };
  return { kbek: derive(0), kbak: derive(1) };
}

function macOf(c: CryptoProvider, version: "B" | "D", kbak: Uint8Array, header: string, payload: Uint8Array): Uint8Array {
  const input = new Uint8Array(header.length + payload.length);
  input.set(asciiBytes(header), 0);
  input.set(payload, header.length);
  const mac = version === "B" ? tdesCmac(c, kbak, input) : aesCmac(c, kbak, input);
  input.fill(0);
  return mac;
}

/** Key lengths (bytes) an algorithm allows in a block this reader makes or accepts. */
function checkKeyLength(algorithm: string, length: number, code: string): void {
  const allowed: Record<string, number[]> = { T: [16, 24], D: [8], A: [16, 24, 32] };
  const lengths = allowed[algorithm];
  if (lengths !== undefined ? lengths.indexOf(length) < 0 : length < 1 || length > 4096) {
    fail(code, `a key of algorithm ${algorithm} cannot be ${length} bytes`);
  }
}

/** Wraps `key` under `kbpk` into a version B or D key block (X9.143:2021, 7.2 and 7.3). */
export function wrapKeyBlock(c: CryptoProvider, kbpk: Uint8Array, key: Uint8Array, options: Tr31WrapOptions): string {
  const version = options.version;
  if (version !== "B" && version !== "D") fail("tr31-version", "this reader wraps version B (TDEA) and D (AES) only");
  checkKbpk(version, kbpk);
  if (!(key instanceof Uint8Array)) fail("tr31-key", "the key must be bytes");
  checkKeyLength(options.algorithm, key.length, "tr31-key");
  const header: Tr31Header = {
    version,
    usage: options.usage,
    algorithm: options.algorithm,
    modeOfUse: options.modeOfUse,
    keyVersion: options.keyVersion,
    exportability: options.exportability,
    optionalBlocks: options.optionalBlocks ?? [],
  };
  if (options.keyContext !== undefined && options.keyContext !== "0") header.keyContext = options.keyContext;
  const bs = cipherBlockChars(version);
  const masked = options.maskKeyLength === false ? key.length
    : Math.max(key.length, options.algorithm === "A" ? 32 : options.algorithm === "T" ? 24 : key.length);
  const payloadLength = Math.ceil((2 + masked) / bs) * bs;
  const total = headerChars(header) + 2 * payloadLength + 2 * MAC_BYTES[version];
  const headerText = formatHeader(header, total);

  const payload = new Uint8Array(payloadLength);
  payload[0] = (key.length * 8) >> 8;
  payload[1] = (key.length * 8) & 0xff;
  payload.set(key, 2);
  const padding = randomBytes(options.random, payloadLength - 2 - key.length);
  payload.set(padding, 2 + key.length);
  padding.fill(0);

  const { kbek, kbak } = deriveKeyBlockKeys(c, version, kbpk);
  const mac = macOf(c, version, kbak, headerText, payload);
  const encrypted = version === "B" ? c.tdesCbcEncrypt(kbek, mac, payload) : c.aesCbcEncrypt(kbek, mac, payload);
  kbek.fill(0);
  kbak.fill(0);
  payload.fill(0);
  return headerText + toHex(encrypted) + toHex(mac);
}

/**
 * Unwraps an untrusted key block: header and optional blocks checked, payload decrypted with the
 * MAC as IV, the MAC recomputed and compared in constant time before any byte of the payload is
 * read; then the key length field is checked. Every failure is a KeyBlockError; no message
 * carries key material.
 */
export function unwrapKeyBlock(c: CryptoProvider, kbpk: Uint8Array, block: string): Tr31Unwrapped {
  const { header, chars } = parseHeader(block);
  const version = header.version;
  if (version !== "B" && version !== "D") fail("tr31-version", "only versions B and D are supported");
  checkKbpk(version, kbpk);
  const macChars = 2 * MAC_BYTES[version];
  const body = block.slice(chars);
  const bs = cipherBlockChars(version);
  if (!isUpperHex(body)) fail("tr31-payload", "the encrypted key and MAC must be uppercase hex");
  const payloadChars = body.length - macChars;
  if (payloadChars < 2 * bs || payloadChars % (2 * bs) !== 0) {
    fail("tr31-length", `the encrypted key is not a whole number of ${bs}-byte cipher blocks`);
  }
  const encrypted = fromHex(body.slice(0, payloadChars));
  const mac = fromHex(body.slice(payloadChars));
  const { kbek, kbak } = deriveKeyBlockKeys(c, version, kbpk);
  const payload = version === "B" ? c.tdesCbcDecrypt(kbek, mac, encrypted) : c.aesCbcDecrypt(kbek, mac, encrypted);
  const expected = macOf(c, version, kbak, block.slice(0, chars), payload);
  kbek.fill(0);
  kbak.fill(0);
  const authentic = constantTimeEqual(expected, mac);
  expected.fill(0);
  if (!authentic) {
    payload.fill(0);
    fail("tr31-mac", "the key block MAC does not verify (wrong KBPK or altered block)");
  }
  const bits = (payload[0] << 8) | payload[1];
  if (bits === 0 || bits % 8 !== 0 || 2 + bits / 8 > payload.length) {
    payload.fill(0);
    fail("tr31-key", "the key length field does not fit the payload");
  }
  try {
    checkKeyLength(header.algorithm, bits / 8, "tr31-key");
  } catch (e) {
    payload.fill(0);
    throw e;
  }
  const key = payload.slice(2, 2 + bits / 8);
  payload.fill(0);
  return { header, key };
}

/** The data of optional block `id`, or undefined. */
export function optionalBlock(header: Tr31Header, id: string): string | undefined {
  for (const b of header.optionalBlocks) if (b.id === id) return b.data;
  return undefined;
}
