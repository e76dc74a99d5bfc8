import { fromHex, toHex } from "../../kernel/bytes";
import { MposError } from "../../kernel/errors";
import { decodeTlv, findTag, MAX_NESTING_DEPTH, TlvError, type Tlv } from "../../kernel/tlv";
import { loadVectors } from "../support/vectors";

interface ExpectedTlv {
  tag: string;
  length: number;
  value?: string;
  children?: ExpectedTlv[];
}

interface TlvVectors {
  tlv: { hex: string; expect: ExpectedTlv[]; lenient?: boolean; note?: string }[];
}

const vectors = loadVectors<TlvVectors>("tlv-dol.json");

/** The decoded tree in the vector file's shape: primitive objects carry value, constructed children. */
function shape(nodes: Tlv[]): ExpectedTlv[] {
  return nodes.map((n) =>
    n.children !== undefined
      ? { tag: n.tag, length: n.length, children: shape(n.children) }
      : { tag: n.tag, length: n.length, value: toHex(n.value) });
}

function decodeError(hex: string, options?: { lenient?: boolean; ffPadding?: boolean }): TlvError {
  try {
    decodeTlv(fromHex(hex), options);
  } catch (e) {
    expect(e).toBeInstanceOf(TlvError);
    expect(e).toBeInstanceOf(MposError);
    return e as TlvError;
  }
  throw new Error(`expected ${hex} to be refused`);
}

describe("BER-TLV decoding, published vectors (tlv-dol.json, EMV Book 3 Annex B)", () => {
  for (const v of vectors.tlv) {
    it(`decodes ${v.hex}${v.lenient ? " (lenient)" : ""}`, () => {
      expect(shape(decodeTlv(fromHex(v.hex), { lenient: v.lenient === true }))).toEqual(v.expect);
    });
  }

  it("the lenient-only vector (length octet 80) is refused by the strict default as the indefinite form", () => {
    for (const v of vectors.tlv.filter((x) => x.lenient)) {
      expect(decodeError(v.hex).code).toBe("tlv-indefinite-length");
    }
  });
});

