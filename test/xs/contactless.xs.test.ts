import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { onBothEngines, startXs } from "../support/xs";

// Issue 7: the contactless kernels run on the real XS engine with the same results as on Node: a
// whole tap (virtual PICCs, ISO/IEC 14443 PCD, Entry Point, C-2 / C-3, issuer host, key store).
describe("contactless on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  const base = { date: "250601", time: "120000" };
  const runs: [string, Record<string, unknown>][] = [
    ["visa-cda 5.00: qVSDC, fDDA, approved offline", { ...base, cards: ["visa-cda"], amount: "5.00" }],
    ["visa-wallet 150.00: CDCVM, online-approved", { ...base, cards: ["visa-wallet"], amount: "150.00" }],
    ["mc-cda-offline-pin 150.00: C-2, CDA, online PIN", { ...base, cards: ["mc-cda-offline-pin"], amount: "150.00" }],
    ["two cards: collision", { ...base, cards: ["visa-cda", "mc-cda-offline-pin"], amount: "5.00" }],
    ["removed mid-transaction: present-card-again", { ...base, cards: ["visa-cda"], amount: "5.00", removeDuringApdu: 3 }],
  ];

  it.each(runs)("%s: identical results", async (_name, args) => {
    const r = await onBothEngines(xs, "contactless.simRun", args);
    expect(r.xs).toEqual(r.node);
  });

  it("reports the XS meter of one tap", async () => {
    const r = await xs.call("contactless.simRun", { ...base, cards: ["visa-cda"], amount: "5.00" });
    expect(r.value).toMatchObject({ outcome: "approved", oda: "fdda", odaResult: "passed" });
    expect(r.meter!.compute).toBeGreaterThan(0);
  });

  it("the level 1 codecs answer the same", async () => {
    expect((await onBothEngines(xs, "contactless.crc", { type: "A", hex: "5000" })).xs).toEqual({ frame: "500057CD" });
    const ats = await onBothEngines(xs, "contactless.ats", { hex: "067577810280" });
    expect(ats.xs).toEqual(ats.node);
  });
});
