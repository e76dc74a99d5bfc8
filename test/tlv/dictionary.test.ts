import { parseTag, tagDictionary, tagInfo } from "../../kernel/tlv";

// The tags of EMV 4.4 Book 3, Annex A1 (and Book 1, Annex B), listed here from the specification
// independently of the dictionary's table.
const ANNEX_A_TAGS = [
  "42", "4F", "50", "57", "5A", "61", "6F", "70", "71", "72", "73", "77", "80", "81", "82", "83", "84", "86",
  "87", "88", "89", "8A", "8C", "8D", "8E", "8F", "90", "91", "92", "93", "94", "95", "97", "98", "99", "9A",
  "9B", "9C", "9D", "A5", "5F20", "5F24", "5F25", "5F28", "5F2A", "5F2D", "5F30", "5F34", "5F36", "5F50",
  "5F53", "5F54", "5F55", "5F56", "5F57", "9F01", "9F02", "9F03", "9F04", "9F05", "9F06", "9F07", "9F08",
  "9F09", "9F0A", "9F0B", "9F0C", "9F0D", "9F0E", "9F0F", "9F10", "9F11", "9F12", "9F13", "9F14", "9F15",
  "9F16", "9F17", "9F18", "9F1A", "9F1B", "9F1C", "9F1D", "9F1E", "9F1F", "9F20", "9F21", "9F22", "9F23",
  "9F24", "9F26", "9F27", "9F2D", "9F2E", "9F2F", "9F32", "9F33", "9F34", "9F35", "9F36", "9F37", "9F38",
  "9F39", "9F3A", "9F3B", "9F3C", "9F3D", "9F40", "9F41", "9F42", "9F43", "9F44", "9F45", "9F46", "9F47",
  "9F48", "9F49", "9F4A", "9F4B", "9F4C", "9F4D", "9F4E", "9F4F", "BF0C",
];

// Contactless: Entry Point (Books A, B), Visa C-3, Mastercard C-2.
const CONTACTLESS_TAGS = [
  "9F2A", "9F29", "9F66", "9F6C", "9F6E", "9F5D", "9F7C", "9F5A", "9F69", "9F6D", "9F6B", "9F53", "56",
  "9F60", "9F61", "9F62", "9F63", "9F64", "9F65", "9F67", "9F6A", "9F7E", "DF8115", "DF8129", "DF8116",
  "DF8117", "DF8118", "DF8119", "DF811B", "DF811F", "DF8120", "DF8121", "DF8122", "DF8123", "DF8124",
  "DF8125", "DF8126", "DF810C", "FF8105", "FF8106",
];

describe("EMV tag dictionary", () => {
  it("knows every data element with a tag in EMV Book 3 Annex A", () => {
    expect(ANNEX_A_TAGS.filter((t) => tagInfo(t) === undefined)).toEqual([]);
  });

  it("knows the common contactless data elements (Books A, B, C-2, C-3)", () => {
    expect(CONTACTLESS_TAGS.filter((t) => tagInfo(t) === undefined)).toEqual([]);
  });

  it("gives the Annex A name, format, length range and source", () => {
    expect(tagInfo("9F02")).toEqual({
      tag: "9F02", name: "Amount, Authorised (Numeric)", format: "n", minLength: 6, maxLength: 6, source: "terminal", constructed: false,
    });
    expect(tagInfo("5A")).toMatchObject({ format: "cn", maxLength: 10, source: "card" });
    expect(tagInfo("50")).toMatchObject({ name: "Application Label", format: "ans", minLength: 1, maxLength: 16 });
    expect(tagInfo("57")).toMatchObject({ format: "b", maxLength: 19 });
    expect(tagInfo("9F20")).toMatchObject({ format: "cn" });
    expect(tagInfo("5F20")).toMatchObject({ format: "ans", minLength: 2, maxLength: 26 });
    expect(tagInfo("91")).toMatchObject({ source: "issuer", minLength: 8, maxLength: 16 });
    expect(tagInfo("9A")).toMatchObject({ format: "n", minLength: 3, source: "terminal" });
    expect(tagInfo("9F66")).toMatchObject({ name: "Terminal Transaction Qualifiers (TTQ)", minLength: 4, source: "terminal" });
    expect(tagInfo("9F2A")).toMatchObject({ name: "Kernel Identifier", source: "card" });
  });

  it("marks templates as constructed, from b6 of the tag's first byte", () => {
    for (const t of ["61", "6F", "70", "71", "72", "73", "77", "A5", "BF0C", "FF8105"]) expect(tagInfo(t)!.constructed).toBe(true);
    for (const t of ["80", "9F02", "57", "DF8129"]) expect(tagInfo(t)!.constructed).toBe(false);
  });

  it("every entry is one well-formed tag, once, with minLength <= maxLength and a name", () => {
    const all = tagDictionary();
    expect(new Set(all.map((i) => i.tag)).size).toBe(all.length);
    for (const i of all) {
      expect(() => parseTag(i.tag)).not.toThrow();
      expect(i.tag).toBe(i.tag.toUpperCase());
      expect(i.name.length).toBeGreaterThan(0);
      expect(i.minLength).toBeLessThanOrEqual(i.maxLength);
      expect(i.constructed).toBe((parseInt(i.tag.slice(0, 2), 16) & 0x20) !== 0);
    }
  });

  it("looks tags up without regard to case, and knows nothing of unknown or malformed tags", () => {
    expect(tagInfo("9f1a")!.tag).toBe("9F1A");
    expect(tagInfo("DF7F")).toBeUndefined();
    expect(tagInfo("")).toBeUndefined();
    expect(tagInfo("constructor")).toBeUndefined();
    expect(tagInfo(undefined as unknown as string)).toBeUndefined();
  });

  it("entries are frozen: a caller cannot change the dictionary", () => {
    const info = tagInfo("9C")!;
    expect(Object.isFrozen(info)).toBe(true);
  });
});
