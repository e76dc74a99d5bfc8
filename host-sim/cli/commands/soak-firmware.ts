import type { FirmwareSoakReport } from "../../soak/firmware-soak";

// The readable report of `mpos soak --firmware` (host-sim/soak/firmware-soak.ts): outcomes and XS
// figures by kind, the RAM trend, KSNs, the log as the phone saw it, what the leak scan covered.
// Never card data: the report holds counts, KSNs and the secrets' labels only.

function kindLines(r: FirmwareSoakReport): string[] {
  return Object.entries(r.byKind).map(([kind, outcomes]) => {
    const f = r.figures[kind];
    const figures = f === undefined ? "" : `  [compute ${f.meanCompute} a payment, peak RAM ${f.peakRamBytes} bytes]`;
    return `  ${kind.padEnd(24)} ${Object.entries(outcomes).map(([o, n]) => `${o} ${n}`).join(", ")}${figures}`;
  });
}

export function formatFirmwareSoak(r: FirmwareSoakReport): string {
  const scanned = Object.entries(r.scanned).map(([channel, n]) => `${n} ${channel}`).join(", ");
  return [
    `${r.transactions} transactions through phone -> BLE -> the firmware on ${r.engine} (${r.modeledHours} modeled hours, ${r.wallSeconds} s)`,
    ...kindLines(r),
    `RAM of the reader at rest: ${r.heap.baselineBytes ?? "-"} bytes after warm-up, at most ${r.heap.maxBytes ?? "-"}, ` +
      `trend ${r.heap.growthBytes ?? "-"} bytes (last third of ${r.heap.samples.length} readings against the first)`,
    `KSNs: ${r.ksn.envelopes} envelopes, ${r.ksn.pinBlocks} PIN blocks, ${r.ksn.repeats.length} repeats`,
    ...r.ksn.repeats.map((x) => `  ${x}`),
    `log: last id ${r.log.lastTransactionId}, ${r.log.reconnects} reconnections, ${r.log.heldOutcomesCollected} held outcomes and ` +
      `${r.log.reversalsCollected} reversals collected, ${r.log.violations.length} violations`,
    ...r.log.violations.map((v) => `  ${v}`),
    `BLE: ${r.ble.frames} frames, ${r.ble.bytes} bytes`,
    `leak scan: ${scanned}; ${r.leaks.length} leaks`,
    ...r.leaks.map((l) => `  ${l.label} in ${l.channel}`),
    r.ok ? "soak passed" : "SOAK FAILED",
  ].join("\n");
}
