import type { CryptoProvider } from "../crypto";
import { DukptError, KeyError } from "./errors";

// TDES DUKPT, ANSI X9.24-1:2009 Annex A (also X9.24-3:2017 Annex C): the Initial PIN Encryption
// Key from the BDK, the non-reversible key generation process, the host-side transaction key of any
// KSN, and the key variants of table A-1 with the one-way step for data keys (figure A-2).
//
// KSN (A.1.2): a 59-bit Initial Key Serial Number || a 21-bit transaction counter, 10 bytes.

export const TDES_DUKPT_KSN_BYTES = 10;
export const TDES_DUKPT_COUNTER_BITS = 21;
/** A.2 "New Key": a usable counter has at most 10 one-bits. */
export const TDES_DUKPT_MAX_ONE_BITS = 10;

export type TdesDukptVariant = "pin" | "mac-request" | "mac-response" | "data-request" | "data-response";
export const TDES_DUKPT_VARIANTS: readonly TdesDukptVariant[] = ["pin", "mac-request", "mac-response", "data-request", "data-response"];

// X9.24-1:2009, A.4.1 table A-1 (X9.24-3:2017, C.5.2 table 5): the byte of each half that is
// xored with FF.
const VARIANT_BYTE: Record<TdesDukptVariant, number> = {
  "pin": 7,
  "mac-request": 6,
  "mac-response": 4,
  "data-request": 5,
  "data-response": 3,
};

/** A.2 and A.6: the key-register variant C0C0 C0C0 0000 0000 C0C0 C0C0 0000 0000. */
function xorC0(key: Uint8Array): Uint8Array {
  const out = key.slice();
  for (const i of [0, 1, 2, 3, 8, 9, 10, 11]) out[i] ^= 0xc0;
  return out;
}

function checkKey16(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== 16) {
    throw new KeyError("key-length", `${what}: a TDES DUKPT key is 16 bytes (double-length TDEA), not ${key instanceof Uint8Array ? key.length : "?"}`);
  }
}

/** The parts of a 10-byte TDES DUKPT KSN: the IKSN (counter bits cleared) and the 21-bit counter. */
export function parseTdesKsn(ksn: Uint8Array): { initialKsn: Uint8Array; counter: number } {
  if (!(ksn instanceof Uint8Array) || ksn.length !== TDES_DUKPT_KSN_BYTES) {
    throw new DukptError("dukpt-ksn", `dukpt-tdes: a KSN is ${TDES_DUKPT_KSN_BYTES} bytes (20 hex digits), not ${ksn instanceof Uint8Array ? ksn.length : "?"}`);
  }
  const counter = ((ksn[7] & 0x1f) << 16) | (ksn[8] << 8) | ksn[9];
  const initialKsn = ksn.slice();
  initialKsn[7] &= 0xe0;
  initialKsn[8] = 0;
  initialKsn[9] = 0;
  return { initialKsn, counter };
}

/** The KSN of `counter` under an Initial Key Serial Number. */
export function tdesKsn(initialKsn: Uint8Array, counter: number): Uint8Array {
  const ksn = initialKsn.slice();
  ksn[7] = (ksn[7] & 0xe0) | ((counter >>> 16) & 0x1f);
  ksn[8] = (counter >>> 8) & 0xff;
  ksn[9] = counter & 0xff;
  return ksn;
}

/**
 * X9.24-1:2009, A.6 "Derivation of the Initial Key": with the counter cleared, the leftmost 8
 * bytes of the KSN are TDES-encrypted under the BDK (left half of the IPEK) and under the BDK xor
 * C0C0C0C000000000C0C0C0C000000000 (right half).
 */
export function dukptTdesIpek(c: CryptoProvider, bdk: Uint8Array, ksn: Uint8Array): Uint8Array {
  checkKey16(bdk, "dukpt-tdes BDK");
  const { initialKsn } = parseTdesKsn(ksn);
  const block = initialKsn.subarray(0, 8);
  const variantBdk = xorC0(bdk);
  const left = c.tdesEcbEncrypt(bdk, block);
  const right = c.tdesEcbEncrypt(variantBdk, block);
  variantBdk.fill(0);
  const ipek = new Uint8Array(16);
  ipek.set(left, 0);
  ipek.set(right, 8);
  left.fill(0);
  right.fill(0);
  return ipek;
}

