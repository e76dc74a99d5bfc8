import { fromHex, toHex } from "../../kernel/bytes";
import type { TransactionContext, TransactionParams } from "../../kernel/emv/context";
import { checkApplicationUsageControl, checkApplicationVersion, checkDates } from "../../kernel/emv/processing-restrictions";
import { defaultActionAnalysis, terminalActionAnalysis } from "../../kernel/emv/terminal-action-analysis";
import {
  checkExceptionFile, checkFloorLimit, randomTransactionSelection, terminalRiskManagement, velocityChecking,
} from "../../kernel/emv/terminal-risk-management";
import { TSI } from "../../kernel/emv/tsi";
import { TVR } from "../../kernel/emv/tvr";
import type { TerminalConfig } from "../../kernel/emv/terminal-config";
import { contextFor, fakes, testConfig } from "./support/fakes";
import { standardCard } from "./support/standard-card";
import type { TestCardOptions } from "./support/test-card";

const PAN = "4761739001010010";

function ctxWith(
  data: Record<string, string>,
  params: Partial<TransactionParams> = {},
  config: TerminalConfig = testConfig(),
  random: number[] = [],
  card: (o: TestCardOptions) => void = () => {},
): TransactionContext {
  const f = fakes([], random);
  const ctx = contextFor(standardCard(card), f, config, params);
  ctx.app = { dfName: config.applications[0].aid, config: config.applications[0], language: "en" };
  for (const [tag, value] of Object.entries(data)) ctx.data.set(tag, fromHex(value), "card");
  return ctx;
}

describe("Book 3, 10.4.1: application version number", () => {
  it("a card version '9F08' other than the terminal's '9F09' sets 'different application versions'", () => {
    const same = ctxWith({ "9F08": "0096" });
    checkApplicationVersion(same);
    expect(same.tvr.has(TVR.differentApplicationVersions)).toBe(false);
    const other = ctxWith({ "9F08": "0084" });
    checkApplicationVersion(other);
    expect(other.tvr.has(TVR.differentApplicationVersions)).toBe(true);
  });
  it("an absent '9F08' is taken as compatible", () => {
    const ctx = ctxWith({});
    checkApplicationVersion(ctx);
    expect(ctx.tvr.names()).toEqual([]);
  });
});

describe("Book 3, 10.4.2: application usage control", () => {
  const notAllowed = (data: Record<string, string>, params: Partial<TransactionParams> = {}, config?: TerminalConfig) => {
    const ctx = ctxWith(data, params, config);
    checkApplicationUsageControl(ctx);
    return ctx.tvr.has(TVR.serviceNotAllowed);
  };
  it("a card not valid at terminals other than ATMs is refused at a merchant terminal", () => {
    expect(notAllowed({ "9F07": "FE00" })).toBe(true);
    expect(notAllowed({ "9F07": "FF00" })).toBe(false);
  });
  it("an ATM (type 14 with cash capability) needs 'valid at ATMs'", () => {
    const atm = testConfig((j) => {
      j.terminalType = "14";
      j.additionalCapabilities = "8000A03001";
    });
    expect(notAllowed({ "9F07": "FD00" }, { transactionType: 0x01 }, atm)).toBe(true);
    expect(notAllowed({ "9F07": "FF00" }, { transactionType: 0x01 }, atm)).toBe(false);
  });
  it("goods and services: domestic or international by the Issuer Country Code '5F28'", () => {
    expect(notAllowed({ "9F07": "1500", "5F28": "0840" })).toBe(true); // no domestic goods/services
    expect(notAllowed({ "9F07": "1500", "5F28": "0250" })).toBe(false); // international goods and services
    expect(notAllowed({ "9F07": "E900", "5F28": "0250" })).toBe(true); // no international goods/services
  });
  it("cash needs the cash bit; cashback also needs the cashback bit of byte 2", () => {
    expect(notAllowed({ "9F07": "7F00", "5F28": "0840" }, { transactionType: 0x01 })).toBe(true);
    expect(notAllowed({ "9F07": "FF00", "5F28": "0840" }, { transactionType: 0x09, amountOther: 500 })).toBe(true);
    expect(notAllowed({ "9F07": "FF80", "5F28": "0840" }, { transactionType: 0x09, amountOther: 500 })).toBe(false);
  });
  it("without '5F28' only the ATM check applies", () => {
    expect(notAllowed({ "9F07": "0100" })).toBe(false);
  });
});

