import type { CryptoProvider } from "../crypto";
import { DukptError, KeyError } from "./errors";

// AES DUKPT, ANSI X9.24-3:2017: the key derivation function, the derivation data, the Initial Key
// and the host-side derivation of any working key from a BDK and a KSN. The device side (the 32
// intermediate derivation key registers) is in dukpt-aes-device.ts over the same functions.
//
// KSN (X9.24-3:2017, 6.1 and 6.5.2): Initial Key ID (8 bytes: BDK ID 4 || derivation ID 4) || 32-bit
// transaction counter, 12 bytes, big-endian.

export const AES_DUKPT_KSN_BYTES = 12;
export const AES_DUKPT_IKID_BYTES = 8;
/** X9.24-3:2017, 6.1: a transaction counter has at most 16 one-bits. */
export const AES_DUKPT_MAX_ONE_BITS = 16;
/** The largest counter with at most 16 one-bits (X9.24-3:2017, 6.5.2); past it the key is exhausted. */
export const AES_DUKPT_MAX_COUNTER = 0xffff0000;
/** X9.24-3:2017, 6.5.3 "Calculate DUKPT Update Key": the counter reserved for the update key. */
export const AES_DUKPT_UPDATE_COUNTER = 0xffffffff;

/** Working key usages (X9.24-3:2017, 6.3.2, table 2: key usage indicator). */
export type AesDukptKeyUsage =
  | "kek" | "pin" | "mac-gen" | "mac-verify" | "mac-both"
  | "data-encrypt" | "data-decrypt" | "data-both" | "derivation";

/** Key types a working key can have (X9.24-3:2017, 6.2.1; lengths 6.2.2). */
export type DukptKeyType = "2tdea" | "3tdea" | "aes128" | "aes192" | "aes256";
/** Only AES keys derive (X9.24-3:2017, 6.3.1): the BDK, the Initial Key, intermediate keys. */
export type AesDerivationKeyType = "aes128" | "aes192" | "aes256";

export const AES_DUKPT_USAGES: readonly AesDukptKeyUsage[] = [
  "pin", "mac-gen", "mac-verify", "mac-both", "data-encrypt", "data-decrypt", "data-both", "kek", "derivation",
];
export const DUKPT_KEY_TYPES: readonly DukptKeyType[] = ["aes128", "aes192", "aes256", "2tdea", "3tdea"];

// X9.24-3:2017, 6.3.2, table 2: key usage indicators.
const USAGE_CODE: Record<AesDukptKeyUsage, number> = {
  "kek": 0x0002,
  "pin": 0x1000,
  "mac-gen": 0x2000,
  "mac-verify": 0x2001,
  "mac-both": 0x2002,
  "data-encrypt": 0x3000,
  "data-decrypt": 0x3001,
  "data-both": 0x3002,
  "derivation": 0x8000,
};
const USAGE_INITIAL_KEY = 0x8001;
const USAGE_DERIVATION = 0x8000;

// X9.24-3:2017, 6.3.2, table 2: algorithm indicator and length in bits. `strength` (bits of
// security, SP 800-57 Part 1, 5.6.1) orders the types for the rule of 6.1.3.
const KEY_TYPE: Record<DukptKeyType, { algorithm: number; bits: number; strength: number }> = {
  "2tdea": { algorithm: 0x0000, bits: 128, strength: 80 },
  "3tdea": { algorithm: 0x0001, bits: 192, strength: 112 },
  "aes128": { algorithm: 0x0002, bits: 128, strength: 128 },
  "aes192": { algorithm: 0x0003, bits: 192, strength: 192 },
  "aes256": { algorithm: 0x0004, bits: 256, strength: 256 },
};

/** Length in bytes of a key of `type`. */
export function dukptKeyBytes(type: DukptKeyType): number {
  return KEY_TYPE[type].bits / 8;
}

/** The derivation key type of an AES key, from its length (X9.24-3:2017, 6.3.1). */
export function aesDerivationKeyType(key: Uint8Array, what: string): AesDerivationKeyType {
  if (!(key instanceof Uint8Array)) throw new KeyError("key-length", `${what}: expected key bytes`);
  switch (key.length) {
    case 16: return "aes128";
    case 24: return "aes192";
    case 32: return "aes256";
    default: throw new KeyError("key-length", `${what}: an AES DUKPT key is 16, 24 or 32 bytes, not ${key.length}`);
  }
}

/**
 * X9.24-3:2017, 6.1.3: a working key is never stronger than the key it is derived from. Throws
 * KeyError("key-type") otherwise.
 */
