import { fromHex } from "../../kernel/bytes";
import { checkAuthorisationData, maskedItem } from "../../host-sim/server/issuer-desk";
import { decodeWire, encodeWire, MAX_WIRE_BYTES } from "../../host-sim/server/page-wire";
import { checkCustomCard } from "../../host-sim/server/wallet";

// What crosses between the page and the server: bytes in the wire form, every field from the page
// checked, and card data shown by the issuer panel only masked (PCI DSS 3.4).

describe("page wire", () => {
  test("bytes travel as uppercase hex and come back as Uint8Array", () => {
    const v = { ksn: fromHex("0A0b"), list: [fromHex("FF")], n: 1, s: "x" };
    const text = encodeWire(v);
    expect(text).toBe('{"ksn":{"$hex":"0A0B"},"list":[{"$hex":"FF"}],"n":1,"s":"x"}');
    expect(decodeWire(text)).toEqual(v);
  });

  test("decoding refuses what is not JSON, bad hex, prototype keys, deep nesting and oversize messages", () => {
    expect(() => decodeWire("{")).toThrow("not JSON");
    expect(() => decodeWire('{"a":{"$hex":"ABC"}}')).toThrow("hex");
    expect(() => decodeWire('{"a":{"$hex":"ZZ"}}')).toThrow("hex");
    expect(() => decodeWire('{"__proto__":{"x":1}}')).toThrow("not allowed");
    expect(() => decodeWire("[".repeat(40) + "]".repeat(40))).toThrow("deeply");
    expect(() => decodeWire(" ".repeat(MAX_WIRE_BYTES + 1))).toThrow("at most");
  });
});

describe("authorisation data from the phone", () => {
  const good = { cardInterface: "contact", emvData: [{ tag: "9F26", value: fromHex("0102030405060708") }] };

  test("a well-formed request passes with its fields", () => {
    expect(checkAuthorisationData(good)).toEqual(good);
  });

  test("each field is typed and bounded", () => {
    expect(() => checkAuthorisationData({ ...good, cardInterface: "nfc" })).toThrow("cardInterface");
    expect(() => checkAuthorisationData({ ...good, emvData: [{ tag: "zz", value: new Uint8Array(1) }] })).toThrow("tag must be hex");
    expect(() => checkAuthorisationData({ ...good, emvData: [{ tag: "9F26", value: new Uint8Array(300) }] })).toThrow("at most 256 bytes");
    expect(() => checkAuthorisationData({ ...good, maskedPan: "4761739001010010x" })).toThrow("maskedPan");
    expect(() => checkAuthorisationData({ ...good, envelope: { scheme: "rot13" } })).toThrow("envelope.scheme");
    expect(() => checkAuthorisationData({ ...good, pinBlock: { format: 1 } })).toThrow("pinBlock.format");
  });
});

describe("the issuer panel's view of decrypted card data", () => {
  test("PAN (5A) masked to the first six and last four digits", () => {
    expect(maskedItem({ tag: "5A", value: fromHex("4761739001010010") }).value).toBe("476173******0010");
  });

  test("Track 2 Equivalent Data (57): the masked PAN only, nothing after the separator", () => {
    const v = maskedItem({ tag: "57", value: fromHex("4761739001010010D30122011143804400000F") }).value;
    expect(v).toMatch(/^476173\*{6}0010=\*{4} \(19 bytes\)$/);
    expect(v).not.toContain("3012");
  });

  test("expiry, name and unknown elements: their length only", () => {
    expect(maskedItem({ tag: "5F24", value: fromHex("301231") }).value).toBe("[3 bytes, not shown]");
    expect(maskedItem({ tag: "5F20", value: new Uint8Array(12) }).name).toBe("Cardholder Name");
  });

  test("magnetic track 2 text: the masked PAN and the length", () => {
    const track = Uint8Array.from(";4012888888881881=30121010000000000000?", (c) => c.charCodeAt(0));
    expect(maskedItem({ tag: "DF8F02", value: track }).value).toBe("401288******1881... (39 characters)");
  });
});

describe("the custom card editor", () => {
  test("a copy of a chip card with its own name, expiry, PAN and PIN", () => {
    expect(checkCustomCard({ base: "visa-cda", cardholderName: "DEV/TESTER", expiry: "291130", pan: "4761739001010028", pin: "123456" }))
      .toEqual({ base: "visa-cda", cardholderName: "DEV/TESTER", expiry: "291130", pan: "4761739001010028", pin: "123456" });
  });

  test("refuses unknown fields, stripe-only bases, lower-case names, impossible dates and bad check digits", () => {
    expect(() => checkCustomCard({ base: "visa-cda", cvv: "123" })).toThrow("unknown field cvv");
    expect(() => checkCustomCard({ base: "magstripe-only" })).toThrow("chip card");
    expect(() => checkCustomCard({ base: "visa-cda", cardholderName: "dev" })).toThrow("cardholderName");
    expect(() => checkCustomCard({ base: "visa-cda", expiry: "301232" })).toThrow("real date");
    expect(() => checkCustomCard({ base: "visa-cda", pan: "4761739001010011" })).toThrow("Luhn");
    expect(() => checkCustomCard({ base: "visa-cda", pin: "12a4" })).toThrow("4 to 12 digits");
  });
});
