import { DEFAULT_TRANSACTION_CONFIG, loadTransactionConfig, TransactionError } from "../../kernel/transaction";

// The payment configuration is checked once, at load: a bad value names its field.
describe("transaction configuration", () => {
  it("defaults: every interface, PIN 4 to 12 digits, bypass not allowed, 120 PINs an hour, three chip failures", () => {
    const c = loadTransactionConfig({});
    expect(c).toEqual(DEFAULT_TRANSACTION_CONFIG);
    expect(c.pin).toMatchObject({ minDigits: 4, maxDigits: 12, bypassAllowed: false, maxEntriesPerHour: 120 });
    expect(c.chipFailuresBeforeFallback).toBe(3);
  });

  it("takes a list of interfaces, Quick Chip and the reader's contactless limit", () => {
    const c = loadTransactionConfig({ interfaces: ["contact", "magstripe"], quickChip: true, contactlessLimit: 5000 });
    expect(c.interfaces).toEqual({ contact: true, contactless: false, magstripe: true });
    expect(c.quickChip).toBe(true);
    expect(c.contactlessLimit).toBe(5000);
  });

  it.each([
    [{ pin: { minDigits: 3 } }, "pin.minDigits"],
    [{ pin: { maxDigits: 13 } }, "pin.maxDigits"],
    [{ pin: { maxEntriesPerHour: 121 } }, "pin.maxEntriesPerHour"],
    [{ pin: { clearKey: "one" } }, "pin.clearKey"],
    [{ pin: { inactivityTimeoutMs: 20000, totalTimeoutMs: 10000 } }, "pin.totalTimeoutMs"],
    [{ interfaces: ["chip"] }, "interfaces"],
    [{ interfaces: [] }, "interfaces"],
    [{ timeouts: { cardMs: 0 } }, "timeouts.cardMs"],
    [{ quickChip: "yes" }, "quickChip"],
    [{ fallback: true }, "fallback"],
  ])("refuses %j, naming %s", (json, field) => {
    expect(() => loadTransactionConfig(json)).toThrow(TransactionError);
    expect(() => loadTransactionConfig(json)).toThrow(field);
  });
});
