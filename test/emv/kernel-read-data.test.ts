import { fromHex, toHex } from "../../kernel/bytes";
import { parseAfl } from "../../kernel/emv/afl";
import type { TransactionContext } from "../../kernel/emv/context";
import { CardDataError } from "../../kernel/emv/errors";
import { initiateApplicationProcessing } from "../../kernel/emv/initiate-application-processing";
import { select } from "../../kernel/emv/commands";
import { readApplicationData } from "../../kernel/emv/read-application-data";
import { performTransaction } from "../../kernel/emv/transaction";
import { TVR } from "../../kernel/emv/tvr";
import { contextFor, depsOf, fakes, TEST_PARAMS, testConfig } from "./support/fakes";
import { CDOL1, CDOL2, record1, record2, standardCard } from "./support/standard-card";
import { record, type TestCard, type TestCardOptions } from "./support/test-card";

/** A context with the standard application selected, as after Book 1, 12.4. */
async function selected(card: TestCard): Promise<TransactionContext> {
  await select(card, fromHex("A0000000031010"));
  card.log.length = 0;
  const ctx = contextFor(card, fakes());
  ctx.app = { dfName: fromHex("A0000000031010"), config: ctx.config.applications[0], language: "en" };
  ctx.data.set("9F1A", fromHex("0840"));
  ctx.data.set("5F2A", fromHex("0840"));
  ctx.data.set("9F37", fromHex("11223344"));
  return ctx;
}

async function endsWith(patch: (o: TestCardOptions) => void): Promise<string | undefined> {
  const out = await performTransaction(testConfig(), TEST_PARAMS, depsOf(standardCard(patch), fakes(["1234"])));
  expect(out.kind).toBe("end-application");
  return out.reason;
}

describe("Book 3, 10.1: initiate application processing", () => {
  it("sends the PDOL data in a Command Template '83', by the rules of Book 3, 5.4", async () => {
    const card = standardCard();
    const ctx = await selected(card);
    ctx.data.set("9F38", fromHex("9F1A025F2A029F3704DF7F02"));
    await initiateApplicationProcessing(ctx);
    // 'DF7F' is a tag the terminal does not know: zeros of the length asked for.
    expect(card.log[0].command).toBe("80A800000C830A0840084011223344000000");
  });

  it("without a PDOL the Command Template is empty ('8300')", async () => {
    const card = standardCard();
    await initiateApplicationProcessing(await selected(card));
    expect(card.log[0].command).toBe("80A80000028300" + "00");
  });

  it("reads response format 1 ('80': AIP || AFL) and format 2 ('77' with '82' and '94')", async () => {
    for (const gpoFormat of [1, 2] as const) {
      const ctx = await selected(standardCard((o) => (o.gpoFormat = gpoFormat)));
      expect(await initiateApplicationProcessing(ctx)).toEqual({ kind: "ok" });
      expect(toHex(ctx.aip)).toBe("5800");
      expect(toHex(ctx.data.get("94") as Uint8Array)).toBe("08010201");
    }
  });

  it("zeroes the TVR and TSI before GET PROCESSING OPTIONS", async () => {
    const ctx = await selected(standardCard());
    ctx.tvr.set(TVR.newCard);
    await initiateApplicationProcessing(ctx);
    expect(toHex(ctx.tvr.bytes())).toBe("0000000000");
  });

  it("'6985' means not accepted; any other error status terminates the transaction", async () => {
    const ctx = await selected(standardCard((o) => (o.apps[0].gpoSw = "6985")));
    expect(await initiateApplicationProcessing(ctx)).toEqual({ kind: "not-accepted" });
    await expect(initiateApplicationProcessing(await selected(standardCard((o) => (o.apps[0].gpoSw = "6A80")))))
      .rejects.toBeInstanceOf(CardDataError);
  });
});

describe("Book 3, 10.2: the Application File Locator", () => {
  it("decodes SFI, first and last record, and the number of records for offline data authentication", () => {
    expect(parseAfl(fromHex("080102011001010018030300"))).toEqual([
      { sfi: 1, first: 1, last: 2, odaCount: 1 },
      { sfi: 2, first: 1, last: 1, odaCount: 0 },
      { sfi: 3, first: 3, last: 3, odaCount: 0 },
    ]);
  });

  it("refuses a length not a multiple of 4, SFI 0 or 31, record 0, last before first, too many ODA records", () => {
    for (const bad of ["080102", "", "00010100", "F8010100", "08000100", "08020100", "08010103", "09010100"]) {
      expect(() => parseAfl(fromHex(bad))).toThrow(CardDataError);
    }
  });
});

describe("Book 3, 10.2: read application data", () => {
  it("reads every record the AFL names and keeps the ODA records (SFI 1-10 and 11-30) as read", async () => {
    const card = standardCard((o) => {
      o.afl = "08010201" + "58010101";
      o.records["11/1"] = "DEADBEEF";
    });
    const ctx = await selected(card);
    await initiateApplicationProcessing(ctx);
    await readApplicationData(ctx);
    expect(card.log.slice(1).map((l) => l.command)).toEqual(["00B2010C00", "00B2020C00", "00B2015C00"]);
    expect(ctx.odaRecords.map((r) => [r.sfi, toHex(r.record)])).toEqual([[1, record1()], [11, "DEADBEEF"]]);
    expect(ctx.data.has("8C")).toBe(true);
  });

  it("a record the AFL names that the card does not return terminates the transaction", async () => {
    expect(await endsWith((o) => delete o.records["1/2"])).toMatch(/card-data: READ RECORD SFI 1 record 2: status 6A83/);
  });

  it("a record of SFI 1-10 that is not a '70' template terminates the transaction", async () => {
    expect(await endsWith((o) => (o.records["1/2"] = "8002AABB"))).toMatch(/not a '70' template/);
  });

  it("a primitive data object appearing twice in the records is redundant: terminate", async () => {
    expect(await endsWith((o) => (o.records["1/2"] = record2([["5A", "4761739001010010"]])))).toMatch(/redundant data object 5A/);
  });

  it("a missing mandatory data object (5F24, 5A, 8C, 8D: Book 3, 7.2) terminates the transaction", async () => {
    const without = (tag: string) => record([["8C", CDOL1], ["8D", CDOL2], ["8E", "000000000000000042035E031F03"]].filter(([t]) => t !== tag) as [string, string][]);
    for (const tag of ["8C", "8D"]) {
      expect(await endsWith((o) => (o.records["1/2"] = without(tag)))).toMatch(new RegExp(`${tag} missing`));
    }
    const noExpiry = record([["5A", "4761739001010010"]]);
    expect(await endsWith((o) => (o.records["1/1"] = noExpiry))).toMatch(/5F24 missing/);
  });

  it("malformed BER-TLV from the card is a card data error, not a crash", async () => {
    expect(await endsWith((o) => (o.records["1/1"] = "7005" + "5A08AABB"))).toMatch(/malformed BER-TLV/);
  });
});
