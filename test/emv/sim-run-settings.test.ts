import { cardholderPins, parseTransactionDate, parseTransactionTime, terminalConfigJsonFor, transactionDateTime } from "../../host-sim/sim/run-settings";

// What every simulated run (contact, magstripe, contactless) reads from its options the same way.

describe("sim run settings", () => {
  it("Transaction Date: YYMMDD, YY 00-49 is 20YY and 50-99 is 19YY (EMV Book 4, 6.7.3)", () => {
    expect(parseTransactionDate("250615")).toEqual({ year: 2025, month: 6, day: 15 });
    expect(parseTransactionDate("491231")).toEqual({ year: 2049, month: 12, day: 31 });
    expect(parseTransactionDate("500101")).toEqual({ year: 1950, month: 1, day: 1 });
    for (const bad of ["251301", "250600", "250632", "2506", "25061a"]) expect(() => parseTransactionDate(bad)).toThrow(expect.objectContaining({ code: "date" }));
  });

  it("Transaction Time: HHMMSS, 00:00:00 to 23:59:59", () => {
    expect(parseTransactionTime("235959")).toEqual({ hour: 23, minute: 59, second: 59 });
    for (const bad of ["240000", "126000", "120060", "1200"]) expect(() => parseTransactionTime(bad)).toThrow(expect.objectContaining({ code: "time" }));
  });

  it("without --date and --time the run takes the clock's UTC date and time", () => {
    const now = new Date(Date.UTC(2026, 1, 3, 4, 5, 6));
    expect(transactionDateTime({}, now)).toEqual({ date: { year: 2026, month: 2, day: 3 }, time: { hour: 4, minute: 5, second: 6 } });
    expect(transactionDateTime({ time: "101010" }, now).time).toEqual({ hour: 10, minute: 10, second: 10 });
  });

  it("the terminal configuration takes the run's currency code and exponent (ISO 4217), in a fresh copy each time", () => {
    const jpy = terminalConfigJsonFor("JPY");
    expect(jpy).toMatchObject({ currencyCode: "0392", currencyExponent: 0 });
    expect(terminalConfigJsonFor()).toMatchObject({ currencyCode: "0840", currencyExponent: 2 });
    expect(() => terminalConfigJsonFor("XXX")).toThrow(expect.objectContaining({ code: "currency" }));
  });

  it("the cardholder's PINs are 1 to 12 digits each, 1234 by default", () => {
    expect(cardholderPins()).toEqual(["1234"]);
    expect(cardholderPins(["0000", "123456789012"])).toEqual(["0000", "123456789012"]);
    for (const bad of [[""], ["1234567890123"], ["12a4"]]) expect(() => cardholderPins(bad)).toThrow(expect.objectContaining({ code: "pin" }));
  });
});
