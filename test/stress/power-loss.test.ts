import { checkRun, runPowerLossSweep } from "../../host-sim/power-loss/sweep";
import type { SoakTransaction } from "../../host-sim/soak/soak-reader";
import { mpos } from "../support/cli";

// Issue 12, item 3: the power cut at every storage write of a mix of transactions (bounded here to
// three kinds that each go online; `mpos power-loss` sweeps the whole mix). Issue 8: a payment whose
// outcome was decided is held for the phone at start-up, never reversed, and the phone (on the
// SDK's ledger) reports each payment once: no approval is both reported and reversed.

describe("power loss at every storage write", () => {
  it("contact online PIN, contactless wallet, magstripe: no key lost, no KSN reused, no transaction lost or reported twice", async () => {
    const r = await runPowerLossSweep({ kinds: ["contact online-pin", "contactless wallet", "magstripe"] });
    process.stdout.write(`power-loss sweep: ${r.writesPerMix} writes x 3 outcomes = ${r.cases} cuts, ${r.recoveredWithReversal} recovered with a reversal, ` +
      `${r.deliveredFromHeldOutcome} delivered from held outcomes, ${r.heldDuplicatesDropped} held copies dropped, ${r.reportedThenReversed.length} reported then reversed\n`);
    expect(r.writesPerMix).toBeGreaterThan(10);
    expect(r.powerLosses).toBe(r.cases);
    expect(r.failures).toEqual([]);
    expect(r.recoveredWithReversal).toBeGreaterThan(0);
    // The cuts between the outcome and the log's close: the phone had the outcome live and drops the held copy...
    expect(r.heldDuplicatesDropped).toBeGreaterThan(0);
    // ...the cuts between "completed" and the report: the phone gets the outcome from the log once it connects...
    expect(r.deliveredFromHeldOutcome).toBeGreaterThan(0);
    // ...and no approval is reported, then reversed.
    expect(r.reportedThenReversed).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("the checker finds a lost approval, a reused KSN, a twice-collected reversal and keys gone", () => {
    const row = (o: Partial<SoakTransaction>): SoakTransaction => ({ n: 0, kind: "contact online-pin", transactionId: 1, outcome: "online-approved", modeledMs: 1, ...o });
    const proof = row({ n: 9, transactionId: 9, ksn: "K9" });
    expect(checkRun([row({ outcome: "power-loss", powerLoss: true, authorized: { transactionId: 1, approved: true }, recovery: { keys: "ready" } }), proof]).violations)
      .toEqual(["transaction 1: approved by the issuer, neither reported nor reversed (lost)"]);
    expect(checkRun([row({ ksn: "K1" }), row({ transactionId: 2, ksn: "K1" }), proof]).violations).toEqual(["envelope KSN K1 of transaction 1 used again by 2"]);
    expect(checkRun([row({ reversalsCollected: [1], reversal: "noResponse" }), row({ transactionId: 2, reversalsCollected: [1] }), proof]).violations)
      .toEqual(["the reversal of transaction 1 collected twice"]);
    expect(checkRun([row({ outcome: "power-loss", powerLoss: true, recovery: { keys: "no-keys" } }), proof]).violations)
      .toEqual(["after the power loss at transaction 0 the key store is no-keys"]);
    // An approval reported, then reversed for the power loss: one payment reported twice.
    const both = checkRun([row({ powerLoss: true, authorized: { transactionId: 1, approved: true }, reversalsCollected: [1], recovery: { keys: "ready" } }), proof]);
    expect(both.violations).toEqual(["transaction 1: reported as online-approved and reversed too (reported twice)"]);
    expect(both.reportedThenReversed).toEqual([1]);
    expect(checkRun([row({}), row({}), proof]).violations).toEqual(["transaction 1 reported twice", "transaction id 1 after 1: ids are never reused"]);
    expect(checkRun([row({})]).violations).toEqual([]);
  });

  it("mpos power-loss answers one JSON object and refuses an unknown kind", async () => {
    const ok = await mpos("power-loss", "--kinds", "magstripe", "--outcomes", "lost", "--json");
    expect(ok.status).toBe(0);
    expect(ok.json).toMatchObject({ kinds: ["magstripe"], failures: [], ok: true });
    expect((await mpos("power-loss", "--kinds", "nope", "--json")).status).toBe(2);
    expect((await mpos("power-loss", "--outcomes", "melted", "--json")).status).toBe(2);
  });
});
