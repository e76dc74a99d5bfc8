import { fromHex, toHex } from "../../kernel/bytes";
import { BoundsError } from "../../kernel/errors";
import { EmvDataStore, MAX_STORE_BYTES, MAX_STORE_ELEMENTS } from "../../kernel/emv/data-store";
import { CardDataError } from "../../kernel/emv/errors";
import { TlvError, type Tlv } from "../../kernel/tlv";

// The transaction's data store (kernel/emv/data-store.ts): Book 3, Annex A sources, the Book 3, 10.2
// redundancy rule, zeroization of every value it lets go of, and values kept in a few byte arenas
// (issue 10, item 5) whose views stay valid while the store grows.

/** A primitive card data object. */
function primitive(tag: string, hex: string): Tlv {
  const value = fromHex(hex);
  return { tag, length: value.length, value };
}

/** A record: a READ RECORD Response Message Template '70' holding `objects` (Book 3, 6.5.11.4). */
function record(...objects: Tlv[]): Tlv[] {
  return [{ tag: "70", length: 0, value: new Uint8Array(0), children: objects }];
}

/** Distinct well-formed two-byte tags: 9F01, 9F02, ... 9F7F, then DF01 ... (b8 of byte 2 is 0). */
function tagNumber(n: number): string {
  return toHex(Uint8Array.of(n < 127 ? 0x9f : 0xdf, (n % 127) + 1));
}

describe("data store: values and their sources (Book 3, Annex A)", () => {
  it("keeps a copy of what it is given: changing the caller's array later changes nothing", () => {
    const store = new EmvDataStore();
    const amount = fromHex("000000001234");
    store.set("9F02", amount);
    amount.fill(0xff);
    expect(toHex(store.get("9F02") as Uint8Array)).toBe("000000001234");
  });

  it("an absent tag has no value, no source and is not listed", () => {
    const store = new EmvDataStore();
    store.set("9F02", fromHex("01"));
    expect(store.get("9F03")).toBeUndefined();
    expect(store.has("9F03")).toBe(false);
    expect(store.source("9F03")).toBeUndefined();
    expect(store.tags()).toEqual(["9F02"]);
  });

  it("tracks the terminal's, the issuer's and the card's data; a card value replacing a terminal one is the card's", () => {
    const store = new EmvDataStore();
    store.set("9F1A", fromHex("0250"));
    store.set("91", fromHex("11223344556677880000"), "issuer");
    store.addCard([primitive("5F2A", "0978")], false, "GPO");
    expect(["9F1A", "91", "5F2A"].map((t) => store.source(t))).toEqual(["terminal", "issuer", "card"]);
    store.addCard([primitive("9F1A", "0276")], false, "GET DATA");
    expect(store.source("9F1A")).toBe("card");
    expect(toHex(store.get("9F1A") as Uint8Array)).toBe("0276");
  });

  it("a zero-length value is present and empty", () => {
    const store = new EmvDataStore();
    store.addCard([primitive("9F4D", "")], false, "SELECT");
    expect(store.has("9F4D")).toBe(true);
    expect((store.get("9F4D") as Uint8Array).length).toBe(0);
  });

  it("lists tags in the order first stored; replacing keeps the place, deleting then setting moves it last", () => {
    const store = new EmvDataStore();
    for (const t of ["9F02", "5F2A", "9A", "9C"]) store.set(t, fromHex("01"));
    store.set("5F2A", fromHex("0978"));
    store.delete("9F02");
    store.set("9F02", fromHex("02"));
    expect(store.tags()).toEqual(["5F2A", "9A", "9C", "9F02"]);
  });
});

describe("data store: tags as the numbers they are (Book 3, Annex B1)", () => {
  it("keeps 1-, 2-, 3- and 4-byte tags apart and spells them back in uppercase", () => {
    const store = new EmvDataStore();
    store.set("82", fromHex("01"));
    store.set("DF8101", fromHex("03"));
    store.set("9F818203", fromHex("04"));
    store.set("df02", fromHex("05"));
    expect(store.tags()).toEqual(["82", "DF8101", "9F818203", "DF02"]);
    expect(toHex(store.get("DF8101") as Uint8Array)).toBe("03");
    expect(toHex(store.get("9f818203") as Uint8Array)).toBe("04");
    expect(store.source("DF02")).toBe("terminal");
  });

  it("a malformed tag is a typed error, never a silent miss", () => {
    const store = new EmvDataStore();
    for (const tag of ["", "9", "9G", "00", "9F", "9C01", "9F81828304"]) {
      expect(() => store.set(tag, fromHex("01"))).toThrow(TlvError);
      expect(() => store.get(tag)).toThrow(TlvError);
    }
  });
});

