import { fromHex, toHex } from "../../kernel/bytes";
import { conventionOfRawTs, inverseConvention, inverseConventionByte } from "../../kernel/iso7816/convention";

describe("inverse convention (ISO/IEC 7816-3:2006, 8.1)", () => {
  it("TS of the inverse convention reads '03' on a direct UART and decodes to '3F'", () => {
    expect(inverseConventionByte(0x03)).toBe(0x3f);
    expect(inverseConventionByte(0x3f)).toBe(0x03);
    expect(conventionOfRawTs(0x03)).toBe("inverse");
    expect(conventionOfRawTs(0x3b)).toBe("direct");
    expect(conventionOfRawTs(0x3f)).toBeNull();
  });

  it("the mapping reverses the bits and complements them, and is its own inverse", () => {
    expect(inverseConventionByte(0x00)).toBe(0xff);
    expect(inverseConventionByte(0x80)).toBe(0xfe); // MSB first: 1000 0000 -> 0000 0001 -> complement
    for (let b = 0; b < 256; b++) expect(inverseConventionByte(inverseConventionByte(b))).toBe(b);
    // '65' = 0110 0101, reversed 1010 0110 = 'A6', complemented '59'
    expect(toHex(inverseConvention(fromHex("3F65")))).toBe("0359");
  });
});