describe("Book 3, 10.4.3: effective and expiration dates", () => {
  // The transaction date is 2025-06-15 (TEST_PARAMS).
  const bits = (data: Record<string, string>) => {
    const ctx = ctxWith(data);
    checkDates(ctx);
    return ctx.tvr.names();
  };
  it("expired when the transaction date is after the Application Expiration Date", () => {
    expect(bits({ "5F24": "250614" })).toEqual(["Expired application"]);
    expect(bits({ "5F24": "250615" })).toEqual([]);
  });
  it("not yet effective when the transaction date is before the Application Effective Date", () => {
    expect(bits({ "5F24": "301231", "5F25": "250616" })).toEqual(["Application not yet effective"]);
    expect(bits({ "5F24": "301231", "5F25": "250615" })).toEqual([]);
  });
  it("reads two-digit years in the window of Book 4, 6.7.3 (49 is 2049, 50 is 1950)", () => {
    expect(bits({ "5F24": "491231" })).toEqual([]);
    expect(bits({ "5F24": "501231" })).toEqual(["Expired application"]);
  });
  it("a date that is not a calendar date is card data the terminal cannot accept", () => {
    expect(() => checkDates(ctxWith({ "5F24": "251301" }))).toThrow(/month 13/);
    expect(() => checkDates(ctxWith({ "5F24": "250230" }))).toThrow(/day 30/);
  });
});

describe("Book 3, 10.6.1: floor limit", () => {
  it("an amount equal to or above the floor limit sets 'Transaction exceeds floor limit'", () => {
    const config = testConfig((j) => (j.applications[0].floorLimit = 1234));
    const at = ctxWith({}, { amount: 1234 }, config);
    checkFloorLimit(at, PAN);
    expect(at.tvr.has(TVR.floorLimitExceeded)).toBe(true);
    const below = ctxWith({}, { amount: 1233 }, config);
    checkFloorLimit(below, PAN);
    expect(below.tvr.has(TVR.floorLimitExceeded)).toBe(false);
  });
  it("adds the most recent logged amount for the same card (split sales)", () => {
    const config = testConfig((j) => (j.applications[0].floorLimit = 1000));
    const ctx = ctxWith({}, { amount: 600, transactionLog: [{ pan: PAN, amount: 100 }, { pan: "5413330089010012", amount: 900 }, { pan: PAN, amount: 400 }] }, config);
    checkFloorLimit(ctx, PAN);
    expect(ctx.tvr.has(TVR.floorLimitExceeded)).toBe(true);
  });
});

describe("Book 3, 10.6.2: random transaction selection", () => {
  const config = testConfig((j) => {
    j.applications[0].floorLimit = 10000;
    j.applications[0].randomSelection = { threshold: 2000, targetPercent: 20, maxTargetPercent: 60 };
  });
  // The random byte b gives (b % 99) + 1; bytes of 198 and more are drawn again.
  const selected = (amount: number, random: number[]) => {
    const ctx = ctxWith({}, { amount }, config, random);
    randomTransactionSelection(ctx);
    return ctx.tvr.has(TVR.randomlySelectedForOnline);
  };
  it("below the threshold: selected when the number 1-99 is at most the Target Percentage", () => {
    expect(selected(1000, [19])).toBe(true); // 20
    expect(selected(1000, [20])).toBe(false); // 21
  });
  it("between threshold and floor limit the percentage rises linearly to the maximum (Figure 15)", () => {
    // amount 6000: 20 + (60 - 20) * (6000 - 2000) / (10000 - 2000) = 40
    expect(selected(6000, [39])).toBe(true); // 40
    expect(selected(6000, [40])).toBe(false); // 41
  });
  it("draws again on bytes that would bias the number, and never selects at or above the floor limit", () => {
    expect(selected(1000, [250, 198, 5])).toBe(true); // 6 after two rejections
    expect(selected(10000, [0])).toBe(false);
  });
});

describe("Book 3, 10.6.3: velocity checking", () => {
  const limits = { "9F14": "02", "9F23": "05" };
  const run = async (getData: Record<string, string>) => {
    const ctx = ctxWith(limits, {}, testConfig(), [], (o) => (o.getData = getData));
    await velocityChecking(ctx);
    return ctx.tvr.names();
  };
  it("ATC minus Last Online ATC above LCOL sets the lower, above UCOL the upper limit bit", async () => {
    expect(await run({ "9F36": "0012", "9F13": "0010" })).toEqual([]);
    expect(await run({ "9F36": "0013", "9F13": "0010" })).toEqual(["Lower consecutive offline limit exceeded"]);
    expect(await run({ "9F36": "0016", "9F13": "0010" })).toEqual([
      "Lower consecutive offline limit exceeded", "Upper consecutive offline limit exceeded",
    ]);
  });
  it("a counter the card does not give, or an ATC not above the register, sets both bits", async () => {
    const both = ["Lower consecutive offline limit exceeded", "Upper consecutive offline limit exceeded"];
    expect(await run({ "9F36": "0012" })).toEqual(both);
    expect(await run({ "9F36": "0010", "9F13": "0010" })).toEqual(both);
  });
  it("a Last Online ATC Register of zero is a new card", async () => {
    expect(await run({ "9F36": "0001", "9F13": "0000" })).toEqual(["New card"]);
  });
  it("without both limits on the card no velocity check is made", async () => {
    const ctx = ctxWith({ "9F14": "02" });
    await velocityChecking(ctx);
    expect(ctx.tvr.names()).toEqual([]);
  });
});

