import type { RandomSource } from "../../hal/random";
import type { CryptoProvider } from "../crypto";
import { KeyError, PinBlockError } from "./errors";

// PIN blocks, ISO 9564-1:2017, 9.3 (formats 0 to 3, 8 bytes, for TDEA) and 9.4 (format 4, 16
// bytes, for AES). The PIN travels inside the kernel as ASCII digit bytes that the caller zeroizes
// (encodePinBlockDigits); the string forms are for host tools and the CLI. Random fill always
// comes from the HAL random source. No message ever contains a PIN, a PAN or a block.

export type PinBlockFormat = 0 | 1 | 2 | 3 | 4;
export const PIN_BLOCK_FORMATS: readonly PinBlockFormat[] = [0, 1, 2, 3, 4];

export interface PinBlockOptions {
  /** The PAN (ASCII digits): formats 0, 3 and 4. */
  pan?: string;
  /** Random fill: formats 1, 3 and 4. */
  random?: RandomSource;
  /** The AES key (16, 24 or 32 bytes): format 4, which is only defined enciphered. */
  key?: Uint8Array;
}

/**
 * The device side of online PIN: encrypts the PIN the keypad captured under the DUKPT PIN key of a
 * fresh transaction (format 0 under TDES DUKPT, format 4 under AES DUKPT), the counter advanced and
 * stored first. The caller zeroizes `pin` (ASCII digits) afterwards.
 */
export interface OnlinePinEncryptor {
  encryptPin(pin: Uint8Array, pan: string): Promise<{ block: Uint8Array; ksn: Uint8Array; format: 0 | 4 }>;
}

/** ISO 9564-1:2017, 8.1 and 9.1: a PIN has 4 to 12 digits. */
export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 12;
/** ISO/IEC 7812-1:2017: a PAN has 8 to 19 digits. */
const PAN_MIN_DIGITS = 8;
const PAN_MAX_DIGITS = 19;

function checkFormat(format: number): asserts format is PinBlockFormat {
  if (format !== 0 && format !== 1 && format !== 2 && format !== 3 && format !== 4) {
    throw new PinBlockError("pin-block-format", `pin block: format ${String(format)} is not one of 0, 1, 2, 3, 4`);
  }
}

/** The PIN as digit values 0-9, from ASCII digit bytes; checked for ISO 9564-1:2017, 8.1. */
function pinDigits(pin: Uint8Array): Uint8Array {
  if (!(pin instanceof Uint8Array)) throw new PinBlockError("pin", "pin block: the PIN must be digits");
  if (pin.length < PIN_MIN_DIGITS || pin.length > PIN_MAX_DIGITS) {
    throw new PinBlockError("pin", `pin block: a PIN has ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits, not ${pin.length}`);
  }
  const out = new Uint8Array(pin.length);
  for (let i = 0; i < pin.length; i++) {
    const d = pin[i] - 0x30;
    if (d < 0 || d > 9) {
      out.fill(0);
      throw new PinBlockError("pin", "pin block: the PIN must contain only the digits 0-9");
    }
    out[i] = d;
  }
  return out;
}

/** Checks a PIN given as ASCII digit bytes (ISO 9564-1:2017, 8.1) without keeping it. */
export function checkPin(pin: Uint8Array): void {
  pinDigits(pin).fill(0);
}

/** The PAN as digit values, checked: 8 to 19 decimal digits. */
export function panDigits(pan: string | undefined, format: number): Uint8Array {
  if (typeof pan !== "string") throw new PinBlockError("pan", `pin block: format ${format} needs the PAN`);
  if (pan.length < PAN_MIN_DIGITS || pan.length > PAN_MAX_DIGITS) {
    throw new PinBlockError("pan", `pin block: a PAN has ${PAN_MIN_DIGITS} to ${PAN_MAX_DIGITS} digits, not ${pan.length}`);
  }
  const out = new Uint8Array(pan.length);
  for (let i = 0; i < pan.length; i++) {
    const d = pan.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) throw new PinBlockError("pan", "pin block: the PAN must contain only the digits 0-9");
    out[i] = d;
  }
  return out;
}

function setNibble(block: Uint8Array, index: number, value: number): void {
  const b = index >> 1;
  block[b] = index & 1 ? (block[b] & 0xf0) | value : (block[b] & 0x0f) | (value << 4);
}

function nibble(block: Uint8Array, index: number): number {
  return index & 1 ? block[index >> 1] & 0x0f : block[index >> 1] >> 4;
}

