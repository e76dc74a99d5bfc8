import { preProcessCombination, preProcessing } from "../../kernel/contactless/pre-processing";
import { readerConfig } from "./support";

// EMV Contactless Book B, 3.1.1, on the simulated reader's combinations: contactless below 1000.00,
// offline up to 100.00 (floor limit), a CVM from 100.00.
describe("Entry Point pre-processing (Book B, 3.1.1)", () => {
  const config = readerConfig();
  const visa = config.combinations.find((c) => c.kernelId === 3)!;

  it("3.1.1.1: the TTQ copy has byte 2 b8 and b7 cleared before the amount is looked at", () => {
    const ind = preProcessCombination({ ...visa, ttq: Uint8Array.of(0x36, 0xc0, 0x40, 0x80) }, 500, 100);
    expect(Array.from(ind.ttq!)).toEqual([0x36, 0x00, 0x40, 0x80]);
  });

  it("3.1.1.5 and 3.1.1.8: above the floor limit an online cryptogram is required (TTQ byte 2 b8)", () => {
    expect(preProcessCombination(visa, 10000, 100)).toMatchObject({ readerContactlessFloorLimitExceeded: false });
    const over = preProcessCombination(visa, 10001, 100);
    expect(over.readerContactlessFloorLimitExceeded).toBe(true);
    expect(over.ttq![1] & 0x80).toBe(0x80);
  });

  it("3.1.1.7 and 3.1.1.11: at the CVM required limit a CVM is required (TTQ byte 2 b7)", () => {
    expect(preProcessCombination(visa, 9999, 100).readerCvmRequiredLimitExceeded).toBe(false);
    const at = preProcessCombination(visa, 10000, 100);
    expect(at.readerCvmRequiredLimitExceeded).toBe(true);
    expect(at.ttq![1] & 0x40).toBe(0x40);
  });

  it("3.1.1.4: at the reader contactless transaction limit contactless is not allowed", () => {
    expect(preProcessCombination(visa, 99999, 100).contactlessApplicationNotAllowed).toBe(false);
    expect(preProcessCombination(visa, 100000, 100).contactlessApplicationNotAllowed).toBe(true);
  });

  it("3.1.1.2 and 3.1.1.9: a single unit of currency asks for a status check, online", () => {
    const ind = preProcessCombination({ ...visa, statusCheckSupported: true }, 100, 100);
    expect(ind.statusCheckRequested).toBe(true);
    expect(ind.ttq![1] & 0x80).toBe(0x80);
    expect(preProcessCombination(visa, 100, 100).statusCheckRequested).toBe(false);
  });

  it("3.1.1.3 and 3.1.1.10: a zero amount is not allowed, or goes online, or is refused by an offline-only reader", () => {
    expect(preProcessCombination({ ...visa, zeroAmountAllowed: false }, 0, 100).contactlessApplicationNotAllowed).toBe(true);
    const zero = preProcessCombination(visa, 0, 100);
    expect(zero).toMatchObject({ zeroAmount: true, contactlessApplicationNotAllowed: false });
    expect(zero.ttq![1] & 0x80).toBe(0x80);
    const offlineOnly = preProcessCombination({ ...visa, ttq: Uint8Array.of(0x3e, 0, 0, 0) }, 0, 100);
    expect(offlineOnly.contactlessApplicationNotAllowed).toBe(true);
  });

  it("3.1.1.6: without a reader contactless floor limit the terminal floor limit applies", () => {
    const { floorLimit: _omit, ...noFloor } = visa;
    void _omit;
    expect(preProcessCombination(noFloor, 1, 100, 0).readerContactlessFloorLimitExceeded).toBe(true);
    expect(preProcessCombination(noFloor, 1, 100, undefined).readerContactlessFloorLimitExceeded).toBe(false);
  });

  it("3.1.1.13: when no combination allows contactless the outcome is Try Another Interface", () => {
    const r = preProcessing(config.combinations, 150000, 2);
    expect(r.kind).toBe("outcome");
    if (r.kind === "outcome") {
      expect(r.outcome).toMatchObject({ outcome: "try-another-interface", alternateInterface: "contact" });
      expect(r.outcome.uiOnOutcome).toMatchObject({ message: "insertOrSwipeCard", status: "processingError" });
    }
    const ok = preProcessing(config.combinations, 500, 2);
    expect(ok.kind === "ok" && ok.combinations.length).toBe(2);
  });
});
