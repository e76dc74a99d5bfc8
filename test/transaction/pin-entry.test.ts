import { DEFAULT_TRANSACTION_CONFIG, PinBuffer, PinEntry, PinRateLimit, type PinEntryRules } from "../../kernel/transaction";

// Secure PIN entry (issue 8, item 4): digits only into the PIN buffer, 4 to 12 of them (ISO 9564-1:2017,
// 8.1), Clear by configuration, Enter, Cancel, bypass only where allowed, inactivity and total
// timeouts, the buffer zeroized as soon as the digits are taken, and the hourly limit on PIN entries.

const rules = (over: Partial<PinEntryRules> = {}): PinEntryRules => ({ ...DEFAULT_TRANSACTION_CONFIG.pin, ...over });
const ascii = (b: Uint8Array) => String.fromCharCode(...b);

function type(entry: PinEntry, keys: string, at = 0) {
  let last;
  for (const ch of keys) {
    const key = ch === "E" ? "enter" : ch === "C" ? "clear" : ch === "X" ? "cancel" : ch;
    last = entry.press(key as never, at);
  }
  return last;
}

describe("PIN buffer", () => {
  it("holds at most 12 digits (ISO 9564-1:2017, 8.1)", () => {
    const b = new PinBuffer();
    for (let i = 0; i < 12; i++) expect(b.add("7")).toBe(true);
    expect(b.add("7")).toBe(false);
    expect(b.length).toBe(12);
  });

  it("hands its digits over once and is zeroized by it", () => {
    const b = new PinBuffer();
    for (const d of "0412") b.add(d as never);
    const pin = b.take();
    expect(ascii(pin)).toBe("0412");
    expect(b.length).toBe(0);
    expect(b.take()).toEqual(new Uint8Array(0));
  });

  it("never serializes or prints its digits", () => {
    const b = new PinBuffer();
    for (const d of "1234") b.add(d as never);
    expect(JSON.stringify({ b })).toBe('{"b":"[redacted]"}');
    expect(String(b)).toBe("[redacted]");
  });
});

describe("PIN entry", () => {
  it("shows one asterisk per digit: the outcome counts digits, never shows them", () => {
    const e = new PinEntry(rules(), 0);
    expect(e.press("1", 0)).toEqual({ kind: "continue", digits: 1 });
    expect(e.press("2", 0)).toEqual({ kind: "continue", digits: 2 });
  });

  it("Enter with fewer than 4 digits is refused and the entry goes on", () => {
    const e = new PinEntry(rules(), 0);
    expect(type(e, "123E")).toEqual({ kind: "refused", digits: 3, why: "too-short" });
    const r = type(e, "4E");
    expect(r?.kind).toBe("entered");
    if (r?.kind === "entered") expect(ascii(r.pin)).toBe("1234");
  });

  it("a 13th digit is refused (the buffer is full)", () => {
    const e = new PinEntry(rules(), 0);
    expect(type(e, "1234567890123")).toEqual({ kind: "refused", digits: 12, why: "full" });
  });

  it("a PIN shorter than the configured minimum is refused", () => {
    const e = new PinEntry(rules({ minDigits: 6 }), 0);
    expect(type(e, "12345E")).toEqual({ kind: "refused", digits: 5, why: "too-short" });
  });

  it("Clear removes the last digit when so configured", () => {
    const e = new PinEntry(rules({ clearKey: "last-digit" }), 0);
    const r = type(e, "1239C4E");
    expect(r?.kind === "entered" && ascii(r.pin)).toBe("1234");
  });

  it("Clear removes every digit when so configured", () => {
    const e = new PinEntry(rules({ clearKey: "all-digits" }), 0);
    expect(type(e, "99C")).toEqual({ kind: "continue", digits: 0 });
    const r = type(e, "1234E");
    expect(r?.kind === "entered" && ascii(r.pin)).toBe("1234");
  });

  it("Enter with no digit bypasses the PIN only where bypass is allowed (Book 3, 10.5.1)", () => {
    expect(type(new PinEntry(rules({ bypassAllowed: true }), 0), "E")).toEqual({ kind: "bypassed" });
    expect(type(new PinEntry(rules({ bypassAllowed: false }), 0), "E")).toEqual({ kind: "refused", digits: 0, why: "bypass-not-allowed" });
  });

  it("Cancel ends the entry and zeroizes the buffer", () => {
    const e = new PinEntry(rules(), 0);
    expect(type(e, "12X")).toEqual({ kind: "cancelled" });
    expect(e.digits).toBe(0);
  });

  it("times out after the inactivity time without a key, each key restarting it", () => {
    const e = new PinEntry(rules({ inactivityTimeoutMs: 15000, totalTimeoutMs: 60000 }), 1000);
    expect(e.deadlineMs()).toBe(16000);
    e.press("1", 10000);
    expect(e.deadlineMs()).toBe(25000);
    expect(e.expired(24999)).toBe(false);
    expect(e.expired(25000)).toBe(true);
    expect(e.digits).toBe(0);
  });

  it("times out at the total time however often keys are pressed", () => {
    const e = new PinEntry(rules({ inactivityTimeoutMs: 10000, totalTimeoutMs: 20000 }), 0);
    for (let t = 5000; t < 20000; t += 5000) e.press("1", t);
    expect(e.deadlineMs()).toBe(20000);
    expect(e.expired(20000)).toBe(true);
  });
});

describe("PIN entry limit (PCI PTS POI: 120 an hour)", () => {
  it("allows 120 entries in an hour, then the next one an hour after the first", () => {
    const limit = new PinRateLimit(120);
    for (let i = 0; i < 120; i++) {
      expect(limit.allows(i * 1000)).toBe(true);
      limit.record(i * 1000);
    }
    expect(limit.allows(200000)).toBe(false);
    expect(limit.nextAllowedMs(200000)).toBe(3600000);
    expect(limit.allows(3600000)).toBe(true);
  });
});
