// Session key derivation, EMV Book 2 Annex A1.3.1 (common session key derivation option):
//   SK = DES3(MK)[F1] || DES3(MK)[F2], with F1 = R0 R1 'F0' R3 ... R7 and F2 = R0 R1 '0F' R3 ... R7,
// where R is the 8-byte diversification value:
//   - for the application cryptogram key SK_AC: R = ATC || '00' x 6 (A1.3.1);
//   - for the secure messaging keys SK_SMI and SK_SMC: R = the application cryptogram the card
//     returned in the first GENERATE AC (Book 2, 9.2.3 and 9.3.3 refer to A1.3 with R = AC).

import { requireLength } from "./errors";
import { withOddParity } from "./des-key";
import type { CryptoProvider } from "../../crypto/provider";

/** The common session key for an 8-byte diversification value `r` (A1.3.1), odd parity set. */
export function deriveCommonSessionKey(c: CryptoProvider, mk: Uint8Array, r: Uint8Array): Uint8Array {
  requireLength(mk, [16], "session key: master key");
  requireLength(r, [8], "session key: diversification value R");
  const f = new Uint8Array(16);
  f.set(r, 0);
  f.set(r, 8);
  f[2] = 0xf0;
  f[10] = 0x0f;
  const z = c.tdesEcbEncrypt(mk, f);
  const sk = withOddParity(z);
  z.fill(0);
  return sk;
}

/** R = ATC || '00' x 6 for the application cryptogram session key (A1.3.1). */
export function acDiversification(atc: Uint8Array): Uint8Array {
  requireLength(atc, [2], "session key: ATC");
  const r = new Uint8Array(8);
  r.set(atc, 0);
  return r;
}

/** SK_AC for the transaction with this ATC (tag 9F36, 2 bytes). */
export function deriveAcSessionKey(c: CryptoProvider, mkAc: Uint8Array, atc: Uint8Array): Uint8Array {
  return deriveCommonSessionKey(c, mkAc, acDiversification(atc));
}

/** SK_SMI or SK_SMC, diversified by the application cryptogram of the first GENERATE AC. */
export function deriveSecureMessagingSessionKey(c: CryptoProvider, mkSm: Uint8Array, cryptogram: Uint8Array): Uint8Array {
  requireLength(cryptogram, [8], "session key: application cryptogram");
  return deriveCommonSessionKey(c, mkSm, cryptogram);
}
