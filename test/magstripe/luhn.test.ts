import { luhnCheckDigit, luhnValid } from "../../kernel/magstripe";

// ISO/IEC 7812-1, Annex B (the Luhn formula). Values: the worked example 7992739871 -> check
// digit 3 (as in the formula's standard description), and the test card numbers the networks
// publish for integration testing (Visa 4111111111111111, Mastercard 5555555555554444, American
// Express 378282246310005 and 371449635398431, Discover 6011111111111117, Diners 30569309025904,
// JCB 3566002020360505).

describe("Luhn check digit (ISO/IEC 7812-1, Annex B)", () => {
  it("7992739871 takes check digit 3; 79927398713 passes, 79927398710 fails", () => {
    expect(luhnCheckDigit("7992739871")).toBe(3);
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });

  it.each(["4111111111111111", "5555555555554444", "378282246310005", "371449635398431", "6011111111111117",
    "30569309025904", "3566002020360505"])("published test PAN %s passes", (pan) => {
    expect(luhnValid(pan)).toBe(true);
    expect(luhnCheckDigit(pan.slice(0, -1))).toBe(Number(pan.slice(-1)));
  });

  it("a single changed digit or a swap of adjacent digits is detected", () => {
    expect(luhnValid("4111111111111121")).toBe(false);
    expect(luhnValid("5555555555555444")).toBe(false);
    expect(luhnValid("3782822463100O5")).toBe(false);
    expect(luhnValid("378282246301005")).toBe(false);
  });

  it("non-digits and too-short strings are not valid", () => {
    expect(luhnValid("")).toBe(false);
    expect(luhnValid("0")).toBe(false);
    expect(luhnValid("4111 1111 1111 1111")).toBe(false);
    expect(luhnCheckDigit("12a")).toBe(-1);
  });
});
