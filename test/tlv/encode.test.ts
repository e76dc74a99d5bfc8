import { fromHex, toHex } from "../../kernel/bytes";
import { decodeTlv, encodeLength, encodeTlv, isConstructedTag, normalizeTag, parseTag, TlvBuilder, TlvError } from "../../kernel/tlv";
import { loadVectors } from "../support/vectors";

const vectors = loadVectors<{ tlv: { hex: string }[] }>("tlv-dol.json");

describe("encodeLength (ISO/IEC 8825-1 8.1.3, shortest definite form; EMV Book 3 Annex B2)", () => {
  it.each([
    [0, "00"],
    [1, "01"],
    [127, "7F"],
    [128, "8180"],
    [255, "81FF"],
    [256, "820100"],
    [65535, "82FFFF"],
    [65536, "83010000"],
    [0xffffff, "83FFFFFF"],
    [0x1000000, "8401000000"],
    [0xffffffff, "84FFFFFFFF"],
  ])("%d -> %s", (n, hex) => {
    expect(toHex(encodeLength(n))).toBe(hex);
  });

  it("a negative, fractional, non-number or 2^32 length is a typed error", () => {
    for (const n of [-1, 1.5, NaN, Infinity, 0x100000000, "5" as unknown as number]) {
      expect(() => encodeLength(n)).toThrow(TlvError);
    }
  });
});

describe("encodeTlv", () => {
  it("Annex B: tag, shortest length, value", () => {
    expect(toHex(encodeTlv("9C", fromHex("FF")))).toBe("9C01FF");
    expect(toHex(encodeTlv("9f8201", fromHex("FF")))).toBe("9F820101FF");
    expect(toHex(encodeTlv("82", new Uint8Array(0)))).toBe("8200");
    const big = new Uint8Array(300).fill(0xab);
    expect(toHex(encodeTlv("9F10", big).subarray(0, 5))).toBe("9F1082012C");
  });

  it("re-encodes the published constructed vector byte for byte (tlv-dol.json tlv[0])", () => {
    const hex = vectors.tlv[0].hex;
    const [record] = decodeTlv(fromHex(hex));
    const b = new TlvBuilder().template(record.tag, (inner) => {
      for (const c of record.children!) inner.add(c.tag, c.value);
    });
    expect(toHex(b.toBytes())).toBe(hex);
  });

  it("the non-minimal length forms of the vectors (81 01, 84 00000001) decode to what encodeTlv writes minimally", () => {
    for (const hex of ["9C8101FF", "9C8400000001FF"]) {
      const [t] = decodeTlv(fromHex(hex));
      expect(toHex(encodeTlv(t.tag, t.value))).toBe("9C01FF");
    }
  });

  it("a value that is not bytes is a typed error", () => {
    expect(() => encodeTlv("9C", "01" as unknown as Uint8Array)).toThrow(TlvError);
  });
});

describe("textual tags (Annex B1)", () => {
  it("accepts one well-formed tag of 1 to 4 bytes in either case", () => {
    expect(toHex(parseTag("9c"))).toBe("9C");
    expect(toHex(parseTag("5F2A"))).toBe("5F2A");
    expect(toHex(parseTag("DF8101"))).toBe("DF8101");
    expect(toHex(parseTag("9F818203"))).toBe("9F818203");
    expect(normalizeTag("bf0c")).toBe("BF0C");
  });

  it.each([
    ["", "empty"],
    ["9", "odd length"],
    ["9G", "non-hex"],
    ["00", "00 is padding"],
    ["9F", "b5-b1 = 11111 without a subsequent byte"],
    ["9C01", "a one-byte tag followed by more bytes"],
    ["9F82", "last byte with b8 = 1"],
    ["9F0201", "a middle byte with b8 = 0"],
    ["9F81828304", "5 bytes"],
  ])("refuses %j (%s) with a typed error", (tag) => {
    expect(() => parseTag(tag)).toThrow(TlvError);
    expect(() => encodeTlv(tag, new Uint8Array(0))).toThrow(TlvError);
  });

  it("ISO/IEC 8825-1 8.1.2.5: constructed is b6 of the first byte", () => {
    expect(isConstructedTag("70")).toBe(true);
    expect(isConstructedTag("BF0C")).toBe(true);
    expect(isConstructedTag("FF8105")).toBe(true);
    expect(isConstructedTag("80")).toBe(false);
    expect(isConstructedTag("9F02")).toBe(false);
  });
});

describe("TlvBuilder", () => {
  it("builds nested templates (EMV Book B, PPSE FCI) that decode back to the same tree", () => {
    const bytes = new TlvBuilder()
      .template("6F", (fci) => fci
        .add("84", new TextEncoder().encode("2PAY.SYS.DDF01"))
        .template("A5", (a5) => a5.template("BF0C", (bf0c) => bf0c.template("61", (e) => e
          .add("4F", fromHex("A0000000031010"))
          .add("87", fromHex("01"))))))
      .toBytes();
    expect(toHex(bytes)).toBe("6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A00000000310108701" + "01");
  });

  it("refuses a primitive tag as a template, and raw bytes that are not TLV", () => {
    expect(() => new TlvBuilder().template("9C", () => undefined)).toThrow(TlvError);
    expect(() => new TlvBuilder().raw(fromHex("9F02"))).toThrow(TlvError);
    expect(toHex(new TlvBuilder().raw(fromHex("9C0101")).add("9A", fromHex("240217")).toBytes())).toBe("9C01019A03240217");
  });
});
