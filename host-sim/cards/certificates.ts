// What the simulator's test CA, issuers and ICCs sign, laid out as EMV Book 2 prints it. The
// virtual cards carry these; kernel/emv/oda verifies them.
//   Table 6  Issuer Public Key Certificate (signed by the CA)           format '02'
//   Table 7  Signed Static Application Data (signed by the issuer)     format '03'
//   Table 14 ICC Public Key Certificate (signed by the issuer)          format '04'
//   Table 17 Signed Dynamic Application Data (signed by the ICC)        format '05'
// Every signed block is '6A' || data || SHA-1 hash || 'BC', as long as the signer's modulus.

import { concat, fromHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { rsaPrivate, type RsaPrivateKey } from "./rsa-private";

const SHA1_BYTES = 20;
const PAD = 0xbb;

/** '6A' || data || hash(data || hashTail) || 'BC', signed with `signer`. */
function signBlock(signer: RsaPrivateKey, data: Uint8Array, hashTail: Uint8Array): Uint8Array {
  const n = signer.modulus.length;
  if (data.length !== n - 2 - SHA1_BYTES) throw new Error(`book 2 layout: ${data.length} data bytes for a ${n}-byte key`);
  const hash = softwareCrypto.sha1(concat(data, hashTail));
  return rsaPrivate(signer, concat(Uint8Array.of(0x6a), data, hash, Uint8Array.of(0xbc)));
}

/** `bytes` in a field of `room` bytes: the leftmost `room` bytes, or all of them padded with 'BB'. */
function padded(bytes: Uint8Array, room: number): Uint8Array {
  const out = new Uint8Array(room).fill(PAD);
  out.set(bytes.subarray(0, Math.min(room, bytes.length)));
  return out;
}

export interface SignedPublicKey {
  certificate: Uint8Array;
  /** The part of the modulus that did not fit (tag 92 or 9F48); empty when none. */
  remainder: Uint8Array;
  exponent: Uint8Array;
}

/**
 * The layout Tables 6 and 14 share: format, identifier, expiry MMYY, serial, hash and key algorithm
 * indicators ('01': SHA-1, RSA), key length, exponent length, then the key's leftmost digits in the
 * `room` left; the digits that do not fit are the remainder, hashed after the block with the
 * exponent and `hashedAfter`.
 */
function publicKeyCertificate(
  signer: RsaPrivateKey,
  key: { modulus: Uint8Array; exponent: Uint8Array },
  format: number,
  id: Uint8Array,
  expiry: string,
  serial: Uint8Array,
  room: number,
  hashedAfter: Uint8Array,
): SignedPublicKey {
  const n = key.modulus.length;
  const head = concat(Uint8Array.of(format), id, fromHex(expiry), serial, Uint8Array.of(0x01, 0x01, n, key.exponent.length));
  const remainder = key.modulus.slice(Math.min(room, n));
  const certificate = signBlock(signer, concat(head, padded(key.modulus, room)), concat(remainder, key.exponent, hashedAfter));
  return { certificate, remainder, exponent: key.exponent };
}

/**
 * Table 6: `issuerId` is the leading 3-8 PAN digits 'F'-padded to 4 bytes, `expiry` MMYY, `serial`
 * 3 bytes.
 */
export function issuerPublicKeyCertificate(
  ca: RsaPrivateKey,
  issuer: { modulus: Uint8Array; exponent: Uint8Array },
  issuerId: string,
  expiry: string,
  serial: Uint8Array,
): SignedPublicKey {
  return publicKeyCertificate(ca, issuer, 0x02, fromHex(issuerId.padEnd(8, "F")), expiry, serial, ca.modulus.length - 36, new Uint8Array(0));
}

/** Table 14: the PAN 'F'-padded to 10 bytes; the hash also covers the static data (Book 2, 6.4). */
export function iccPublicKeyCertificate(
  issuer: RsaPrivateKey,
  icc: { modulus: Uint8Array; exponent: Uint8Array },
  pan: string,
  expiry: string,
  serial: Uint8Array,
  staticData: Uint8Array,
): SignedPublicKey {
  return publicKeyCertificate(issuer, icc, 0x04, fromHex(pan.padEnd(20, "F")), expiry, serial, issuer.modulus.length - 42, staticData);
}

/** Table 7: Signed Static Application Data with the 2-byte Data Authentication Code. */
export function signedStaticApplicationData(issuer: RsaPrivateKey, dataAuthenticationCode: Uint8Array, staticData: Uint8Array): Uint8Array {
  const head = concat(Uint8Array.of(0x03, 0x01), dataAuthenticationCode);
  return signBlock(issuer, concat(head, padded(new Uint8Array(0), issuer.modulus.length - 26)), staticData);
}

/**
 * Table 17: Signed Dynamic Application Data over the ICC Dynamic Data and the terminal dynamic
 * data (the DDOL data for DDA, the Unpredictable Number for CDA).
 */
export function signedDynamicApplicationData(icc: RsaPrivateKey, iccDynamicData: Uint8Array, terminalDynamicData: Uint8Array): Uint8Array {
  const n = icc.modulus.length;
  if (iccDynamicData.length > n - 25) throw new Error("book 2 layout: ICC dynamic data too long");
  const head = concat(Uint8Array.of(0x05, 0x01, iccDynamicData.length), iccDynamicData);
  return signBlock(icc, concat(head, padded(new Uint8Array(0), n - 25 - iccDynamicData.length)), terminalDynamicData);
}
