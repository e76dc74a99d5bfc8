import { runScenario, type ScenarioReport } from "../../host-sim/scenario/run-scenario";

// Issue 8, "Done when": a power loss injected at every storage write of a transaction (the key
// store's DUKPT counters and the transaction log alike), with each flash outcome (the write lost,
// applied, or torn), then power-on and a second payment. Afterwards: no double charge (an approval
// of the first payment stands as reported - live, or from the log's held outcomes once the phone
// connects again - or is reversed, never both), no lost reversal, no reversal twice, no KSN used
// twice, no payment reported twice, and the reader works again.

const POWER_ON_MS = 30000;

interface Base {
  name: string;
  amount: string;
  first: object[];
  second: object[];
  config?: object;
}

const BASES: Base[] = [
  {
    name: "chip, online PIN, online approval",
    amount: "12.34",
    first: [{ at: 500, do: "insert", card: "visa-cda" }, { at: 2000, do: "keys", keys: "1234E" }, { at: 8000, do: "remove" }],
    second: [{ at: POWER_ON_MS + 500, do: "insert", card: "visa-cda" }, { at: POWER_ON_MS + 2000, do: "keys", keys: "1234E" }, { at: POWER_ON_MS + 8000, do: "remove" }],
  },
  {
    name: "chip, Quick Chip",
    amount: "12.34",
    config: { quickChip: true },
    first: [{ at: 500, do: "insert", card: "visa-cda" }, { at: 2000, do: "keys", keys: "1234E" }, { at: 8000, do: "remove" }],
    second: [{ at: POWER_ON_MS + 500, do: "insert", card: "visa-cda" }, { at: POWER_ON_MS + 2000, do: "keys", keys: "1234E" }, { at: POWER_ON_MS + 8000, do: "remove" }],
  },
  {
    name: "swipe, online",
    amount: "12.34",
    first: [{ at: 500, do: "swipe", card: "magstripe-only" }],
    second: [{ at: POWER_ON_MS + 500, do: "swipe", card: "magstripe-only" }],
  },
  {
    name: "tap, phone wallet, online",
    amount: "150.00",
    first: [{ at: 500, do: "tap", card: "mc-wallet" }, { at: 5000, do: "remove" }],
    second: [{ at: POWER_ON_MS + 500, do: "tap", card: "mc-wallet" }, { at: POWER_ON_MS + 5000, do: "remove" }],
  },
];

function scenario(base: Base, powerCut?: { atWrite: number; outcome: string }): object {
  const s: Record<string, unknown> = {
    amount: base.amount,
    steps: [...base.first, { at: POWER_ON_MS - 1000, do: "power-on" }, { at: POWER_ON_MS, do: "start" }, ...base.second],
  };
  if (base.config) s.config = base.config;
  if (powerCut) s.powerCut = powerCut;
  return s;
}

/** The rules that must hold after any power loss in the first payment. */
function checkRecovery(r: ScenarioReport, label: string): void {
  const firstAuths = r.authorizations.filter((a) => a.atMs < POWER_ON_MS - 1000);
  const approvedFirst = firstAuths.filter((a) => a.approved);
  expect({ label, approvals: approvedFirst.length <= 1 }).toEqual({ label, approvals: true });
  const first = r.transactions.filter((t) => t.modeledMs !== undefined && t.outcome !== undefined)[0];
  for (const a of approvedFirst) {
    const reported = r.transactions.some((t) => t.transactionId === a.transactionId && t.outcome === "online-approved");
    const reversals = r.reversals.filter((v) => v.transactionId === a.transactionId && v.collectedAtMs < POWER_ON_MS);
    // No double charge, no lost reversal: the approval is either reported as standing, or reversed.
    // A decided outcome ("completed" in the log) is held for the phone at start-up, never reversed.
    expect({ label, settled: reported || reversals.length === 1 }).toEqual({ label, settled: true });
    expect({ label, reportedAndReversed: reported && reversals.length > 0 }).toEqual({ label, reportedAndReversed: false });
  }
  // No reversal twice, no payment reported twice.
  const reversed = r.reversals.map((v) => `${v.transactionId}@${v.collectedAtMs < POWER_ON_MS ? 1 : 2}`);
  expect({ label, unique: new Set(reversed).size === reversed.length }).toEqual({ label, unique: true });
  const reportedIds = r.transactions.filter((t) => t.transactionId !== undefined).map((t) => t.transactionId);
  expect({ label, unique: new Set(reportedIds).size === reportedIds.length }).toEqual({ label, unique: true });
  // No KSN used twice: every authorization request carried fresh DUKPT keys.
  const ksns = r.authorizations.flatMap((a) => (a.pinKsn ? [a.ksn, a.pinKsn] : [a.ksn]));
  expect({ label, ksns: new Set(ksns).size }).toEqual({ label, ksns: ksns.length });
  // The reader works again: the second payment is approved.
  const last = r.transactions[r.transactions.length - 1];
  expect({ label, outcome: last.outcome }).toEqual({ label, outcome: "online-approved" });
  expect(first).toBeDefined();
}

describe.each(BASES)("power loss at every storage write: $name", (base) => {
  let writes = 0;

  beforeAll(async () => {
    const clean = await runScenario({ amount: base.amount, config: base.config, steps: base.first });
    writes = clean.storageWrites;
  });

  it("a clean run writes the log before each irreversible step", async () => {
    const r = await runScenario(scenario(base));
    expect(writes).toBeGreaterThanOrEqual(4);
    expect(r.transactions.map((t) => t.outcome)).toEqual(["online-approved", "online-approved"]);
    expect(r.reversals).toEqual([]);
    const phases = r.log.filter((e) => e.event === "log" && e.transactionId === 1).map((e) => e.phase);
    expect(phases).toEqual(["begun", "online", "answered", "completed", "closed"]);
  });

  for (const outcome of ["lost", "applied", "torn"]) {
    it(`each write ${outcome}: no double charge, no lost reversal, no reused KSN`, async () => {
      for (let n = 1; n <= writes; n++) {
        const r = await runScenario(scenario(base, { atWrite: n, outcome }));
        expect(r.log.some((e) => e.event === "power-cut")).toBe(true);
        checkRecovery(r, `${base.name}, write ${n} ${outcome}`);
      }
    });
  }
});
