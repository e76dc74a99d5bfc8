import { fromHex, toHex } from "../../kernel/bytes";
import { compareDates, decodeDate, encodeDate } from "../../kernel/emv/dates";
import { EmvDataStore } from "../../kernel/emv/data-store";
import { CardDataError } from "../../kernel/emv/errors";
import { decodeNumeric, decodePan, encodeNumeric } from "../../kernel/emv/numeric";
import { TSI, newTsi } from "../../kernel/emv/tsi";
import { TVR, newTvr } from "../../kernel/emv/tvr";
import { decodeTlv } from "../../kernel/tlv";

describe("Book 3, Annex C5 and C6: TVR and TSI as named bits", () => {
  it("sets each TVR bit at its byte and bit, b8 the most significant", () => {
    const tvr = newTvr();
    tvr.set(TVR.offlineDataAuthenticationNotPerformed); // byte 1 b8
    tvr.set(TVR.sdaSelected); // byte 1 b2
    tvr.set(TVR.newCard); // byte 2 b4
    tvr.set(TVR.onlinePinEntered); // byte 3 b3
    tvr.set(TVR.merchantForcedOnline); // byte 4 b4
    tvr.set(TVR.scriptFailedAfterFinalGenerateAc); // byte 5 b5
    expect(toHex(tvr.bytes())).toBe("8208040810");
    tvr.clear(TVR.newCard);
    expect(toHex(tvr.bytes())).toBe("8200040810");
  });
  it("sets each TSI bit of byte 1; byte 2 is RFU", () => {
    const tsi = newTsi();
    for (const bit of Object.values(TSI)) tsi.set(bit);
    expect(toHex(tsi.bytes())).toBe("FC00");
  });
  it("compares with an action code bit by bit", () => {
    const tvr = newTvr(fromHex("0000008000"));
    expect(tvr.intersects(fromHex("DC4000A800"))).toBe(true);
    expect(tvr.intersects(fromHex("DC40007800"))).toBe(false);
  });
  it("names the bits set in Annex C5 and C6's words, in byte and bit order", () => {
    const tvr = newTvr(fromHex("0000008000"));
    tvr.set(TVR.sdaFailed);
    expect(tvr.names()).toEqual(["SDA failed", "Transaction exceeds floor limit"]);
    const tsi = newTsi(fromHex("8000"));
    expect(tsi.names()).toEqual(["Offline data authentication was performed"]);
  });
  it("issue 10, item 5: the bit tables are frozen and shared; a TVR or TSI holds only its bytes", () => {
    for (const table of [TVR, TSI]) {
      expect(Object.isFrozen(table)).toBe(true);
      for (const def of Object.values(table)) expect(Object.isFrozen(def)).toBe(true);
    }
    expect(() => {
      (TVR.sdaFailed as { bit: number }).bit = 1;
    }).toThrow(TypeError);
    for (const bits of [newTvr(), newTsi()]) expect(Object.keys(bits)).toEqual(["value"]);
    expect(() => newTvr(fromHex("00"))).toThrow(/1 bytes where 5/);
  });
});

describe("Book 3, 4.3: numeric and compressed numeric data", () => {
  it("encodes and decodes n format right-justified BCD", () => {
    expect(toHex(encodeNumeric(1234, 6))).toBe("000000001234");
    expect(decodeNumeric(fromHex("000000001234"), "amount")).toBe(1234);
    expect(() => decodeNumeric(fromHex("00A0"), "amount")).toThrow(CardDataError);
  });
  it("reads the PAN from cn, stopping at the 'F' padding, and refuses digits after it", () => {
    expect(decodePan(fromHex("374245455400126F"))).toBe("374245455400126");
    expect(() => decodePan(fromHex("37F245"))).toThrow(CardDataError);
    expect(() => decodePan(fromHex("3742FFFF"))).toThrow(/fewer than 7/);
  });
  it("dates are n6 YYMMDD in the Book 4, 6.7.3 window", () => {
    expect(decodeDate(fromHex("491231"), "d")).toEqual({ year: 2049, month: 12, day: 31 });
    expect(decodeDate(fromHex("500101"), "d")).toEqual({ year: 1950, month: 1, day: 1 });
    expect(decodeDate(fromHex("240229"), "d").day).toBe(29);
    expect(() => decodeDate(fromHex("230229"), "d")).toThrow(/day 29/);
    expect(toHex(encodeDate({ year: 2025, month: 6, day: 15 }))).toBe("250615");
    expect(compareDates({ year: 2025, month: 6, day: 15 }, { year: 2025, month: 7, day: 1 })).toBeLessThan(0);
  });
});

describe("the transaction's data store (Book 3, 10.2: redundant data)", () => {
  it("keeps card objects from templates, refuses a tag repeated across records, lets later responses replace", () => {
    const store = new EmvDataStore();
    store.addCard(decodeTlv(fromHex("70065A0412345678")), true, "record 1");
    expect(() => store.addCard(decodeTlv(fromHex("70065A0412345678")), true, "record 2")).toThrow(/redundant data object 5A/);
    store.addCard(decodeTlv(fromHex("77049F360101")), false, "GENERATE AC");
    store.addCard(decodeTlv(fromHex("77049F360102")), false, "GENERATE AC");
    expect(toHex(store.get("9F36")!)).toBe("02");
    expect(store.source("5A")).toBe("card");
  });
  it("forgets and zeroizes the card's data, keeping the terminal's", () => {
    const store = new EmvDataStore();
    store.set("9F1A", fromHex("0840"));
    store.addCard(decodeTlv(fromHex("5A0412345678")), false, "x");
    const pan = store.get("5A")!;
    store.clearCard();
    expect(store.has("5A")).toBe(false);
    expect(toHex(pan)).toBe("00000000");
    expect(store.has("9F1A")).toBe(true);
  });
});
