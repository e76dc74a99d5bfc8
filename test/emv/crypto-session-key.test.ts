import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import {
  acDiversification, deriveAcSessionKey, deriveCommonSessionKey, deriveSecureMessagingSessionKey, EmvCryptoError,
  withOddParity,
} from "../../kernel/emv/crypto";
import { loadVectors } from "../support/vectors";

const v = loadVectors("emv-crypto.json");

describe("EMV Book 2, A1.3.1: common session key derivation", () => {
  it.each(v.sessionKeys as any[])("R = ATC || '00' x 6 for the AC session key (ATC $atc)", (k) => {
    expect(toHex(acDiversification(fromHex(k.atc)))).toBe(k.r);
  });

  it.each(v.sessionKeys as any[])("SK = DES3(MK)[R0 R1 'F0' R3..R7] || DES3(MK)[R0 R1 '0F' R3..R7] (ATC $atc)", (k) => {
    expect(toHex(deriveAcSessionKey(c, fromHex(k.mk), fromHex(k.atc)))).toBe(k.sessionKey);
    expect(toHex(deriveCommonSessionKey(c, fromHex(k.mk), fromHex(k.r)))).toBe(k.sessionKey);
  });

  it("secure messaging keys take the application cryptogram as R (Book 2, 9.2.3 / 9.3.3)", () => {
    const mk = fromHex("0123456789ABCDEFFEDCBA9876543210");
    const ac = fromHex("001C000000000000");
    expect(toHex(deriveSecureMessagingSessionKey(c, mk, ac))).toBe(v.sessionKeys[0].sessionKey);
  });

  it("derived keys carry odd parity on every byte (FIPS 46-3 parity bits)", () => {
    const sk = deriveAcSessionKey(c, fromHex("0123456789ABCDEFFEDCBA9876543210"), fromHex("0001"));
    for (const b of sk) {
      let ones = 0;
      for (let x = b; x; x >>= 1) ones += x & 1;
      expect(ones % 2).toBe(1);
    }
    expect(toHex(withOddParity(fromHex("E8FA394BF807B841")))).toBe("E9FB384AF807B940");
  });

  it("refuses a master key that is not double length, an ATC that is not 2 bytes, an R that is not 8", () => {
    expect(() => deriveAcSessionKey(c, new Uint8Array(8), fromHex("0001"))).toThrow(EmvCryptoError);
    expect(() => deriveAcSessionKey(c, new Uint8Array(16), fromHex("000001"))).toThrow(/ATC/);
    expect(() => deriveCommonSessionKey(c, new Uint8Array(16), new Uint8Array(7))).toThrow(/diversification/);
  });
});