export function checkWorkingKeyType(derivation: AesDerivationKeyType, working: DukptKeyType): void {
  if (!Object.prototype.hasOwnProperty.call(KEY_TYPE, working)) {
    throw new KeyError("key-type", `dukpt-aes: unknown key type ${String(working)}`);
  }
  if (KEY_TYPE[working].strength > KEY_TYPE[derivation].strength) {
    throw new KeyError("key-type", `dukpt-aes: a ${working} working key is stronger than its ${derivation} derivation key`);
  }
}

function usageCode(usage: AesDukptKeyUsage): number {
  if (!Object.prototype.hasOwnProperty.call(USAGE_CODE, usage)) {
    throw new KeyError("key-type", `dukpt-aes: unknown key usage ${String(usage)}`);
  }
  return USAGE_CODE[usage];
}

/**
 * X9.24-3:2017, 6.3.2 tables 2 and 3 and 6.3.3 "Create Derivation Data": version 01, key block
 * counter 01, key usage, algorithm, length in bits, then either the whole Initial Key ID (for the
 * Initial Key) or the derivation ID (rightmost 4 bytes of the IKID) || transaction counter.
 */
export function derivationData(usage: number, type: DukptKeyType, initialKeyId: Uint8Array, counter: number): Uint8Array {
  const t = KEY_TYPE[type];
  const d = new Uint8Array(16);
  d[0] = 0x01;
  d[1] = 0x01;
  d[2] = usage >>> 8;
  d[3] = usage & 0xff;
  d[4] = t.algorithm >>> 8;
  d[5] = t.algorithm & 0xff;
  d[6] = t.bits >>> 8;
  d[7] = t.bits & 0xff;
  if (usage === USAGE_INITIAL_KEY) {
    d.set(initialKeyId, 8);
  } else {
    d.set(initialKeyId.subarray(4, 8), 8);
    d[12] = counter >>> 24;
    d[13] = (counter >>> 16) & 0xff;
    d[14] = (counter >>> 8) & 0xff;
    d[15] = counter & 0xff;
  }
  return d;
}

/**
 * X9.24-3:2017, 6.3.1 "Derive Key": AES-ECB of the derivation data under the derivation key, one
 * block per 128 bits of output with the key block counter (byte 1) counting 1, 2; the result is
 * the leftmost `bits` bits.
 */
export function deriveKey(c: CryptoProvider, derivationKey: Uint8Array, type: DukptKeyType, data: Uint8Array): Uint8Array {
  const length = KEY_TYPE[type].bits / 8;
  const blocks = Math.ceil(length / 16);
  const out = new Uint8Array(length);
  for (let i = 0; i < blocks; i++) {
    data[1] = i + 1;
    const block = c.aesEcbEncrypt(derivationKey, data);
    out.set(block.subarray(0, Math.min(16, length - 16 * i)), 16 * i);
    block.fill(0);
  }
  data.fill(0);
  return out;
}

/** X9.24-3:2017, 6.3.3 "Derive Initial Key": the Initial Key of a device from the BDK and its IKID. */
export function dukptAesInitialKey(c: CryptoProvider, bdk: Uint8Array, initialKeyId: Uint8Array): Uint8Array {
  const type = aesDerivationKeyType(bdk, "dukpt-aes BDK");
  checkIkid(initialKeyId);
  return deriveKey(c, bdk, type, derivationData(USAGE_INITIAL_KEY, type, initialKeyId, 0));
}

/** The derivation step from the key of a counter to the key of `counter` (one more bit set). */
export function deriveIntermediateKey(c: CryptoProvider, key: Uint8Array, type: AesDerivationKeyType,
    initialKeyId: Uint8Array, counter: number): Uint8Array {
  return deriveKey(c, key, type, derivationData(USAGE_DERIVATION, type, initialKeyId, counter));
}

/** A working key of `usage` and `keyType` for `counter`, from the intermediate key of that counter. */
export function deriveWorkingKey(c: CryptoProvider, intermediateKey: Uint8Array, initialKeyId: Uint8Array,
    counter: number, usage: AesDukptKeyUsage, keyType: DukptKeyType): Uint8Array {
  checkWorkingKeyType(aesDerivationKeyType(intermediateKey, "dukpt-aes derivation key"), keyType);
  return deriveKey(c, intermediateKey, keyType, derivationData(usageCode(usage), keyType, initialKeyId, counter));
}

/**
 * The intermediate derivation key of `counter` from the Initial Key (X9.24-3:2017, 6.1 and the
 * host algorithm): walk the counter's one-bits from the most significant, setting each in turn and
 * deriving the next key (usage 8000) from the previous one.
 */
