import { mpos } from "../support/cli";
import { runOnFirmware } from "../../host-sim/xs-bridge/firmware-sim-run";
import { simRun } from "../../host-sim/xs-engine/services/emv";
import { runContactless } from "../../host-sim/picc/run-contactless";
import { tapOnFirmware, type FirmwareTapOptions } from "../../host-sim/xs-bridge/firmware-contactless-run";
import type { SimRunOptions } from "../../host-sim/sim";

// Issue 10, "Done when": every simulator scenario with the reader firmware on the real XS engine
// (its HAL served by the mock hardware over the bridge) and on Node reaches identical outcomes -
// and the same report as `mpos sim run` without the firmware, whose reader part is the same kernel.
// The date is fixed so that the cards' expiry dates give the same answer every year.

const DATE = { date: "250615", time: "120000" };

const SCENARIOS: [string, SimRunOptions][] = [
  ["visa-cda, online PIN, CDA", { card: "visa-cda", interface: "contact", amount: "12.34", pins: ["1234"] }],
  ["visa-cda over T=1", { card: "visa-cda", interface: "contact", amount: "12.34", protocol: "t1" }],
  ["visa-cda, the issuer declines 1000.00", { card: "visa-cda", interface: "contact", amount: "1000.00" }],
  ["visa-cda, a wrong online PIN", { card: "visa-cda", interface: "contact", amount: "12.34", pins: ["9999"] }],
  ["visa-sda, signature", { card: "visa-sda", interface: "contact", amount: "12.34" }],
  ["mc-dda over T=1, ARPC method 2", { card: "mc-dda", interface: "contact", amount: "12.34", protocol: "t1" }],
  ["mc-cda-offline-pin, wrong then right offline PIN", { card: "mc-cda-offline-pin", interface: "contact", amount: "12.34", pins: ["0000", "1234"] }],
  ["amex-online-pin in EUR", { card: "amex-online-pin", interface: "contact", amount: "12.34", currency: "EUR" }],
  ["expired", { card: "expired", interface: "contact", amount: "12.34" }],
  ["pin-blocked", { card: "pin-blocked", interface: "contact", amount: "12.34" }],
  ["revoked-issuer-cert", { card: "revoked-issuer-cert", interface: "contact", amount: "12.34" }],
  ["chip-broken: fallback to the stripe", { card: "chip-broken", interface: "contact", amount: "12.34" }],
  ["magstripe-only inserted: no chip", { card: "magstripe-only", interface: "contact", amount: "12.34" }],
  ["magstripe-only swiped", { card: "magstripe-only", interface: "magstripe", amount: "12.34", seed: 7 }],
  ["chip-magstripe-201 swiped: insert the card", { card: "chip-magstripe-201", interface: "magstripe", amount: "12.34" }],
  ["visa-cda swiped", { card: "visa-cda", interface: "magstripe", amount: "5.00" }],
];

describe("every `sim run` scenario, firmware on XS and on Node: identical outcomes", () => {
  it.each(SCENARIOS)("%s", async (_name, scenario) => {
    const options = { ...scenario, ...DATE };
    const reference = await simRun(options);
    const node = await runOnFirmware(options, "node");
    const xs = await runOnFirmware(options, "xs");
    const { xs: nodeMeter, ...onNode } = node;
    const { xs: xsMeter, ...onXs } = xs;
    expect(onXs).toEqual(onNode);
    expect(onNode).toEqual(reference);
    expect(nodeMeter).toBeNull();
    expect(xsMeter).toEqual({ compute: expect.any(Number), allocate: expect.any(Number), peakHeapBytes: expect.any(Number) });
    expect(xsMeter!.compute).toBeGreaterThan(0);
    expect(xsMeter!.peakHeapBytes).toBeGreaterThan(0);
  });
});

const TAPS: [string, FirmwareTapOptions][] = [
  ["visa-cda at 5.00: C-3, fDDA, offline", { cards: ["visa-cda"], amount: "5.00", date: "250601", time: "120000" }],
  ["visa-cda at 150.00: online PIN after the tap", { cards: ["visa-cda"], amount: "150.00", date: "250601", time: "120000" }],
  ["mc-cda-offline-pin at 5.00: C-2, CDA", { cards: ["mc-cda-offline-pin"], amount: "5.00", date: "250601", time: "120000" }],
  ["visa-wallet at 150.00: CDCVM", { cards: ["visa-wallet"], amount: "150.00", date: "250601", time: "120000" }],
  ["two cards: collision", { cards: ["visa-cda", "mc-cda-offline-pin"], amount: "5.00", date: "250601", time: "120000" }],
  ["over the contactless limit: try another interface", { cards: ["visa-cda"], amount: "1000.00", date: "250601", time: "120000" }],
];

describe("contactless taps, firmware on XS and on Node: identical outcomes", () => {
  it.each(TAPS)("%s", async (_name, tap) => {
    const node = await tapOnFirmware(tap, "node");
    const xs = await tapOnFirmware(tap, "xs");
    expect({ ...xs, xs: null }).toEqual(node);
    expect(xs.xs!.peakHeapBytes).toBeGreaterThan(0);
    // The simulator's own run models the reader's computing time too; the outcome is the same.
    const { apdus: _a, modeledMs: _m, interface: _i, tap: _t, ...reference } = await runContactless(tap);
    const { xs: _x, ...onFirmware } = node;
    expect(onFirmware).toEqual(reference);
  });
});

describe("mpos sim run --engine", () => {
  const ARGS = ["sim", "run", "--card", "visa-cda", "--interface", "contact", "--amount", "12.34", "--date", "250615", "--time", "120000"];

  it("--engine xs adds the XS meter of the payment; --engine node adds xs: null", async () => {
    const xs = await mpos(...ARGS, "--engine", "xs", "--json");
    expect(xs.status).toBe(0);
    expect(Object.keys(xs.json.xs)).toEqual(["compute", "allocate", "peakHeapBytes"]);
    const node = await mpos(...ARGS, "--engine", "node", "--json");
    expect(node.status).toBe(0);
    expect(node.json.xs).toBeNull();
    expect({ ...xs.json, xs: null }).toEqual(node.json);
  });

  it("an unknown engine is a usage error: exit 2, one JSON error object", async () => {
    const r = await mpos(...ARGS, "--engine", "v8", "--json");
    expect(r.status).toBe(2);
    expect(Object.keys(r.json)).toEqual(["error"]);
  });

  it("the readable report names the engine's meter and never the PAN", async () => {
    const r = await mpos(...ARGS, "--engine", "xs");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^XS meter +compute \d+, peak heap \d+ bytes/m);
    expect(r.stdout).not.toMatch(/4761739001010010/);
  });
});
