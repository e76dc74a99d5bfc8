import { MagstripeError, parseTrack1, parseTrack2, parseTrack3 } from "../../kernel/magstripe";

// Track layouts of ISO/IEC 7813 (tracks 1 and 2) and ISO/IEC 4909 (track 3). The two track 1
// examples are the ones published with the standard's description (Wikipedia, "ISO/IEC 7813"):
// the second records neither expiry date nor service code, a field separator in the place of each.

describe("ISO/IEC 7813 track 1, format B", () => {
  it("published example 1: PAN, name with its padding, expiry, service code, discretionary data", () => {
    const t = parseTrack1("%B6011898748579348^DOE/ JOHN              ^37829821000123456789?");
    expect(t).toEqual({ track: 1, formatCode: "B", pan: "6011898748579348", name: "DOE/ JOHN              ",
      expiry: "3782", serviceCode: "982", discretionary: "1000123456789", luhn: false });
  });

  it("published example 2: a field separator in place of the expiry date and of the service code", () => {
    const t = parseTrack1("%B6011785948493759^DOE/JOHN L                ^^^0000000      00998000000?");
    expect(t.expiry).toBeNull();
    expect(t.serviceCode).toBeNull();
    expect(t.name).toBe("DOE/JOHN L                ");
    expect(t.discretionary).toBe("0000000      00998000000");
  });

  it("a valid PAN passes Luhn", () => {
    expect(parseTrack1("%B4111111111111111^DOE/JOHN^2812101?").luhn).toBe(true);
  });

  const bad: [string, string, RegExp][] = [
    ["format code other than B", "%A4111111111111111^DOE/JOHN^2812101?", /format code B/],
    ["a PAN of 20 digits", "%B41111111111111111111^DOE/JOHN^2812101?", /PAN/],
    ["a PAN of 11 digits", "%B41111111111^DOE/JOHN^2812101?", /PAN/],
    ["a letter in the PAN", "%B41111111111111X1^DOE/JOHN^2812101?", /PAN/],
    ["a one-character name", "%B4111111111111111^D^2812101?", /name/],
    ["a 27-character name", `%B4111111111111111^${"D".repeat(27)}^2812101?`, /name/],
    ["no separator after the name", "%B4111111111111111^DOE/JOHN2812101?", /name/],
    ["a short expiry date", "%B4111111111111111^DOE/JOHN^281?", /expiry/],
    ["a short service code", "%B4111111111111111^DOE/JOHN^281210?", /service code/],
    ["no end sentinel", "%B4111111111111111^DOE/JOHN^2812101", /sentinel/],
    ["lower case (outside the set)", "%B4111111111111111^doe/john^2812101?", /character set/],
    ["more than 79 characters", `%B4111111111111111^DOE/JOHN^2812101${"0".repeat(43)}?`, /79/],
  ];
  it.each(bad)("refuses %s", (_what, text, message) => {
    expect(() => parseTrack1(text)).toThrow(MagstripeError);
    expect(() => parseTrack1(text)).toThrow(message);
  });

  it("an error names the rule, never the data", () => {
    try {
      parseTrack1("%B41111111111111X1^DOE/JOHN^2812101?");
      throw new Error("no error");
    } catch (e) {
      expect((e as MagstripeError).code).toBe("magstripe-format");
      expect((e as Error).message).not.toMatch(/4111|DOE/);
    }
  });
});

describe("ISO/IEC 7813 track 2", () => {
  it("PAN, expiry, service code and discretionary data", () => {
    expect(parseTrack2(";4111111111111111=28121015432112345678?")).toEqual({ track: 2, formatCode: null,
      pan: "4111111111111111", name: null, expiry: "2812", serviceCode: "101", discretionary: "5432112345678", luhn: true });
  });

  it("field separators in place of expiry and service code", () => {
    const t = parseTrack2(";378282246310005===0000?");
    expect([t.expiry, t.serviceCode, t.discretionary]).toEqual([null, null, "0000"]);
  });

  it("field separators may recur in the discretionary data", () => {
    expect(parseTrack2(";5555555555554444=2905201=123=?").discretionary).toBe("=123=");
  });

  it.each([
    ["a hardware control character in the data", ";4111111111111111=2812101:12?"],
    ["no field separator after the PAN", ";4111111111111111?"],
    ["more than 40 characters", `;4111111111111111=2812101${"0".repeat(14)}?`],
    ["an alphanumeric character", ";4111111111111111=2812101A?"],
  ])("refuses %s", (_what, text) => {
    expect(() => parseTrack2(text)).toThrow(MagstripeError);
  });
});

describe("ISO/IEC 4909 track 3", () => {
  it("format code 01, PAN, the rest as additional data", () => {
    expect(parseTrack3(";014111111111111111==978212345=0?")).toEqual({ track: 3, formatCode: "01",
      pan: "4111111111111111", additionalData: "=978212345=0", luhn: true });
  });

  it("the PAN may be left to track 2: the field separator stands alone (8.3, 8.4)", () => {
    const t = parseTrack3(";02==9782123=?");
    expect(t.pan).toBeNull();
    expect(t.luhn).toBeNull();
  });

  it.each([
    ["format code 00 (invalid for interchange)", ";004111111111111111=1?"],
    ["a reserved format code", ";504111111111111111=1?"],
    ["no field separator after the PAN", ";014111111111111111?"],
    ["a 9-digit PAN", ";01411111111=1?"],
    ["a hardware control character", ";014111111111111111=1>2?"],
    ["more than 107 characters", `;014111111111111111=${"1".repeat(86)}?`],
  ])("refuses %s", (_what, text) => {
    expect(() => parseTrack3(text)).toThrow(MagstripeError);
  });
});