describe("terminal risk management as a whole (Book 3, 10.6)", () => {
  it("is done when the AIP asks for it, and the TSI says so", async () => {
    const ctx = ctxWith({ "5A": PAN });
    ctx.aip = fromHex("0800");
    await terminalRiskManagement(ctx);
    expect(ctx.tsi.has(TSI.terminalRiskManagementPerformed)).toBe(true);
    expect(ctx.tvr.has(TVR.floorLimitExceeded)).toBe(true);
  });
  it("is skipped when the AIP does not ask; the exception file and a merchant's forcing still count", async () => {
    const config = testConfig((j) => (j.exceptionFile = [{ pan: PAN, psn: 1 }]));
    const ctx = ctxWith({ "5A": PAN, "5F34": "01" }, { merchantForcedOnline: true }, config);
    ctx.aip = fromHex("0000");
    await terminalRiskManagement(ctx);
    expect(ctx.tsi.has(TSI.terminalRiskManagementPerformed)).toBe(false);
    expect(ctx.tvr.names()).toEqual(["Card appears on terminal exception file", "Merchant forced transaction online"]);
  });
  it("an exception file entry with another PAN Sequence Number does not match", () => {
    const ctx = ctxWith({ "5F34": "02" }, {}, testConfig((j) => (j.exceptionFile = [{ pan: PAN, psn: 1 }])));
    checkExceptionFile(ctx, PAN);
    expect(ctx.tvr.names()).toEqual([]);
  });
});

describe("Book 3, 10.7: terminal action analysis", () => {
  const withTvr = (tvr: string, data: Record<string, string> = {}, config?: TerminalConfig) => {
    const ctx = ctxWith(data, {}, config);
    ctx.tvr.load(fromHex(tvr));
    return ctx;
  };
  it("a TVR bit in IAC-Denial or TAC-Denial asks for an AAC", () => {
    expect(terminalActionAnalysis(withTvr("0010000000", { "9F0E": "0000000000" }))).toBe("aac"); // TAC-Denial
    expect(terminalActionAnalysis(withTvr("0000200000", { "9F0E": "0000200000" }))).toBe("aac"); // IAC-Denial
  });
  it("an online-capable terminal asks for an ARQC on a match with IAC- or TAC-Online, else a TC", () => {
    expect(terminalActionAnalysis(withTvr("0000008000", { "9F0E": "0000000000", "9F0F": "0000000000" }))).toBe("arqc");
    expect(terminalActionAnalysis(withTvr("0000000000", { "9F0E": "0000000000", "9F0F": "0000000000" }))).toBe("tc");
    expect(terminalActionAnalysis(withTvr("0000000800", { "9F0E": "0000000000", "9F0F": "0000000800" }))).toBe("arqc");
  });
  it("absent issuer action codes: Denial all zeros, Online and Default all ones", () => {
    expect(terminalActionAnalysis(withTvr("0000000100"))).toBe("arqc");
    expect(defaultActionAnalysis(withTvr("0000000100"))).toBe("aac");
    expect(defaultActionAnalysis(withTvr("0000000000"))).toBe("tc");
  });
  it("an offline-only terminal (type 23) decides by the Default codes", () => {
    const offline = testConfig((j) => (j.terminalType = "23"));
    const codes = { "9F0E": "0000000000", "9F0F": "FFFFFFFFFF", "9F0D": "0000000000" };
    // TAC-Default of the configuration is DC4000A800: "randomly selected" (byte 4, b5) is not in it.
    expect(terminalActionAnalysis(withTvr("0000001000", codes, offline))).toBe("tc");
    expect(terminalActionAnalysis(withTvr("0000001000", { ...codes, "9F0D": "0000001000" }, offline))).toBe("aac");
    expect(terminalActionAnalysis(withTvr("0000008000", codes, offline))).toBe("aac");
  });
  it("an Issuer Action Code that is not 5 bytes is refused", () => {
    expect(() => terminalActionAnalysis(withTvr("0000000000", { "9F0E": "00" }))).toThrow(/not 5 bytes/);
  });
  it("bit sets say which bits are set, by the names of Annex C5", () => {
    expect(withTvr("8000048000").tvr.names()).toEqual([
      "Offline data authentication was not performed", "Online PIN entered", "Transaction exceeds floor limit",
    ]);
    expect(toHex(withTvr("8000048000").tvr.bytes())).toBe("8000048000");
  });
});
