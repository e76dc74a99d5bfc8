import { fromHex, toHex } from "../../kernel/bytes";
import { CryptoInputError, iso9797Mac1, iso9797Pad, retailMac, softwareCrypto as c } from "../../kernel/crypto";
import { loadVectors } from "../support/vectors";

const h = fromHex;

// ANSI X9.9 / X9.19 sample text "Now is the time for all " and the same with "ABCD" appended.
const NOW = "4E6F77206973207468652074696D6520666F7220616C6C20";
const NOW_ABCD = NOW + "ABCD";
const K = "0123456789ABCDEF";
const K_PRIME = "FEDCBA9876543210";

describe("ISO/IEC 9797-1:2011 padding (6.3.2, 6.3.3)", () => {
  it("method 1 adds as few zero bytes as needed, none for whole blocks", () => {
    expect(toHex(iso9797Pad(h("0102"), 1, 8))).toBe("0102000000000000");
    expect(toHex(iso9797Pad(h("0102030405060708"), 1, 8))).toBe("0102030405060708");
  });

  it("method 1 pads the empty string to one block (a positive multiple of n)", () => {
    expect(toHex(iso9797Pad(new Uint8Array(0), 1, 8))).toBe("0000000000000000");
  });

  it("method 2 always appends 80, then zeros: a whole block gains a block", () => {
    expect(toHex(iso9797Pad(h("0102"), 2, 8))).toBe("0102800000000000");
    expect(toHex(iso9797Pad(h("0102030405060708"), 2, 8))).toBe("01020304050607088000000000000000");
    expect(toHex(iso9797Pad(new Uint8Array(0), 2, 8))).toBe("8000000000000000");
    expect(toHex(iso9797Pad(h("01"), 2, 16))).toBe("01800000000000000000000000000000");
  });

  it("refuses other methods and block sizes", () => {
    expect(() => iso9797Pad(h("01"), 3 as 1, 8)).toThrow(CryptoInputError);
    expect(() => iso9797Pad(h("01"), 1, 12)).toThrow(CryptoInputError);
  });
});

describe("ISO/IEC 9797-1 MAC algorithm 1 (CBC-MAC)", () => {
  it("ANSI X9.9 sample: DES CBC-MAC of the 24-byte text is 70A30640CC76DD8B", () => {
    expect(toHex(iso9797Mac1(c, h(K), h(NOW), 1))).toBe("70A30640CC76DD8B");
  });

  it("ANSI X9.9 sample: a partial last block is zero-padded (padding method 1), 36611DBB2D0AC1E6", () => {
    expect(toHex(iso9797Mac1(c, h(K), h(NOW_ABCD), 1))).toBe("36611DBB2D0AC1E6");
  });

  it("with a double-length key it is the last block of TDEA CBC under a zero IV", () => {
    const key = h(K + K_PRIME);
    const padded = iso9797Pad(h(NOW_ABCD), 2, 8);
    const chain = c.tdesCbcEncrypt(key, new Uint8Array(8), padded);
    expect(iso9797Mac1(c, key, h(NOW_ABCD), 2)).toEqual(chain.slice(chain.length - 8));
  });
});

describe("ISO/IEC 9797-1 MAC algorithm 3 (retail MAC)", () => {
  it("ANSI X9.19 sample: K || K' over the 24-byte text is A1C72E74EA3FA9B6", () => {
    expect(toHex(retailMac(c, h(K + K_PRIME), h(NOW), 1))).toBe("A1C72E74EA3FA9B6");
  });

  it("ANSI X9.19 sample: a partial last block, padding method 1, is 1C050879D95816B8", () => {
    expect(toHex(retailMac(c, h(K + K_PRIME), h(NOW_ABCD), 1))).toBe("1C050879D95816B8");
  });

  it("EMV Book 2 A1.2: the application cryptogram (padding method 2) of the published example", () => {
    for (const v of loadVectors("emv-crypto.json").applicationCryptograms) {
      expect(toHex(retailMac(c, h(v.sessionKey), h(v.data), 2))).toBe(v.cryptogram);
    }
  });

  it("EMV Book 2 A1.2.2: ARPC method 2 is the leftmost 4 bytes of the MAC over ARQC || CSU || data", () => {
    for (const v of loadVectors("emv-crypto.json").arpcMethod2) {
      const mac = retailMac(c, h(v.sessionKey), h(v.arqc + v.csu + v.proprietaryData), 2);
      expect(toHex(mac.slice(0, 4))).toBe(v.arpc);
    }
  });

  it("with K' = K it degenerates to MAC algorithm 1 under single DES", () => {
    expect(retailMac(c, h(K + K), h(NOW), 1)).toEqual(iso9797Mac1(c, h(K), h(NOW), 1));
  });

  it("refuses keys that are not 16 bytes, and unknown padding methods", () => {
    for (const n of [0, 8, 24]) {
      expect(() => retailMac(c, new Uint8Array(n), h(NOW), 1)).toThrow(expect.objectContaining({ code: "crypto-key" }));
    }
    expect(() => retailMac(c, h(K + K_PRIME), h(NOW), 3 as 2)).toThrow(CryptoInputError);
    expect(() => iso9797Mac1(c, new Uint8Array(12), h(NOW), 1)).toThrow(CryptoInputError);
  });
});