describe("data store: Book 3, 10.2, redundant data in the records", () => {
  it("a primitive object read in two records terminates the transaction (CardDataError, value not named)", () => {
    const store = new EmvDataStore();
    store.addCard(record(primitive("5A", "4761739001010010")), true, "READ RECORD SFI 1 record 1");
    let error: unknown;
    try {
      store.addCard(record(primitive("5A", "4761739001010010")), true, "READ RECORD SFI 1 record 2");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CardDataError);
    expect(String((error as Error).message)).toMatch(/redundant data object 5A/);
    expect(String((error as Error).message)).not.toMatch(/4761/);
  });

  it("responses outside the records replace a value: GPO then a record, GENERATE AC twice", () => {
    const store = new EmvDataStore();
    store.addCard([{ tag: "77", length: 0, value: new Uint8Array(0), children: [primitive("82", "1980"), primitive("94", "08010100")] }], false, "GPO");
    expect(() => store.addCard(record(primitive("82", "1980")), true, "READ RECORD")).not.toThrow();
    store.addCard([primitive("9F36", "0001")], false, "first GENERATE AC");
    store.addCard([primitive("9F36", "0002")], false, "second GENERATE AC");
    expect(toHex(store.get("9F36") as Uint8Array)).toBe("0002");
  });

  it("descends into the EMV templates and stores any other constructed object whole", () => {
    const store = new EmvDataStore();
    const script: Tlv = { tag: "71", length: 3, value: fromHex("860100"), children: [primitive("86", "00")] };
    store.addCard([{ tag: "6F", length: 0, value: new Uint8Array(0), children: [
      { tag: "A5", length: 0, value: new Uint8Array(0), children: [primitive("50", "56495341")] },
    ] }, script], false, "SELECT");
    expect(store.tags()).toEqual(["50", "71"]);
    expect(toHex(store.get("71") as Uint8Array)).toBe("860100");
  });

  it("a deleted record object is still remembered as read: reading it again is redundant", () => {
    const store = new EmvDataStore();
    store.addCard(record(primitive("8C", "9F0206")), true, "record 1");
    store.delete("8C");
    expect(store.has("8C")).toBe(false);
    expect(store.tags()).toEqual([]);
    expect(() => store.addCard(record(primitive("8C", "9F0206")), true, "record 2")).toThrow(CardDataError);
  });
});

