import { EmvDataStore } from "../../kernel/emv/data-store";
import { releaseOdaRecords } from "../../kernel/emv/offline-data-authentication";
import type { OdaRecord } from "../../kernel/emv/oda";
import type { Tlv } from "../../kernel/tlv";

// Issue 10, item 5: what the EMV state lets go of once nothing reads it any more, with the data
// store keeping each element's source without a record object per element.

/** One primitive card data object of one byte. */
function object(tag: string, byte: number): Tlv[] {
  return [{ tag, length: 1, value: Uint8Array.of(byte) }];
}

describe("Book 3, 10.3: the ODA records after their last reader", () => {
  it("zeroizes each record copy (they hold the PAN) and drops them", () => {
    const record = Uint8Array.of(0x70, 0x03, 0x5a, 0x01, 0x47);
    const ctx: { odaRecords: OdaRecord[] } = { odaRecords: [{ sfi: 1, record }] };
    releaseOdaRecords(ctx);
    expect(ctx.odaRecords).toEqual([]);
    expect(Array.from(record)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("Book 3, Annex A: the data store's source of each element", () => {
  it("reports card, terminal and issuer sources; a card value replacing a terminal one is the card's", () => {
    const store = new EmvDataStore();
    store.set("9F02", Uint8Array.of(1));
    store.set("91", Uint8Array.of(2), "issuer");
    store.addCard(object("5A", 0x47), true, "record");
    store.set("9F1A", Uint8Array.of(3));
    store.addCard(object("9F1A", 4), false, "GPO");
    expect(["9F02", "91", "5A", "9F1A", "9F03"].map((t) => store.source(t))).toEqual(["terminal", "issuer", "card", "card", undefined]);
  });

  it("Book 3, 10.1: clearing the card's data keeps only the terminal's, zeroized the rest", () => {
    const store = new EmvDataStore();
    store.set("9F02", Uint8Array.of(1));
    store.set("91", Uint8Array.of(2), "issuer");
    store.addCard(object("5A", 0x47), true, "record");
    const pan = store.get("5A") as Uint8Array;
    store.clearCard();
    expect(store.tags()).toEqual(["9F02"]);
    expect(store.source("9F02")).toBe("terminal");
    expect(pan[0]).toBe(0);
    // The redundancy rule starts again for the next application's records.
    expect(() => store.addCard(object("5A", 0x47), true, "record")).not.toThrow();
  });
});