export function intermediateKeyFor(c: CryptoProvider, initialKey: Uint8Array, initialKeyId: Uint8Array, counter: number): Uint8Array {
  const type = aesDerivationKeyType(initialKey, "dukpt-aes Initial Key");
  let key: Uint8Array = initialKey.slice();
  let working = 0;
  for (let bit = 31; bit >= 0; bit--) {
    if (((counter >>> bit) & 1) === 1) {
      working = (working | (1 << bit)) >>> 0;
      const next = deriveIntermediateKey(c, key, type, initialKeyId, working);
      key.fill(0);
      key = next;
    }
  }
  return key;
}

/** The parts of a 12-byte AES DUKPT KSN. */
export function parseAesKsn(ksn: Uint8Array): { initialKeyId: Uint8Array; counter: number } {
  if (!(ksn instanceof Uint8Array) || ksn.length !== AES_DUKPT_KSN_BYTES) {
    throw new DukptError("dukpt-ksn", `dukpt-aes: a KSN is ${AES_DUKPT_KSN_BYTES} bytes (24 hex digits), not ${ksn instanceof Uint8Array ? ksn.length : "?"}`);
  }
  const counter = ((ksn[8] << 24) >>> 0) + (ksn[9] << 16) + (ksn[10] << 8) + ksn[11];
  return { initialKeyId: ksn.slice(0, 8), counter };
}

/** Initial Key ID || counter. */
export function aesKsn(initialKeyId: Uint8Array, counter: number): Uint8Array {
  const ksn = new Uint8Array(AES_DUKPT_KSN_BYTES);
  ksn.set(initialKeyId, 0);
  ksn[8] = counter >>> 24;
  ksn[9] = (counter >>> 16) & 0xff;
  ksn[10] = (counter >>> 8) & 0xff;
  ksn[11] = counter & 0xff;
  return ksn;
}

/** Number of one-bits of a 32-bit counter. */
export function oneBits(counter: number): number {
  let n = 0;
  for (let v = counter >>> 0; v !== 0; v = (v & (v - 1)) >>> 0) n++;
  return n;
}

/**
 * X9.24-3:2017, 6.1: a counter a device can use is 1 to FFFF0000 with at most 16 one-bits.
 * Throws DukptError("dukpt-counter") otherwise.
 */
export function checkAesCounter(counter: number): void {
  if (counter === 0 || oneBits(counter) > AES_DUKPT_MAX_ONE_BITS) {
    throw new DukptError("dukpt-counter", `dukpt-aes: transaction counter ${counter} is not one a device uses (1 or more, at most 16 one-bits)`);
  }
}

function checkIkid(initialKeyId: Uint8Array): void {
  if (!(initialKeyId instanceof Uint8Array) || initialKeyId.length !== AES_DUKPT_IKID_BYTES) {
    throw new DukptError("dukpt-ksn", `dukpt-aes: an Initial Key ID is ${AES_DUKPT_IKID_BYTES} bytes (16 hex digits)`);
  }
}

/**
 * Host side (the HSM that holds the BDK): the working key of `usage` and `keyType` for the
 * transaction named by `ksn` (X9.24-3:2017, 6.1 and 6.3): Initial Key from BDK and IKID, the
 * intermediate key of the counter, then the working key.
 */
export function dukptAesHostKey(c: CryptoProvider, bdk: Uint8Array, ksn: Uint8Array,
    usage: AesDukptKeyUsage, keyType: DukptKeyType): Uint8Array {
  const type = aesDerivationKeyType(bdk, "dukpt-aes BDK");
  checkWorkingKeyType(type, keyType);
  usageCode(usage);
  const { initialKeyId, counter } = parseAesKsn(ksn);
  checkAesCounter(counter);
  const ik = dukptAesInitialKey(c, bdk, initialKeyId);
  const intermediate = intermediateKeyFor(c, ik, initialKeyId, counter);
  ik.fill(0);
  const key = deriveWorkingKey(c, intermediate, initialKeyId, counter, usage, keyType);
  intermediate.fill(0);
  return key;
}

/**
 * X9.24-3:2017, 6.5.3 "Calculate DUKPT Update Key": the KEK-usage key of the reserved counter
 * FFFFFFFF, from the Initial Key. The device computes it when its Initial Key is loaded; a host
 * uses it to send the device a new Initial Key.
 */
export function dukptAesUpdateKey(c: CryptoProvider, initialKey: Uint8Array, initialKeyId: Uint8Array, keyType: DukptKeyType): Uint8Array {
  checkIkid(initialKeyId);
  const type = aesDerivationKeyType(initialKey, "dukpt-aes Initial Key");
  checkWorkingKeyType(type, keyType);
  const intermediate = intermediateKeyFor(c, initialKey, initialKeyId, AES_DUKPT_UPDATE_COUNTER);
  const key = deriveKey(c, intermediate, keyType, derivationData(USAGE_CODE.kek, keyType, initialKeyId, AES_DUKPT_UPDATE_COUNTER));
  intermediate.fill(0);
  return key;
}
