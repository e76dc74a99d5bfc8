import { fromHex, toHex } from "../../kernel/bytes";
import { buildDol, MAX_DOL_DATA_LENGTH, parseDol, TlvError } from "../../kernel/tlv";
import { loadVectors } from "../support/vectors";

interface DolVectors {
  dol: { dol: string; data: Record<string, string>; expect: string }[];
}

const vectors = loadVectors<DolVectors>("tlv-dol.json");

function lookupFrom(data: Record<string, string>): (tag: string) => Uint8Array | undefined {
  return (tag) => (Object.prototype.hasOwnProperty.call(data, tag) ? fromHex(data[tag]) : undefined);
}

function build(dolHex: string, data: Record<string, string>): string {
  return toHex(buildDol(fromHex(dolHex), lookupFrom(data)));
}

function dolError(dolHex: string): TlvError {
  try {
    parseDol(fromHex(dolHex));
  } catch (e) {
    expect(e).toBeInstanceOf(TlvError);
    return e as TlvError;
  }
  throw new Error(`expected DOL ${dolHex} to be refused`);
}

describe("DOL building, published vectors (tlv-dol.json, EMV Book 3 5.4)", () => {
  for (const v of vectors.dol) {
    it(`builds ${v.dol}`, () => {
      expect(build(v.dol, v.data)).toBe(v.expect);
    });
  }
});

describe("parseDol (EMV Book 3 5.4: BER-TLV tag + one-byte length)", () => {
  it("lists the entries in order", () => {
    expect(parseDol(fromHex(vectors.dol[0].dol))).toEqual([
      { tag: "9F02", length: 6 }, { tag: "9F03", length: 6 }, { tag: "9F1A", length: 2 }, { tag: "95", length: 5 },
      { tag: "5F2A", length: 2 }, { tag: "9A", length: 3 }, { tag: "9C", length: 1 }, { tag: "9F37", length: 4 },
    ]);
    expect(parseDol(new Uint8Array(0))).toEqual([]);
  });

  it("a length byte of 80 or more is a length, not a BER long form", () => {
    expect(parseDol(fromHex("9F1081"))).toEqual([{ tag: "9F10", length: 0x81 }]);
  });

  it(`a DOL asking for ${MAX_DOL_DATA_LENGTH} bytes is accepted, one more is a typed error`, () => {
    expect(parseDol(fromHex("DF01FCDF0200"))).toEqual([{ tag: "DF01", length: 252 }, { tag: "DF02", length: 0 }]);
    const e = dolError("DF01FC9C01");
    expect(e.code).toBe("dol-too-long");
    expect(e.message).toMatch(/more than 252 bytes/);
    expect(dolError("DF01FFDF02FF").code).toBe("dol-too-long");
  });

  it("a tag without its length byte, a truncated tag, a 5-byte tag and a 00 tag are typed errors", () => {
    expect(dolError("9F0206" + "9F03").code).toBe("dol-truncated");
    expect(dolError("9F").code).toBe("dol-truncated");
    expect(dolError("9F8182838401").code).toBe("tlv-tag-too-long");
    expect(dolError("0001").code).toBe("tlv-bad-tag");
  });
});

describe("buildDol format rules (EMV Book 3 5.4)", () => {
  it("n, too long: the leftmost bytes are truncated", () => {
    expect(build("9F0204", { "9F02": "000123456789" })).toBe("23456789");
  });

  it("n, too short: padded on the left with 00", () => {
    expect(build("9F0208", { "9F02": "000123456789" })).toBe("0000000123456789");
  });

  it("cn, too long: the rightmost bytes are truncated", () => {
    expect(build("5A04", { "5A": "4761739001010010" })).toBe("47617390");
  });

  it("cn, too short: padded on the right with FF", () => {
    expect(build("5A0A", { "5A": "4761739001010010" })).toBe("4761739001010010FFFF");
  });

  it("b, an, ans: truncated on the right, padded on the right with 00", () => {
    expect(build("9F3702", { "9F37": "DEADBEEF" })).toBe("DEAD");
    expect(build("9F3706", { "9F37": "DEADBEEF" })).toBe("DEADBEEF0000");
    expect(build("9F1C04", { "9F1C": "3132333435363738" })).toBe("31323334");
    expect(build("9F4E04", { "9F4E": "4142" })).toBe("41420000");
  });

  it("exact length: the value as it is", () => {
    expect(build("9A03", { "9A": "240217" })).toBe("240217");
  });

  it("absent data (unknown to the terminal or not provided): the length in zeros", () => {
    expect(build("9F0206DF7F039C01", { "9C": "09" })).toBe("000000000000" + "000000" + "09");
  });

  it("a constructed tag: zeros even if the terminal has a value for it", () => {
    expect(build("7004BF0C02", { "70": "9C0109", BF0C: "AAAA" })).toBe("00000000" + "0000");
  });

  it("a zero-length entry contributes nothing", () => {
    expect(build("9F37009C01", { "9F37": "DEADBEEF", "9C": "09" })).toBe("09");
  });

  it("a tag outside the dictionary that the terminal has a value for is treated as binary", () => {
    expect(build("DF7F03DF7E01", { DF7F: "0102", DF7E: "AABB" })).toBe("010200AA");
  });

  it("the result is a new buffer: changing it does not change the terminal's values", () => {
    const amount = fromHex("000000001000");
    const out = buildDol(fromHex("9F0206"), () => amount);
    out.fill(0);
    expect(toHex(amount)).toBe("000000001000");
  });

  it("a lookup that returns something other than bytes is a typed error", () => {
    expect(() => buildDol(fromHex("9C01"), () => "09" as unknown as Uint8Array)).toThrow(TlvError);
  });
});