/**
 * X9.24-1:2009, A.2 "Non-reversible Key Generation Process", with Crypto Register-1 = the
 * rightmost 64 bits of the KSN register (`ksnRight`):
 *   CR2 = DES(KR_left, CR1 xor KR_right) xor KR_right;
 *   KR ^= C0C0C0C000000000C0C0C0C000000000;
 *   CR1 = DES(KR_left, CR1 xor KR_right) xor KR_right;
 * and the new key is CR1 || CR2.
 */
export function nonReversibleKey(c: CryptoProvider, key: Uint8Array, ksnRight: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  const half = (k: Uint8Array, offset: number): void => {
    const left = k.subarray(0, 8);
    const right = k.subarray(8, 16);
    const cr = new Uint8Array(8);
    for (let i = 0; i < 8; i++) cr[i] = ksnRight[i] ^ right[i];
    const enc = c.tdesEcbEncrypt(left, cr);
    for (let i = 0; i < 8; i++) out[offset + i] = enc[i] ^ right[i];
    cr.fill(0);
    enc.fill(0);
  };
  half(key, 8);
  const variant = xorC0(key);
  half(variant, 0);
  variant.fill(0);
  return out;
}

/** The 8 rightmost bytes of the KSN register holding `initialKsn` with `counter` set. */
export function ksnRegister(initialKsn: Uint8Array, counter: number): Uint8Array {
  return tdesKsn(initialKsn, counter).subarray(2, 10);
}

/** Number of one-bits of a counter. */
function oneBits(counter: number): number {
  let n = 0;
  for (let v = counter; v !== 0; v &= v - 1) n++;
  return n;
}

/** A.2: a device uses counters 1 to 1FF800 with at most 10 one-bits. */
export function checkTdesCounter(counter: number): void {
  if (counter === 0 || oneBits(counter) > TDES_DUKPT_MAX_ONE_BITS) {
    throw new DukptError("dukpt-counter", `dukpt-tdes: transaction counter ${counter} is not one a device uses (1 or more, at most 10 one-bits)`);
  }
}

/**
 * Host side, X9.24-1:2009 A.3 / A.6: the transaction key of `ksn` from the IPEK: for each counter
 * one-bit from the most significant, set it in the KSN register and run the non-reversible key
 * generation process on the key so far.
 */
export function tdesTransactionKey(c: CryptoProvider, ipek: Uint8Array, ksn: Uint8Array): Uint8Array {
  checkKey16(ipek, "dukpt-tdes IPEK");
  const { initialKsn, counter } = parseTdesKsn(ksn);
  checkTdesCounter(counter);
  let key: Uint8Array = ipek.slice();
  let working = 0;
  for (let bit = TDES_DUKPT_COUNTER_BITS - 1; bit >= 0; bit--) {
    if ((counter >>> bit) & 1) {
      working |= 1 << bit;
      const next = nonReversibleKey(c, key, ksnRegister(initialKsn, working));
      key.fill(0);
      key = next;
    }
  }
  return key;
}

/**
 * X9.24-1:2009, A.4.1: a working key from a transaction key. Table A-1: xor the variant constant
 * into both halves; figure A-2: for the data variants, each half of the variant key is then
 * TDES-encrypted under the whole variant key (the one-way step).
 */
export function tdesVariantKey(c: CryptoProvider, transactionKey: Uint8Array, variant: TdesDukptVariant): Uint8Array {
  checkKey16(transactionKey, "dukpt-tdes transaction key");
  if (!Object.prototype.hasOwnProperty.call(VARIANT_BYTE, variant)) {
    throw new KeyError("key-type", `dukpt-tdes: unknown variant ${String(variant)}`);
  }
  const key = transactionKey.slice();
  key[VARIANT_BYTE[variant]] ^= 0xff;
  key[VARIANT_BYTE[variant] + 8] ^= 0xff;
  if (variant !== "data-request" && variant !== "data-response") return key;
  const out = c.tdesEcbEncrypt(key, key);
  key.fill(0);
  return out;
}

/** Host side: the `variant` key of `ksn` from the BDK (IPEK, transaction key, variant). */
export function dukptTdesHostKey(c: CryptoProvider, bdk: Uint8Array, ksn: Uint8Array, variant: TdesDukptVariant): Uint8Array {
  if (!Object.prototype.hasOwnProperty.call(VARIANT_BYTE, variant)) {
    throw new KeyError("key-type", `dukpt-tdes: unknown variant ${String(variant)}`);
  }
  const ipek = dukptTdesIpek(c, bdk, ksn);
  const transactionKey = tdesTransactionKey(c, ipek, ksn);
  ipek.fill(0);
  const key = tdesVariantKey(c, transactionKey, variant);
  transactionKey.fill(0);
  return key;
}
