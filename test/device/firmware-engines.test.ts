import { mpos } from "../support/cli";
import { RigPool, runOnFirmware } from "../../host-sim/xs-bridge/firmware-sim-run";
import { tapOnFirmware, type FirmwareTapOptions } from "../../host-sim/xs-bridge/firmware-contactless-run";
import type { SimRunOptions } from "../../host-sim/sim";

// Issue 10, "Done when": every simulator card through the device's firmware - the ESP32's start-up
// and phone protocol (host-sim/xs-bridge/reader-device.ts) - on the real XS engine and on Node
// reaches identical outcomes, as a scripted phone sees them over the BLE loopback. One reader an
// engine and currency, paired once, takes every payment in turn (host-sim/xs-bridge/phone-rig.ts),
// so both engines run the same sequence (the KSNs match too). The date is fixed so that the cards'
// expiry dates give the same answer every year.

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
  ["chip-broken: the chip never answers", { card: "chip-broken", interface: "contact", amount: "12.34" }],
  ["magstripe-only inserted: no chip", { card: "magstripe-only", interface: "contact", amount: "12.34" }],
  ["magstripe-only swiped", { card: "magstripe-only", interface: "magstripe", amount: "12.34", seed: 7 }],
  ["chip-magstripe-201 swiped: use the chip", { card: "chip-magstripe-201", interface: "magstripe", amount: "12.34" }],
  ["visa-cda swiped", { card: "visa-cda", interface: "magstripe", amount: "5.00" }],
];

const TAPS: [string, FirmwareTapOptions][] = [
  ["visa-cda at 5.00: C-3, fDDA, offline", { cards: ["visa-cda"], amount: "5.00", date: "250601", time: "120000" }],
  ["visa-cda at 150.00: online PIN after the tap", { cards: ["visa-cda"], amount: "150.00", date: "250601", time: "120000" }],
  ["mc-cda-offline-pin at 5.00: C-2, CDA", { cards: ["mc-cda-offline-pin"], amount: "5.00", date: "250601", time: "120000" }],
  ["visa-wallet at 150.00: CDCVM", { cards: ["visa-wallet"], amount: "150.00", date: "250601", time: "120000" }],
  ["two cards: present one card only, then the first pays", { cards: ["visa-cda", "mc-cda-offline-pin"], amount: "5.00", date: "250601", time: "120000" }],
  ["over the contactless limit: try another interface", { cards: ["visa-cda"], amount: "1000.00", date: "250601", time: "120000" }],
];

const XS_METER = { compute: expect.any(Number), allocate: expect.any(Number), peakHeapBytes: expect.any(Number) };

describe("every `sim run` card on the device's firmware, on XS and on Node: identical outcomes", () => {
  const node = new RigPool();
  const xs = new RigPool();
  afterAll(async () => {
    await node.close();
    await xs.close();
  });

  it.each(SCENARIOS)("%s", async (_name, scenario) => {
    const options = { ...scenario, ...DATE };
    const onNode = await runOnFirmware(options, "node", node);
    const onXs = await runOnFirmware(options, "xs", xs);
    expect({ ...onXs, xs: null }).toEqual(onNode);
    expect(onNode.xs).toBeNull();
    if (scenario.card === "magstripe-only" && scenario.interface === "contact") return;
    expect(onXs.xs).toEqual(XS_METER);
    expect(onXs.xs!.compute).toBeGreaterThan(0);
    expect(onXs.xs!.peakHeapBytes).toBeGreaterThan(0);
  });

  it("a chip card swiped where the payment takes only the stripe: insert-card, as the reference run says (ISO/IEC 7813 service code 2xx)", async () => {
    const r = await runOnFirmware({ card: "chip-magstripe-201", interface: "magstripe", amount: "12.34", ...DATE }, "node", node);
    expect(r).toMatchObject({ outcome: "insert-card", reason: "tryAnotherInterface" });
    expect(r.prompts[r.prompts.length - 1]).toBe("useChipReader");
  });

  it.each(TAPS)("tap: %s", async (_name, tap) => {
    const onNode = await tapOnFirmware(tap, "node", node);
    const onXs = await tapOnFirmware(tap, "xs", xs);
    expect({ ...onXs, xs: null }).toEqual(onNode);
    expect(onXs.xs).toEqual(XS_METER);
    expect(onXs.xs!.peakHeapBytes).toBeGreaterThan(0);
  });

  it("what the phone learned: chip and online PIN approved online, the envelope opened by the issuer; never a PIN or PAN in clear", async () => {
    const r = await runOnFirmware({ card: "visa-cda", interface: "contact", amount: "12.34", pins: ["1234"], ...DATE }, "node", node);
    expect(r).toMatchObject({ outcome: "online-approved", cvm: "online-pin", arc: "00", p2pe: { decryptedByHost: true } });
    expect(r.maskedPan).toMatch(/^[0-9]{6}\*+[0-9]{4}$/);
    expect(r.prompts).toEqual(expect.arrayContaining(["enterPin", "approved"]));
    expect(r.apdus).toBeGreaterThan(5);
    expect(JSON.stringify(r)).not.toMatch(/4761739001010010|1234E/);
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
    expect(node.json).toMatchObject({ outcome: "online-approved", cvm: "online-pin" });
  });

  it("--interface contactless --engine node: a tap on the firmware", async () => {
    const r = await mpos("sim", "run", "--card", "visa-cda", "--interface", "contactless", "--amount", "5.00", "--date", "250601", "--engine", "node", "--json");
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ outcome: "approved", xs: null });
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