/** Random nibbles in [low, 15], unbiased (rejection of out-of-range values). */
function randomNibbles(random: RandomSource | undefined, count: number, low: number): Uint8Array {
  if (!random || typeof random.fill !== "function") {
    throw new PinBlockError("pin-block-format", "pin block: this format needs a random source");
  }
  const span = 16 - low;
  const limit = 16 - (16 % span);
  const out = new Uint8Array(count);
  const pool = new Uint8Array(count + 8);
  let n = 0;
  // A stuck source (all FF) would loop for ever: a bounded number of rounds, then an error.
  for (let round = 0; n < count; round++) {
    if (round === 16) {
      pool.fill(0);
      out.fill(0);
      throw new PinBlockError("random", "pin block: the random source keeps giving the same out-of-range values");
    }
    random.fill(pool);
    for (let i = 0; i < pool.length * 2 && n < count; i++) {
      const v = i & 1 ? pool[i >> 1] & 0x0f : pool[i >> 1] >> 4;
      if (v < limit) out[n++] = low + (v % span);
    }
  }
  pool.fill(0);
  return out;
}

/**
 * The control field, PIN length and PIN digits, then `fill` for the remaining nibbles of the first
 * 8 bytes (ISO 9564-1:2017, 9.3.2.2, 9.3.3, 9.3.4, 9.3.5.2, 9.4.2.2.2).
 */
function pinField(format: number, digits: Uint8Array, fill: (i: number) => number, bytes: number): Uint8Array {
  const block = new Uint8Array(bytes);
  setNibble(block, 0, format);
  setNibble(block, 1, digits.length);
  for (let i = 0; i < digits.length; i++) setNibble(block, 2 + i, digits[i]);
  for (let i = 2 + digits.length; i < 16; i++) setNibble(block, i, fill(i));
  return block;
}

/**
 * ISO 9564-1:2017, 9.3.2.3 (format 0) and 9.3.5.3 (format 3): four zero nibbles, then the 12
 * rightmost PAN digits excluding the check digit, right-justified and zero-padded on the left.
 */
function panField8(pan: Uint8Array): Uint8Array {
  const field = new Uint8Array(8);
  const withoutCheck = pan.subarray(0, pan.length - 1);
  const take = Math.min(12, withoutCheck.length);
  for (let i = 0; i < take; i++) setNibble(field, 16 - take + i, withoutCheck[withoutCheck.length - take + i]);
  return field;
}

/**
 * ISO 9564-1:2017, 9.4.2.2.3 (format 4): M = number of PAN digits beyond 12 (0 to 7), the PAN
 * left-justified from nibble 1 (right-justified in 12 digits with zeros on the left when shorter
 * than 12), zeros to 16 bytes. The check digit is kept.
 */
function panField16(pan: Uint8Array): Uint8Array {
  const field = new Uint8Array(16);
  if (pan.length >= 12) {
    setNibble(field, 0, pan.length - 12);
    for (let i = 0; i < pan.length; i++) setNibble(field, 1 + i, pan[i]);
  } else {
    for (let i = 0; i < pan.length; i++) setNibble(field, 13 - pan.length + i, pan[i]);
  }
  return field;
}

function xorInto(a: Uint8Array, b: Uint8Array): void {
  for (let i = 0; i < a.length; i++) a[i] ^= b[i];
}

function aesKey(key: Uint8Array | undefined, crypto: CryptoProvider | undefined): { key: Uint8Array; c: CryptoProvider } {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32)) {
    throw new KeyError("key-length", "pin block: format 4 needs an AES key of 16, 24 or 32 bytes");
  }
  if (!crypto) throw new PinBlockError("pin-block-format", "pin block: format 4 needs a crypto provider");
  return { key, c: crypto };
}

/**
 * Encodes a PIN given as ASCII digit bytes (the form the keypad delivers; the caller zeroizes it).
 * Formats 0-3 give the clear 8-byte block; format 4 gives the 16-byte block enciphered under
 * `options.key` (ISO 9564-1:2017, 9.4.2.3: A = E(K, PIN field); B = A xor PAN field; C = E(K, B)).
 */
