// The RSA private operation of the simulator's test keys (PKCS #1 v2.2 / RFC 8017, 5.1.2 RSADP
// with the CRT representation, 3.2 second form): the certification authority signs issuer
// certificates, the issuer signs ICC certificates and static data, the ICC signs dynamic data and
// deciphers offline enciphered PINs (EMV Book 2, 5-7). BigInt, no Node built-ins, so the virtual
// cards run wherever the simulator does. Test keys only: no side-channel protection is attempted.

import { fromHex, toHex } from "../../kernel/bytes";
import { modPow } from "../../kernel/crypto";

export interface RsaPrivateKey {
  modulus: Uint8Array;
  exponent: Uint8Array;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qinv: bigint;
}

const big = (hex: string): bigint => BigInt("0x" + hex);

/** A key from the hex fields of host-sim/cards/keys/sim-keys.json. */
export function rsaPrivateKeyFromHex(k: {
  modulus: string; exponent: string; p: string; q: string; dp: string; dq: string; qinv: string;
}): RsaPrivateKey {
  return {
    modulus: fromHex(k.modulus), exponent: fromHex(k.exponent),
    p: big(k.p), q: big(k.q), dp: big(k.dp), dq: big(k.dq), qinv: big(k.qinv),
  };
}

/** m^d mod n by RFC 8017, 5.1.2 step 2.b; `input` as long as the modulus and less than it. */
export function rsaPrivate(key: RsaPrivateKey, input: Uint8Array): Uint8Array {
  const n = key.modulus.length;
  if (input.length !== n) throw new Error(`rsa private: input of ${input.length} bytes, modulus of ${n}`);
  const c = big(toHex(input));
  if (c >= big(toHex(key.modulus))) throw new Error("rsa private: input is not less than the modulus");
  const m1 = modPow(c % key.p, key.dp, key.p);
  const m2 = modPow(c % key.q, key.dq, key.q);
  let h = ((m1 - m2) * key.qinv) % key.p;
  if (h < BigInt(0)) h += key.p;
  const m = m2 + h * key.q;
  return fromHex(m.toString(16).padStart(n * 2, "0"));
}
