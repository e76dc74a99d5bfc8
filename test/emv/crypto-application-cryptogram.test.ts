import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { applicationCryptogram, EmvCryptoError, RECOMMENDED_AC_DATA } from "../../kernel/emv/crypto";
import { loadVectors } from "../support/vectors";

const v = loadVectors("emv-crypto.json");

describe("EMV Book 2, 8.1 and A1.2: application cryptogram", () => {
  it.each(v.applicationCryptograms as any[])(
    "AC = ISO/IEC 9797-1 MAC algorithm 3, padding method 2, under SK_AC ($cryptogram)",
    (t) => {
      expect(toHex(applicationCryptogram(c, fromHex(t.sessionKey), fromHex(t.data)))).toBe(t.cryptogram);
    },
  );

  it("the vector's input is the Table 25 minimum data set, in order (Book 2, 8.1.1)", () => {
    const data = fromHex(v.applicationCryptograms[0].data);
    const total = RECOMMENDED_AC_DATA.reduce((n, e) => n + e.length, 0);
    expect(data.length).toBe(total);
    expect(RECOMMENDED_AC_DATA.map((e) => e.tag)).toEqual(["9F02", "9F03", "9F1A", "95", "5F2A", "9A", "9C", "9F37", "82", "9F36"]);
  });

  it("one changed input bit changes the cryptogram", () => {
    const t = v.applicationCryptograms[0];
    const data = fromHex(t.data);
    data[data.length - 1] ^= 1;
    expect(toHex(applicationCryptogram(c, fromHex(t.sessionKey), data))).not.toBe(t.cryptogram);
  });

  it("refuses a session key that is not double length", () => {
    expect(() => applicationCryptogram(c, new Uint8Array(24), new Uint8Array(8))).toThrow(EmvCryptoError);
  });
});
