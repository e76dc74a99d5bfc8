// Offline enciphered PIN, EMV Book 2, 7.1 and 7.2: the terminal enciphers the PIN block with the
// ICC PIN Encipherment Public Key, or the ICC Public Key when the card has no separate one (7.1),
// and sends it in VERIFY with P2 '88' (Book 3, 6.5.12). The data enciphered (7.2) is
//   '7F' | PIN block (8, the plaintext offline PIN block of Book 3, 6.5.12) |
//   ICC Unpredictable Number (8, from GET CHALLENGE) | random pad (NIC - 17 bytes)
// and the encipherment is the RSA public operation with the card's key.

import { concat } from "../../bytes";
import { randomBytes } from "../../crypto/random";
import type { CryptoProvider } from "../../crypto/provider";
import type { RandomSource } from "../../../hal/random";
import { OdaConfigError } from "./errors";
import type { RsaPublicKey } from "./rsa-key";

export const PIN_ENCIPHERMENT_HEADER = 0x7f;

/** The enciphered PIN data for VERIFY P2 '88'. */
export function encipherOfflinePin(
  c: CryptoProvider,
  key: RsaPublicKey,
  pinBlock: Uint8Array,
  iccChallenge: Uint8Array,
  random: RandomSource,
): Uint8Array {
  if (!(pinBlock instanceof Uint8Array) || pinBlock.length !== 8) throw new OdaConfigError("pin encipherment: PIN block must be 8 bytes");
  if (!(iccChallenge instanceof Uint8Array) || iccChallenge.length !== 8) {
    throw new OdaConfigError("pin encipherment: ICC unpredictable number must be 8 bytes");
  }
  const n = key.modulus.length;
  if (n < 17 + 8) throw new OdaConfigError("pin encipherment: key too short");
  const pad = randomBytes(random, n - 17);
  const data = concat(new Uint8Array([PIN_ENCIPHERMENT_HEADER]), pinBlock, iccChallenge, pad);
  try {
    return c.rsaPublic(key.modulus, key.exponent, data);
  } finally {
    data.fill(0);
    pad.fill(0);
  }
}
