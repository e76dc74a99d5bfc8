import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { onBothEngines, startXs } from "../support/xs";

// The EMV contact kernel on the real XS engine: whole simulated transactions (virtual card, virtual
// ICC at byte level, ISO 7816-3 engines, the Book 3 kernel, issuer host, key store) give exactly the
// same report on XS as on Node: the same TVR, cryptogram type, KSN, APDU count and line time.
describe("emv.simRun on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  const base = { amount: "12.34", date: "250615", time: "120000" };
  const runs: [string, Record<string, unknown>][] = [
    ["visa-cda: CDA, online PIN, online-approved", { ...base, card: "visa-cda", interface: "contact", pins: ["1234"] }],
    ["mc-cda-offline-pin: offline enciphered PIN, T=1, approved offline", { ...base, card: "mc-cda-offline-pin", interface: "contact", protocol: "t1" }],
    ["mc-dda: DDA, ARPC method 2", { ...base, card: "mc-dda", interface: "contact" }],
    ["visa-sda at 1000.00: online-declined", { ...base, card: "visa-sda", interface: "contact", amount: "1000.00" }],
    ["expired: declined", { ...base, card: "expired", interface: "contact" }],
    ["chip-broken: fallback", { ...base, card: "chip-broken", interface: "contact" }],
    ["magstripe-only swiped", { ...base, card: "magstripe-only", interface: "magstripe" }],
    ["chip-magstripe-201 swiped: insert card", { ...base, card: "chip-magstripe-201", interface: "magstripe" }],
  ];

  it.each(runs)("%s: identical reports", async (_name, args) => {
    const r = await onBothEngines(xs, "emv.simRun", args);
    expect(r.xs).toEqual(r.node);
  });

  it("reports the XS meter of a CDA transaction with online PIN", async () => {
    const r = await xs.call("emv.simRun", { ...base, card: "visa-cda", interface: "contact", pins: ["1234"] });
    expect(r.value).toMatchObject({ outcome: "online-approved", cvm: "online-pin" });
    expect(r.meter!.compute).toBeGreaterThan(0);
    expect(r.meter!.currentHeapCount).toBeGreaterThan(0);
  });

  it("decodes a CVM List the same way", async () => {
    const r = await onBothEngines(xs, "emv.cvmList", { hex: "000000000000000042035E031F03" });
    expect(r.xs).toEqual(r.node);
    expect((r.xs as { rules: unknown[] }).rules).toHaveLength(3);
  });
});