export function encodePinBlockDigits(format: PinBlockFormat, pin: Uint8Array, options: PinBlockOptions,
    crypto?: CryptoProvider): Uint8Array {
  checkFormat(format);
  const digits = pinDigits(pin);
  try {
    switch (format) {
      case 0: {
        // 9.3.2: PIN field (fill F) xor PAN field.
        const pan = panField8(panDigits(options.pan, 0));
        const block = pinField(0, digits, () => 0xf, 8);
        xorInto(block, pan);
        return block;
      }
      case 1: {
        // 9.3.3: fill with random (transaction field) nibbles 0-F; no PAN.
        const fill = randomNibbles(options.random, 14 - digits.length, 0);
        const block = pinField(1, digits, (i) => fill[i - 2 - digits.length], 8);
        fill.fill(0);
        return block;
      }
      case 2:
        // 9.3.4: fill F; no PAN (ICC offline PIN).
        return pinField(2, digits, () => 0xf, 8);
      case 3: {
        // 9.3.5: random fill nibbles A-F, xor PAN field.
        const pan = panField8(panDigits(options.pan, 3));
        const fill = randomNibbles(options.random, 14 - digits.length, 0xa);
        const block = pinField(3, digits, (i) => fill[i - 2 - digits.length], 8);
        fill.fill(0);
        xorInto(block, pan);
        return block;
      }
      case 4: {
        // 9.4.2.2.2: first 8 bytes 4 N PIN, fill A; last 8 bytes random.
        const { key, c } = aesKey(options.key, crypto);
        const pan = panField16(panDigits(options.pan, 4));
        const field = pinField(4, digits, () => 0xa, 16);
        const fill = randomNibbles(options.random, 16, 0);
        for (let i = 0; i < 16; i++) setNibble(field, 16 + i, fill[i]);
        fill.fill(0);
        const a = c.aesEcbEncrypt(key, field);
        field.fill(0);
        xorInto(a, pan);
        const block = c.aesEcbEncrypt(key, a);
        a.fill(0);
        return block;
      }
    }
  } finally {
    digits.fill(0);
  }
}

/**
 * Decodes a block to the PIN as ASCII digit bytes (the caller zeroizes them), checking every rule of
 * its format: control field, PIN length 4-12, digits, fill (F for 0 and 2, A-F for 3, A for 4).
 */
export function decodePinBlockDigits(format: PinBlockFormat, block: Uint8Array, options: { pan?: string; key?: Uint8Array },
    crypto?: CryptoProvider): Uint8Array {
  checkFormat(format);
  const size = format === 4 ? 16 : 8;
  if (!(block instanceof Uint8Array) || block.length !== size) {
    throw new PinBlockError("pin-block", `pin block: a format ${format} block is ${size} bytes`);
  }
  let field: Uint8Array;
  if (format === 0 || format === 3) {
    field = block.slice();
    xorInto(field, panField8(panDigits(options.pan, format)));
  } else if (format === 4) {
    // 9.4.2.4: B = D(K, C); A = B xor PAN field; PIN field = D(K, A).
    const { key, c } = aesKey(options.key, crypto);
    const pan = panField16(panDigits(options.pan, 4));
    const b = c.aesEcbDecrypt(key, block);
    xorInto(b, pan);
    field = c.aesEcbDecrypt(key, b);
    b.fill(0);
  } else {
    field = block.slice();
  }
  try {
    if (nibble(field, 0) !== format) {
      throw new PinBlockError("pin-block", `pin block: control field is not ${format} (wrong format, PAN or key)`);
    }
    const n = nibble(field, 1);
    if (n < PIN_MIN_DIGITS || n > PIN_MAX_DIGITS) {
      throw new PinBlockError("pin-block", "pin block: the PIN length field is outside 4-12");
    }
    const pin = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const d = nibble(field, 2 + i);
      if (d > 9) {
        pin.fill(0);
        throw new PinBlockError("pin-block", "pin block: a PIN digit is not 0-9");
      }
      pin[i] = 0x30 + d;
    }
    for (let i = 2 + n; i < 16; i++) {
      const f = nibble(field, i);
      const ok = format === 1 || (format === 3 ? f >= 0xa : f === (format === 4 ? 0xa : 0xf));
      if (!ok) {
        pin.fill(0);
        throw new PinBlockError("pin-block", `pin block: the fill of a format ${format} block is wrong`);
      }
    }
    return pin;
  } finally {
    field.fill(0);
  }
}

function asciiDigits(pin: string): Uint8Array {
  if (typeof pin !== "string") throw new PinBlockError("pin", "pin block: the PIN must be digits");
  const out = new Uint8Array(pin.length);
  for (let i = 0; i < pin.length; i++) out[i] = Math.min(pin.charCodeAt(i), 0xff);
  return out;
}

/** encodePinBlockDigits over a PIN string (host tools, CLI). */
export function encodePinBlock(format: PinBlockFormat, pin: string, options: PinBlockOptions, crypto?: CryptoProvider): Uint8Array {
  const digits = asciiDigits(pin);
  try {
    return encodePinBlockDigits(format, digits, options, crypto);
  } finally {
    digits.fill(0);
  }
}

/** decodePinBlockDigits returning the PIN as a string (host tools, CLI). */
export function decodePinBlock(format: PinBlockFormat, block: Uint8Array, options: { pan?: string; key?: Uint8Array },
    crypto?: CryptoProvider): string {
  const digits = decodePinBlockDigits(format, block, options, crypto);
  let s = "";
  for (let i = 0; i < digits.length; i++) s += String.fromCharCode(digits[i]);
  digits.fill(0);
  return s;
}
