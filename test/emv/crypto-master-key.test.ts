import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { deriveIccMasterKey, EmvCryptoError } from "../../kernel/emv/crypto";

// EMV Book 2, A1.4 prints no numeric example. These are the published examples of an independent
// implementation (pyemv, knovichikhin/pyemv, pyemv/kd.py docstrings), checked against the
// algorithm text of A1.4.1 and A1.4.2; this project never produced them.
const IMK = "0123456789ABCDEFFEDCBA9876543210";

describe("EMV Book 2, A1.4: ICC master key derivation", () => {
  it("option A: Y = rightmost 16 digits of PAN || PSN; MK = DES3(IMK)[Y] || DES3(IMK)[Y xor FF..FF]", () => {
    expect(toHex(deriveIccMasterKey(c, fromHex(IMK), "12345678901234567", "01", "A"))).toBe("73AD54688CEF2934B0979857E3C719F1");
    expect(toHex(deriveIccMasterKey(c, fromHex(IMK), "99012345678901234", "45", "A"))).toBe("67F8292358083E5EA7AB7FDA58D53B6B");
  });

  it("option B: a PAN over 16 digits goes through SHA-1 and decimalization", () => {
    expect(toHex(deriveIccMasterKey(c, fromHex(IMK), "12345678901234567", "01", "B"))).toBe("AD406D7F6D7570916D75E5DCAB8CF737");
  });

  it("option B is option A for a PAN of 16 digits or fewer (A1.4.2)", () => {
    const a = deriveIccMasterKey(c, fromHex(IMK), "4761739001010119", "01", "A");
    const b = deriveIccMasterKey(c, fromHex(IMK), "4761739001010119", "01", "B");
    expect(toHex(b)).toBe(toHex(a));
  });

  it("option A left-pads PAN || PSN to 16 digits with zeros", () => {
    // 12-digit PAN || PSN is 14 digits: Y = '00' || PAN || PSN, the same Y as for the PAN '00' || PAN
    const short = deriveIccMasterKey(c, fromHex(IMK), "123456789012", "01", "A");
    const padded = deriveIccMasterKey(c, fromHex(IMK), "00123456789012", "01", "A");
    expect(toHex(short)).toBe(toHex(padded));
  });

  it("refuses a PAN that is not 12 to 19 digits, a PSN that is not 2 digits, an unknown option", () => {
    expect(() => deriveIccMasterKey(c, fromHex(IMK), "41111111111", "00")).toThrow(EmvCryptoError);
    expect(() => deriveIccMasterKey(c, fromHex(IMK), "4111111111111111", "0")).toThrow(/sequence/);
    expect(() => deriveIccMasterKey(c, fromHex(IMK), "4111111111111111", "00", "C" as "A")).toThrow(/option/);
    expect(() => deriveIccMasterKey(c, fromHex(IMK), "4111x11111111111", "00")).toThrow(/digits/);
  });
});
