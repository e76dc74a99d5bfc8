import { allowOnly, choice, flag, option, UsageError } from "../args";
import type { Command } from "../command";
import { runFirmwareSoak, type FirmwareSoakReport } from "../../soak/firmware-soak";
import { runSoak, type SoakReport } from "../../soak/run-soak";
import { formatFirmwareSoak } from "./soak-firmware";

function whole(text: string, what: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`${what} must be a whole number ${min} to ${max}`);
  return Number(text);
}

export const soak: Command = {
  path: ["soak"],
  summary: "run N consecutive simulated transactions of mixed kinds on one reader: heap, KSNs, log, leaks",
  usage: "mpos soak --transactions N [--firmware] [--engine xs|node] [--batch N] [--reconnect-every K] [--seed S]\n" +
    "  --transactions N     how many (issue 12: 10000)\n" +
    "  --firmware           through a phone over BLE to the device's firmware (default: the kernel's payment reader)\n" +
    "  --engine E           xs (default: the engine the device runs) or node\n" +
    "  --batch N            transactions between two readings of the live heap (default: the multiple of the mix's cycle nearest 100)\n" +
    "  --reconnect-every K  with --firmware: payments between two connections of the phone (default 25)\n" +
    "  --seed S             the simulation's seed (default 1)",
  booleanFlags: ["firmware"],
  async run(args, io) {
    allowOnly(args, ["transactions", "firmware", "engine", "batch", "reconnect-every", "seed"]);
    const t = option(args, "transactions");
    if (t === undefined) throw new UsageError("--transactions is required");
    const engine = choice(option(args, "engine") ?? "xs", ["xs", "node"] as const, "--engine");
    const transactions = whole(t, "--transactions", 1, 1_000_000);
    const batchText = option(args, "batch");
    const batch = batchText === undefined ? undefined : whole(batchText, "--batch", 1, 100_000);
    const seed = whole(option(args, "seed") ?? "1", "--seed", 0, 0xffffffff);
    const progress = (line: string) => io.stderr(line + "\n");
    const reconnect = option(args, "reconnect-every");
    if (flag(args, "firmware")) {
      const reconnectEvery = reconnect === undefined ? undefined : whole(reconnect, "--reconnect-every", 1, 1_000_000);
      return runFirmwareSoak({ transactions, engine, sampleEvery: batch, reconnectEvery, seed, progress });
    }
    if (reconnect !== undefined) throw new UsageError("--reconnect-every needs --firmware");
    return runSoak({ transactions, engine, batch, seed, progress });
  },
  format(result) {
    if ("firmware" in result) return formatFirmwareSoak(result as FirmwareSoakReport);
    const r = result as SoakReport;
    const kinds = Object.entries(r.byKind).map(([k, o]) => `  ${k.padEnd(24)} ${Object.entries(o).map(([x, n]) => `${x} ${n}`).join(", ")}`);
    return [
      `${r.transactions} transactions on ${r.engine} (${r.modeledHours} modeled hours)`,
      ...kinds,
      `live heap: ${r.heap.baselineSlots ?? "-"} slots after warm-up, at most ${r.heap.maxSlots ?? "-"}, ` +
        `trend ${r.heap.growthSlots ?? "-"} slots (last third of the readings against the first)`,
      `KSNs: ${r.ksn.envelopes} envelopes, ${r.ksn.pinBlocks} PIN blocks, ${r.ksn.repeats.length} repeats`,
      `log: last id ${r.log.lastTransactionId}, ${r.log.reversalsCollected} reversals collected, ${r.log.violations.length} violations`,
      ...r.log.violations.map((v) => `  ${v}`),
      `leaks: ${r.leaks.length}`,
      ...r.leaks.map((l) => `  ${l.label} in ${l.channel}`),
      r.ok ? "soak passed" : "SOAK FAILED",
    ].join("\n");
  },
  exitCode: (result) => ((result as SoakReport).ok ? 0 : 1),
};