describe("data store: zeroization of what it lets go of", () => {
  it("replacing with a longer value zeroizes the old bytes", () => {
    const store = new EmvDataStore();
    store.set("9F5B", fromHex("2000000000"));
    const old = store.get("9F5B") as Uint8Array;
    store.set("9F5B", fromHex("20000000002000000000"));
    expect(toHex(old)).toBe("0000000000");
    expect(toHex(store.get("9F5B") as Uint8Array)).toBe("20000000002000000000");
  });

  it("replacing with a value no longer writes over the old one and zeroizes its rest", () => {
    const store = new EmvDataStore();
    store.addCard([primitive("9F10", "06010A03A0B000")], false, "first GENERATE AC");
    const old = store.get("9F10") as Uint8Array;
    store.addCard([primitive("9F10", "0601")], false, "second GENERATE AC");
    expect(toHex(old)).toBe("06010000000000");
    expect(toHex(store.get("9F10") as Uint8Array)).toBe("0601");
  });

  it("delete zeroizes the value", () => {
    const store = new EmvDataStore();
    store.addCard([primitive("57", "4761739001010010D22122011143804489")], false, "GPO");
    const track2 = store.get("57") as Uint8Array;
    store.delete("57");
    expect(track2.every((b) => b === 0)).toBe(true);
    expect(store.get("57")).toBeUndefined();
  });

  it("clear zeroizes every value, in every arena, and leaves an empty store that works again", () => {
    const store = new EmvDataStore();
    const views: Uint8Array[] = [];
    for (let n = 0; n < 40; n++) {
      store.set(tagNumber(n), new Uint8Array(100).fill(n + 1), n % 2 === 0 ? "terminal" : "issuer");
      views.push(store.get(tagNumber(n)) as Uint8Array);
    }
    store.addCard(record(primitive("5A", "4761739001010010")), true, "record");
    views.push(store.get("5A") as Uint8Array);
    store.clear();
    for (const v of views) expect(v.every((b) => b === 0)).toBe(true);
    expect(store.tags()).toEqual([]);
    expect(() => store.addCard(record(primitive("5A", "4761739001010010")), true, "record")).not.toThrow();
    expect(store.tags()).toEqual(["5A"]);
  });

  it("Book 3, 10.1: clearCard zeroizes the card's and the issuer's data and keeps the terminal's", () => {
    const store = new EmvDataStore();
    store.set("9F02", fromHex("000000001234"));
    store.addCard(record(primitive("5A", "4761739001010010")), true, "record");
    store.set("91", fromHex("11223344556677880000"), "issuer");
    store.set("9F1A", fromHex("0250"));
    const pan = store.get("5A") as Uint8Array;
    const arpc = store.get("91") as Uint8Array;
    const amount = store.get("9F02") as Uint8Array;
    store.clearCard();
    expect(store.tags()).toEqual(["9F02", "9F1A"]);
    expect(pan.every((b) => b === 0) && arpc.every((b) => b === 0)).toBe(true);
    expect(toHex(amount)).toBe("000000001234");
    expect(store.source("9F1A")).toBe("terminal");
    // The redundancy rule starts again for the next application's records.
    expect(() => store.addCard(record(primitive("5A", "4761739001010010")), true, "record")).not.toThrow();
  });
});

describe("data store: growth", () => {
  it("grows past its first arena; every value reads back and earlier views stay valid", () => {
    const store = new EmvDataStore();
    store.set("5F2A", fromHex("0102030405"));
    const view = store.get("5F2A") as Uint8Array;
    // 60 values of 100 bytes: several times the first arena (1 KB).
    for (let n = 1; n <= 60; n++) store.addCard([{ tag: tagNumber(n), length: 100, value: new Uint8Array(100).fill(n) }], false, "record");
    expect(toHex(view)).toBe("0102030405");
    for (let n = 1; n <= 60; n++) {
      const v = store.get(tagNumber(n)) as Uint8Array;
      expect(v.length).toBe(100);
      expect(v.every((b) => b === n)).toBe(true);
    }
  });

  it("keeps hundreds of elements (past the first index) in order with their sources", () => {
    const store = new EmvDataStore();
    const tags: string[] = [];
    for (let n = 0; n < 250; n++) {
      tags.push(tagNumber(n));
      if (n % 3 === 0) store.addCard([primitive(tagNumber(n), (n & 0xff).toString(16).padStart(2, "0"))], true, "record");
      else store.set(tagNumber(n), Uint8Array.of(n & 0xff), n % 3 === 1 ? "terminal" : "issuer");
    }
    expect(store.tags()).toEqual(tags);
    for (let n = 0; n < 250; n++) {
      expect((store.get(tags[n]) as Uint8Array)[0]).toBe(n & 0xff);
      expect(store.source(tags[n])).toBe(["card", "terminal", "issuer"][n % 3]);
    }
  });

  it("bounds a hostile card: too many bytes or elements of card data is CardDataError", () => {
    const bytes = new EmvDataStore();
    expect(() => {
      for (let n = 0; n < 200; n++) bytes.addCard(record({ tag: tagNumber(n), length: 250, value: new Uint8Array(250) }), true, "record");
    }).toThrow(CardDataError);
    expect(200 * 250).toBeGreaterThan(MAX_STORE_BYTES);
    const elements = new EmvDataStore();
    const many: Tlv[] = [];
    for (let n = 0; n <= MAX_STORE_ELEMENTS; n++) {
      many.push(primitive(toHex(Uint8Array.of(0xdf, 0x80 | (n >> 7), n & 0x7f)), ""));
    }
    expect(() => elements.addCard(many, true, "record")).toThrow(CardDataError);
  });

  it("too much terminal data is a full buffer (BoundsError), not the card's fault", () => {
    const store = new EmvDataStore();
    expect(() => store.set("DF01", new Uint8Array(MAX_STORE_BYTES))).toThrow(BoundsError);
  });
});
