import { MagstripeError, parseServiceCode, swipeDecision } from "../../kernel/magstripe";

// ISO/IEC 7813 service code digits, and the chip-first rule with fallback.

describe("service code (ISO/IEC 7813)", () => {
  it("101: international, normal authorization, no restrictions, no chip", () => {
    expect(parseServiceCode("101")).toEqual({ code: "101", interchange: "international", chipCard: false,
      authorization: "normal", services: "any", pin: "none" });
  });
  it("201 and 601: a first digit 2 or 6 means an integrated circuit card", () => {
    expect(parseServiceCode("201").chipCard).toBe(true);
    expect(parseServiceCode("601")).toMatchObject({ interchange: "national", chipCard: true });
    expect(parseServiceCode("501").chipCard).toBe(false);
  });
  it("digit 2 is the authorization processing, digit 3 the services and PIN", () => {
    expect(parseServiceCode("120")).toMatchObject({ authorization: "online", services: "any", pin: "required" });
    expect(parseServiceCode("143")).toMatchObject({ authorization: "online-unless-agreement", services: "atm", pin: "required" });
    expect(parseServiceCode("706")).toMatchObject({ interchange: "private", pin: "if-pin-pad" });
    expect(parseServiceCode("902")).toMatchObject({ interchange: "test", services: "goods-and-services", pin: "none" });
    expect(parseServiceCode("318")).toMatchObject({ interchange: "reserved", authorization: "reserved", services: "reserved" });
  });
  it("refuses anything but three digits", () => {
    expect(() => parseServiceCode("10")).toThrow(MagstripeError);
    expect(() => parseServiceCode("1O1")).toThrow(MagstripeError);
  });
});

describe("chip first, fallback after a chip failure", () => {
  it("a chip card (2xx, 6xx) whose chip has not failed: use the chip", () => {
    expect(swipeDecision("201", false)).toEqual({ kind: "use-chip" });
    expect(swipeDecision("621", false)).toEqual({ kind: "use-chip" });
  });
  it("a chip card whose chip failed on this card: read the swipe, flagged as fallback", () => {
    expect(swipeDecision("201", true)).toEqual({ kind: "read", fallback: true });
  });
  it("a magnetic-stripe-only card: read, no fallback, whatever the chip did", () => {
    expect(swipeDecision("101", false)).toEqual({ kind: "read", fallback: false });
    expect(swipeDecision("101", true)).toEqual({ kind: "read", fallback: false });
  });
  it("no service code on the card: nothing says it has a chip", () => {
    expect(swipeDecision(null, false)).toEqual({ kind: "read", fallback: false });
  });
});
