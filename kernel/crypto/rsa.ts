// The RSA public operation (PKCS #1 v2.2 / RFC 8017, 5.2.2 RSAVP1: s^e mod n), as EMV Book 2
// uses it to recover certificates and signed data for SDA, DDA and CDA (sections 5 and 6): the
// recovery function of the digital signature scheme with message recovery (Annex A2.1) applied
// to data whose length equals the modulus length.
//
// Plain BigInt square-and-multiply: the exponent is public (EMV Book 2, Annex B2.1: 3 or
// 2^16 + 1), so the loop need not be constant-time. BigInt is ES2020 and implemented by XS.

import { toHex, fromHex } from "../bytes";
import { CryptoInputError } from "./errors";

/** Largest modulus accepted: 4096 bits (EMV Book 2, Annex B2.1 allows at most 1984). */
export const RSA_MAX_MODULUS_BYTES = 512;

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? BigInt(0) : BigInt("0x" + toHex(bytes));
}

/** Big-endian bytes of a value known to fit in `length` bytes. */
function toBytes(value: bigint, length: number): Uint8Array {
  return fromHex(value.toString(16).padStart(length * 2, "0"));
}

/** base^exponent mod modulus, left-to-right binary exponentiation (exponent >= 0, modulus > 1). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const bits = exponent.toString(2);
  const b = base % modulus;
  let result = BigInt(1);
  for (let i = 0; i < bits.length; i++) {
    result = (result * result) % modulus;
    if (bits.charCodeAt(i) === 0x31 /* "1" */) result = (result * b) % modulus;
  }
  return result;
}

/**
 * input^exponent mod modulus, left-padded to the modulus length. Checks: the modulus is odd with
 * a non-zero first byte; the exponent is non-zero and no longer than the modulus; the input has the
 * modulus length (EMV Book 2, 5 and 6: a certificate or signature of another length fails) and is
 * less than the modulus (RFC 8017, 5.2.2 step 1).
 */
export function rsaPublic(modulus: Uint8Array, exponent: Uint8Array, input: Uint8Array): Uint8Array {
  if (!(modulus instanceof Uint8Array) || !(exponent instanceof Uint8Array) || !(input instanceof Uint8Array)) {
    throw new CryptoInputError("crypto-rsa", "rsa: expected bytes");
  }
  const k = modulus.length;
  if (k === 0 || k > RSA_MAX_MODULUS_BYTES) {
    throw new CryptoInputError("crypto-rsa", `rsa: modulus of ${k} bytes, expected 1 to ${RSA_MAX_MODULUS_BYTES}`);
  }
  if (modulus[0] === 0) throw new CryptoInputError("crypto-rsa", "rsa: modulus has a leading zero byte");
  if ((modulus[k - 1] & 1) === 0 || (k === 1 && modulus[0] === 1)) {
    throw new CryptoInputError("crypto-rsa", "rsa: modulus is not an odd number above 1");
  }
  if (exponent.length === 0 || exponent.length > k) {
    throw new CryptoInputError("crypto-rsa", `rsa: exponent of ${exponent.length} bytes, expected 1 to ${k}`);
  }
  if (input.length !== k) {
    throw new CryptoInputError("crypto-rsa", `rsa: input of ${input.length} bytes, modulus of ${k}`);
  }
  const n = toBigInt(modulus);
  const e = toBigInt(exponent);
  const s = toBigInt(input);
  if (e === BigInt(0)) throw new CryptoInputError("crypto-rsa", "rsa: exponent is zero");
  // RFC 8017, 5.2.2 step 1: "If the signature representative s is not between 0 and n - 1,
  // output 'signature representative out of range'".
  if (s >= n) throw new CryptoInputError("crypto-rsa", "rsa: input is not less than the modulus");
  return toBytes(modPow(s, e, n), k);
}
