import { runSoak } from "../../host-sim/soak/run-soak";
import { SOAK_MIX, soakSchedule } from "../../host-sim/soak/mix";
import { FIRMWARE_SOAK_MIX } from "../../host-sim/soak/firmware-mix";
import { runFirmwareSoak } from "../../host-sim/soak/firmware-soak";
import { ChannelScanner } from "../../host-sim/leak-check/channel-scanner";
import { scanText } from "../../host-sim/leak-check/scan";
import { readerSecrets } from "../../host-sim/leak-check/secrets";
import { mpos } from "../support/cli";

// Issue 12, item 2: the soak, bounded for npm test (300 transactions on the XS engine; the full
// 10,000 are `mpos soak --transactions 10000`).

describe("soak: consecutive transactions of mixed kinds on one reader", () => {
  it("306 transactions on XS: every kind runs, the live heap stays flat after warm-up, no KSN repeats, the log stays consistent, nothing leaks", async () => {
    // Readings every three cycles of the mix (51 transactions), so each is taken at the same point of it.
    const r = await runSoak({ transactions: 306, engine: "xs", batch: 3 * soakSchedule().length });
    process.stdout.write(`soak on XS: ${r.transactions} transactions, live slots ${r.heap.samples.join(" ")}, ${r.ksn.envelopes} envelope KSNs, ${r.ksn.pinBlocks} PIN KSNs\n`);
    expect(Object.keys(r.byKind).sort()).toEqual(SOAK_MIX.map((k) => k.name).sort());
    expect(r.heap.growthSlots).not.toBeNull();
    expect(r.heap.growthSlots as number).toBeLessThanOrEqual(64);
    expect(r.ksn.repeats).toEqual([]);
    expect(r.ksn.envelopes).toBeGreaterThan(200);
    expect(r.ksn.pinBlocks).toBeGreaterThan(50);
    expect(r.log.violations).toEqual([]);
    expect(r.log.lastTransactionId).toBe(306);
    expect(r.leaks).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("the mix is repeatable: the same seed gives the same outcomes on Node and on XS", async () => {
    const onNode = await runSoak({ transactions: soakSchedule().length, engine: "node" });
    const onXs = await runSoak({ transactions: soakSchedule().length, engine: "xs" });
    expect(onXs.byKind).toEqual(onNode.byKind);
    expect(onNode.ok).toBe(true);
  });

  it("mpos soak answers one JSON object and refuses bad options", async () => {
    const ok = await mpos("soak", "--transactions", "5", "--engine", "node", "--json");
    expect(ok.status).toBe(0);
    expect(ok.json).toMatchObject({ transactions: 5, ok: true, ksn: { repeats: [] }, leaks: [] });
    expect((await mpos("soak", "--json")).status).toBe(2);
    expect((await mpos("soak", "--transactions", "x", "--json")).status).toBe(2);
    expect((await mpos("soak", "--transactions", "5", "--engine", "v8", "--json")).status).toBe(2);
  });
});

// Issue 12, item 2 on the device's firmware: phone -> BLE -> the firmware on XS, one phone paired
// for the whole run, modeled time. Bounded here (120 payments, six cycles of the mix, under a minute
// on XS); the full runs are `mpos soak --firmware --transactions 1000|10000`.

describe("soak --firmware: consecutive payments through a phone over BLE to the device's firmware", () => {
  const cycle = soakSchedule(FIRMWARE_SOAK_MIX).length;

  it("120 payments on XS: every kind runs, the RAM at rest stays flat after warm-up, no KSN repeats, each id reaches the phone once, a pulled card's reversal is collected, nothing leaks on any channel", async () => {
    const r = await runFirmwareSoak({ transactions: 6 * cycle, engine: "xs", sampleEvery: cycle, reconnectEvery: 10 });
    process.stdout.write(`soak --firmware on XS: ${r.transactions} payments in ${r.wallSeconds} s, RAM at rest ${r.heap.samples.join(" ")} bytes, ${r.ble.frames} BLE frames\n`);
    expect(Object.keys(r.byKind).sort()).toEqual(FIRMWARE_SOAK_MIX.map((k) => k.name).sort());
    expect(r.byKind["contact timeout"]).toEqual({ timeout: 6 });
    expect(r.byKind["contact cancelled"]).toEqual({ cancelled: 6 });
    expect(r.heap.samples).toHaveLength(6);
    expect(r.heap.growthBytes).not.toBeNull();
    expect(r.heap.growthBytes as number).toBeLessThanOrEqual(1024);
    expect(r.ksn.repeats).toEqual([]);
    expect(r.ksn.envelopes).toBeGreaterThan(80);
    expect(r.ksn.pinBlocks).toBeGreaterThan(20);
    expect(r.log).toMatchObject({ violations: [], lastTransactionId: 6 * cycle, reconnects: 13, reversalsCollected: 6 });
    expect(r.scanned["BLE frame to-reader"]).toBeGreaterThan(500);
    expect(r.scanned["BLE frame to-phone"]).toBeGreaterThan(500);
    expect(r.scanned["messages the phone's session decrypted"]).toBe(6 * cycle);
    expect(r.scanned["reader display"]).toBeGreaterThan(6 * cycle);
    expect(r.scanned["reversal records to the phone"]).toBe(6);
    expect(r.leaks).toEqual([]);
    expect(Object.keys(r.figures).sort()).toEqual(Object.keys(r.byKind).sort());
    for (const f of Object.values(r.figures)) expect(f.meanCompute).toBeGreaterThan(0);
    expect(r.ok).toBe(true);
  }, 180_000);

  it("the firmware's mix is repeatable: one cycle gives the same outcomes, KSNs and log on Node and on XS", async () => {
    const onNode = await runFirmwareSoak({ transactions: cycle, engine: "node" });
    const onXs = await runFirmwareSoak({ transactions: cycle, engine: "xs" });
    expect(onXs.byKind).toEqual(onNode.byKind);
    expect(onXs.ksn).toEqual(onNode.ksn);
    expect(onXs.log).toEqual(onNode.log);
    expect(onNode.figures).toEqual({});
    expect(onNode.ok).toBe(true);
  });

  it("the leak scan is live: a PAN put on the air in a frame is a hit named by its label, never the PAN", () => {
    const scanner = new ChannelScanner(readerSecrets());
    expect(scanner.tap("to-phone", new TextEncoder().encode("5A08 4761739001010010"))).toHaveLength(1);
    scanner.tap("to-reader", Uint8Array.of(0x01, 0x02));
    expect(scanner.leaks).toEqual([{ channel: "BLE frame to-phone", label: "PAN of visa-cda" }]);
    expect(scanner.counts).toEqual({ "BLE frame to-phone": 1, "BLE frame to-reader": 1 });
    expect(JSON.stringify(scanner.leaks)).not.toMatch(/4761739001010010/);
  });

  it("mpos soak --firmware answers one JSON object, its readable report holds no secret, and it refuses bad options", async () => {
    const ok = await mpos("soak", "--firmware", "--transactions", "4", "--engine", "node", "--reconnect-every", "2", "--json");
    expect(ok.status).toBe(0);
    expect(ok.json).toMatchObject({ firmware: true, transactions: 4, ok: true, ksn: { repeats: [] }, log: { reconnects: 3 }, leaks: [] });
    const text = await mpos("soak", "--firmware", "--transactions", "4", "--engine", "node");
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^4 transactions through phone -> BLE -> the firmware on node/);
    expect(text.stdout).toMatch(/soak passed$/m);
    expect(scanText(readerSecrets(), "mpos soak --firmware", text.stdout + text.stderr)).toEqual([]);
    expect((await mpos("soak", "--transactions", "4", "--reconnect-every", "2", "--json")).status).toBe(2);
    expect((await mpos("soak", "--firmware", "--transactions", "4", "--reconnect-every", "0", "--json")).status).toBe(2);
  });
});
