import { runOnFirmware } from "../../host-sim/xs-bridge/firmware-sim-run";
import type { HeapSample } from "../../host-sim/xs-bridge/firmware-engine";
import { tapOnFirmware } from "../../host-sim/xs-bridge/firmware-contactless-run";

// Issue 10, item 5: the firmware's JavaScript heap on the XS engine through a contact CDA
// transaction with online PIN and through a contactless tap. The XS meter gives the live slot count after a full collection at
// every point where the firmware waits for hardware; the figures are bytes at the ESP32's 16 bytes
// a slot, above the booted, idle firmware. The goal is a peak under 64 KB.

const GOAL_BYTES = 64 * 1024;

describe("the firmware's heap on XS, contact CDA with online PIN", () => {
  it("reports the peak as the largest live heap at any wait, and the payment itself stays under 64 KB above the idle reader", async () => {
    const samples: { sample: HeapSample; phase: string }[] = [];
    const r = await runOnFirmware(
      { card: "visa-cda", interface: "contact", amount: "12.34", pins: ["1234"], date: "250615", time: "120000" },
      "xs",
      { onSample: (sample, phase) => samples.push({ sample, phase }) },
    );
    expect(r).toMatchObject({ outcome: "online-approved", cvm: "online-pin" });
    const pay = samples.filter((s) => s.phase === "pay").map((s) => s.sample);
    const start = samples.filter((s) => s.phase === "start").map((s) => s.sample);
    expect(pay.some((s) => s.waitingFor.includes("cardholder.enterPin"))).toBe(true);
    expect(pay.some((s) => s.waitingFor.includes("acquirer.authorize"))).toBe(true);

    const peak = Math.max(...pay.map((s) => s.heapBytes));
    expect(r.xs!.peakHeapBytes).toBe(peak);
    // The reader after start-up (self-test results, configuration, key store, and the caches the
    // kernel builds on first use), then what the payment adds on top of it.
    const idle = start[start.length - 1].heapBytes;
    const transaction = peak - idle;
    process.stdout.write(`firmware heap on XS: idle reader ${idle} B, payment adds ${transaction} B, peak ${peak} B (goal ${GOAL_BYTES} B)\n`);
    expect(transaction).toBeGreaterThan(0);
    expect(transaction).toBeLessThan(GOAL_BYTES);
  });
});

describe("the firmware's heap on XS, a contactless tap (C-3, fDDA, then online PIN)", () => {
  it("reports the peak, and the tap stays under 64 KB above the idle reader", async () => {
    const samples: { sample: HeapSample; phase: string }[] = [];
    const r = await tapOnFirmware({ cards: ["visa-cda"], amount: "150.00", date: "250601", time: "120000" }, "xs", {
      onSample: (sample, phase) => samples.push({ sample, phase }),
    });
    expect(r).toMatchObject({ outcome: "online-approved", cvm: "online-pin", kernel: "C-3" });
    const pay = samples.filter((s) => s.phase === "pay").map((s) => s.sample);
    const start = samples.filter((s) => s.phase === "start").map((s) => s.sample);
    expect(pay.some((s) => s.waitingFor.includes("nfc.transceive"))).toBe(true);
    const peak = Math.max(...pay.map((s) => s.heapBytes));
    expect(r.xs!.peakHeapBytes).toBe(peak);
    const idle = start[start.length - 1].heapBytes;
    process.stdout.write(`firmware heap on XS, contactless: idle reader ${idle} B, tap adds ${peak - idle} B, peak ${peak} B (goal ${GOAL_BYTES} B)\n`);
    expect(peak - idle).toBeGreaterThan(0);
    expect(peak - idle).toBeLessThan(GOAL_BYTES);
  });
});
