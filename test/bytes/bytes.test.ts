import { concat, constantTimeEqual, fromHex, isHex, readUint, slice, toHex, view, writeUint, xor, zeroize } from "../../kernel/bytes";
import { BoundsError, InputError } from "../../kernel/errors";

describe("hex", () => {
  it("decodes upper and lower case and encodes uppercase", () => {
    expect(Array.from(fromHex("00ff7Fa0"))).toEqual([0x00, 0xff, 0x7f, 0xa0]);
    expect(toHex(new Uint8Array([0x00, 0xff, 0x7f, 0xa0]))).toBe("00FF7FA0");
    expect(fromHex("").length).toBe(0);
  });

  it("is strict: odd length is an error, not a silent truncation", () => {
    expect(() => fromHex("ABC")).toThrow(InputError);
    expect(() => fromHex("ABC")).toThrow(/odd length/);
  });

  it("is strict: non-hex characters, spaces and 0x prefixes are errors with their position", () => {
    for (const bad of ["0G", "0x12", "12 34", "1-", "ÿÿ", "\u00001"]) {
      expect(() => fromHex(bad)).toThrow(InputError);
    }
    expect(() => fromHex("12G4")).toThrow(/position 2/);
  });

  it("isHex accepts only non-empty even-length hex", () => {
    expect(isHex("0a0B")).toBe(true);
    expect(isHex("")).toBe(false);
    expect(isHex("abc")).toBe(false);
    expect(isHex("zz")).toBe(false);
  });
});

describe("byte helpers", () => {
  it("concat joins in order", () => {
    expect(toHex(concat(fromHex("01"), new Uint8Array(0), fromHex("0203")))).toBe("010203");
  });

  it("slice and view refuse ranges outside the buffer instead of clamping", () => {
    const b = fromHex("0102030405");
    expect(toHex(slice(b, 1, 3))).toBe("020304");
    expect(toHex(view(b, 4, 1))).toBe("05");
    expect(slice(b, 5, 0).length).toBe(0);
    for (const [o, l] of [[4, 2], [-1, 1], [0, 6], [1.5, 1], [0, -1]]) {
      expect(() => slice(b, o, l)).toThrow(BoundsError);
      expect(() => view(b, o, l)).toThrow(BoundsError);
    }
  });

  it("view shares memory, slice copies", () => {
    const b = fromHex("0102");
    view(b, 0, 1)[0] = 9;
    slice(b, 1, 1)[0] = 9;
    expect(toHex(b)).toBe("0902");
  });

  it("constantTimeEqual compares content and length", () => {
    expect(constantTimeEqual(fromHex("0102"), fromHex("0102"))).toBe(true);
    expect(constantTimeEqual(fromHex("0102"), fromHex("0103"))).toBe(false);
    expect(constantTimeEqual(fromHex("0102"), fromHex("01"))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it("zeroize overwrites every buffer in place", () => {
    const a = fromHex("FFFF");
    const b = fromHex("01");
    zeroize(a, b);
    expect(toHex(a) + toHex(b)).toBe("000000");
  });

  it("xor needs equal lengths", () => {
    expect(toHex(xor(fromHex("F0F0"), fromHex("FF00")))).toBe("0FF0");
    expect(() => xor(fromHex("F0"), fromHex("F0F0"))).toThrow(BoundsError);
  });

  it("readUint and writeUint are big-endian and range-checked", () => {
    expect(readUint(fromHex("010203"))).toBe(0x010203);
    expect(readUint(fromHex("FFFFFFFFFFFF"))).toBe(2 ** 48 - 1);
    expect(() => readUint(new Uint8Array(7))).toThrow(BoundsError);
    expect(toHex(writeUint(0x1234, 4))).toBe("00001234");
    expect(() => writeUint(256, 1)).toThrow(BoundsError);
    expect(() => writeUint(-1, 1)).toThrow(BoundsError);
    expect(() => writeUint(1.5, 1)).toThrow(BoundsError);
  });
});