describe("BER-TLV decoding rules", () => {
  it("Annex B1: a tag whose first byte has b5-b1 = 11111 continues while b8 of the next byte is 1", () => {
    const nodes = decodeTlv(fromHex("5F2A0209789F02060000000010009F8201" + "0101" + "DF810C0102"));
    expect(nodes.map((n) => n.tag)).toEqual(["5F2A", "9F02", "9F8201", "DF810C"]);
    expect(toHex(nodes[2].value)).toBe("01");
  });

  it("Annex B1: a 4-byte tag is accepted, a 5-byte tag is a typed error", () => {
    expect(decodeTlv(fromHex("9F81820301AA"))[0].tag).toBe("9F818203");
    const e = decodeError("9F8182838401AA");
    expect(e.code).toBe("tlv-tag-too-long");
    expect(e.message).toMatch(/offset 0.*longer than 4 bytes/);
  });

  it("Annex B2: lengths in short form, and long form with 1 to 4 subsequent bytes", () => {
    const value = "AB".repeat(200);
    expect(decodeTlv(fromHex("C17F" + "00".repeat(127)))[0].length).toBe(127);
    expect(decodeTlv(fromHex("C181C8" + value))[0].length).toBe(200);
    expect(decodeTlv(fromHex("C18200C8" + value))[0].length).toBe(200);
    expect(decodeTlv(fromHex("C1830000C8" + value))[0].length).toBe(200);
    expect(decodeTlv(fromHex("C184000000C8" + value))[0].length).toBe(200);
  });

  it("Annex B2: a length field of more than 4 subsequent bytes is a typed error", () => {
    expect(decodeError("9C850000000001FF").code).toBe("tlv-length-too-long");
    expect(decodeError("9CFF").code).toBe("tlv-length-too-long");
  });

  it("ISO/IEC 8825-1 8.1.3.6: length octet 80 (indefinite form) is refused, also on a constructed tag", () => {
    expect(decodeError("9C80").message).toMatch(/9C at offset 0.*indefinite/);
    expect(decodeError("70809C01010000").code).toBe("tlv-indefinite-length");
  });

  it("lenient: length octet 80 reads as length 0, anywhere in the data", () => {
    const nodes = decodeTlv(fromHex("70059C809A0101"), { lenient: true });
    expect(shape(nodes)).toEqual([
      { tag: "70", length: 5, children: [{ tag: "9C", length: 0, value: "" }, { tag: "9A", length: 1, value: "01" }] },
    ]);
  });

  it("Annex B: 00 bytes before, between and after objects are skipped, also inside templates", () => {
    const nodes = decodeTlv(fromHex("0000" + "7007" + "00" + "9C0109" + "00" + "8200" + "00" + "00" + "9A0101" + "000000"));
    expect(shape(nodes)).toEqual([
      { tag: "70", length: 7, children: [{ tag: "9C", length: 1, value: "09" }, { tag: "82", length: 0, value: "" }] },
      { tag: "9A", length: 1, value: "01" },
    ]);
  });

  it("ISO/IEC 7816-4 5.2.2.1: FF bytes between objects are padding by default", () => {
    expect(shape(decodeTlv(fromHex("FFFF9C0109FF")))).toEqual([{ tag: "9C", length: 1, value: "09" }]);
  });

  it("ffPadding false: FF starts a tag (C-2 FF8105 Data Record) and only 00 is padding", () => {
    const nodes = decodeTlv(fromHex("FF8105049C01090000"), { ffPadding: false });
    expect(shape(nodes)).toEqual([{ tag: "FF8105", length: 4, children: [{ tag: "9C", length: 1, value: "09" }] }]);
  });

  it("padding only: no objects", () => {
    expect(decodeTlv(fromHex("0000FF00"))).toEqual([]);
    expect(decodeTlv(new Uint8Array(0))).toEqual([]);
  });

  it("ISO/IEC 8825-1 8.1.2.5: b6 of the first tag byte makes an object constructed, with children", () => {
    const [fci] = decodeTlv(fromHex("6F0E8407A0000000031010A5035001AA"));
    // A5 is constructed: its value 5001AA is one object 50 of length 1.
    expect(fci.children!.map((c) => c.tag)).toEqual(["84", "A5"]);
    expect(fci.children![1].children).toEqual([expect.objectContaining({ tag: "50", length: 1 })]);
    // 80 is primitive (context class, b6 = 0): its value is not parsed even if it looks like TLV.
    const [f1] = decodeTlv(fromHex("80069C01099A0101"));
    expect(f1.children).toBeUndefined();
  });

  it("a constructed object's value is the whole value field, and values are views of the input", () => {
    const input = fromHex("70039C0109");
    const [t] = decodeTlv(input);
    expect(toHex(t.value)).toBe("9C0109");
    expect(t.value.buffer).toBe(input.buffer);
    expect(t.children![0].value.byteOffset).toBe(4);
  });

  it("a value past the end of the data is a typed error naming tag, offset and lengths, not content", () => {
    const e = decodeError("9F020600001234");
    expect(e.code).toBe("tlv-value-past-end");
    expect(e.message).toBe("tlv: 9F02 at offset 0 says 6 bytes but 4 remain");
    // A child whose length passes the end of its template (not of the whole input).
    expect(decodeError("70035A0541111111111111").code).toBe("tlv-value-past-end");
    // A length of 2^32 - 1.
    expect(decodeError("9C84FFFFFFFF00").code).toBe("tlv-value-past-end");
  });

  it("truncated tag and length fields are typed errors", () => {
    expect(decodeError("9F").code).toBe("tlv-truncated");
    expect(decodeError("9F81").code).toBe("tlv-truncated");
    expect(decodeError("9C").message).toMatch(/9C at offset 0 has no length field/);
    expect(decodeError("9C82").code).toBe("tlv-truncated");
    expect(decodeError("9C8400").code).toBe("tlv-truncated");
    expect(decodeError("9C0109" + "5F").message).toMatch(/offset 3/);
  });

  it(`templates nested ${MAX_NESTING_DEPTH} deep decode; one level more is a typed error, not a stack overflow`, () => {
    const nest = (levels: number): string => {
      let hex = "9C0101";
      for (let i = 0; i < levels; i++) hex = "E1" + toHex(Uint8Array.of(hex.length / 2)) + hex;
      return hex;
    };
    let node = decodeTlv(fromHex(nest(MAX_NESTING_DEPTH - 1)))[0];
    for (let i = 0; i < MAX_NESTING_DEPTH - 1; i++) node = node.children![0];
    expect(node.tag).toBe("9C");
    expect(decodeError(nest(MAX_NESTING_DEPTH)).code).toBe("tlv-too-deep");
    // Thousands of levels (long-form lengths): still one typed error.
    let deep = new Uint8Array([0x9c, 0x01, 0x01]);
    for (let i = 0; i < 5000; i++) {
      const next = new Uint8Array(deep.length + 6);
      next.set([0xe1, 0x84, 0, 0, (deep.length >> 8) & 0xff, deep.length & 0xff]);
      next.set(deep, 6);
      deep = next;
    }
    expect(() => decodeTlv(deep)).toThrow(TlvError);
  });

  it("input that is not bytes is a typed error", () => {
    expect(() => decodeTlv("9C0101" as unknown as Uint8Array)).toThrow(TlvError);
    expect(() => decodeTlv(undefined as unknown as Uint8Array)).toThrow(TlvError);
  });

  it("error messages never contain the data (a PAN in a truncated record)", () => {
    const pan = "4761739001010010";
    const e = decodeError("70125A08" + pan + "5F2403");
    expect(e.message).not.toContain(pan);
    expect(e.message).not.toContain("4761");
  });
});

describe("findTag", () => {
  const nodes = decodeTlv(fromHex("6F1A840E325041592E5359532E4444463031A508BF0C0561034F0101" + "9F3901059F390107"));

  it("walks depth first: a template's objects before the next sibling, and is case-insensitive", () => {
    expect(toHex(findTag(nodes, "4f")!.value)).toBe("01");
    expect(findTag(nodes, "BF0C")!.children).toHaveLength(1);
    expect(toHex(findTag(nodes, "9F39")!.value)).toBe("05");
    expect(findTag(nodes, "9F02")).toBeUndefined();
  });
});
