/** An RSA public key as EMV Book 2 carries it: modulus and exponent, both big-endian bytes. */
export interface RsaPublicKey {
  modulus: Uint8Array;
  exponent: Uint8Array;
}

/** EMV Book 2, 11.2: a public key exponent is 3 or 2^16 + 1. */
export function isEmvExponent(exponent: Uint8Array): boolean {
  const e = Array.from(exponent);
  while (e.length > 1 && e[0] === 0) e.shift();
  return (e.length === 1 && e[0] === 3) || (e.length === 3 && e[0] === 1 && e[1] === 0 && e[2] === 1);
}
