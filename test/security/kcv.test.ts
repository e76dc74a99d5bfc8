import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { keyCheckValue } from "../../kernel/security/kcv";

// Published KCVs: TR-31:2018 Annex A and ANSI X9.143:2021 section 8 give the KCV of each wrapped key.
describe("key check values (ANSI X9.24-1:2017 Annex A)", () => {
  it("A.2 legacy: TDEA, leftmost 3 bytes of the encryption of zeros (TR-31:2018 A.7.2.2, A.7.3.1, A.7.3.2)", () => {
    expect(toHex(keyCheckValue(c, "tdes", fromHex("3F419E1CB7079442AA37474C2EFBF8B8")))).toBe("57C409");
    expect(toHex(keyCheckValue(c, "tdes", fromHex("EDB380DD340BC2620247D445F5B8D678")))).toBe("F4B08D");
    expect(toHex(keyCheckValue(c, "tdes", fromHex("E8BC63E5479455E26577F715D587FE68")))).toBe("9A4212");
  });

  it("A.3 CMAC-based: AES, leftmost 5 bytes of the CMAC of zeros (X9.143:2021 8.1)", () => {
    expect(toHex(keyCheckValue(c, "aes", fromHex("3F419E1CB7079442AA37474C2EFBF8B8")))).toBe("08793E25AB");
  });

  it("a key of the wrong length is a typed error", () => {
    expect(() => keyCheckValue(c, "aes", new Uint8Array(8))).toThrow(expect.objectContaining({ code: "key-length" }));
    expect(() => keyCheckValue(c, "tdes", new Uint8Array(32))).toThrow(expect.objectContaining({ code: "key-length" }));
  });
});
