import { allowOnly, option, UsageError } from "../args";
import type { Command } from "../command";
import type { PowerCutOutcome } from "../../hardware/memory-storage";
import { runPowerLossSweep, type SweepReport } from "../../power-loss/sweep";
import { SOAK_MIX } from "../../soak/mix";

const OUTCOMES: readonly PowerCutOutcome[] = ["lost", "applied", "torn"];

export const powerLoss: Command = {
  path: ["power-loss"],
  summary: "cut the reader's power at every storage write across a mix of transactions: keys, KSNs, the log",
  usage: "mpos power-loss [--kinds NAME,...] [--outcomes lost,applied,torn] [--seed S]\n" +
    `  --kinds     transaction kinds of the mix (default all: ${SOAK_MIX.map((k) => k.name).join(", ")})\n` +
    "  --outcomes  how the cut write ends on the flash (default all three)\n" +
    "  --seed S    the simulation's seed (default 1)",
  async run(args, io) {
    allowOnly(args, ["kinds", "outcomes", "seed"]);
    const kinds = option(args, "kinds")?.split(",");
    for (const k of kinds ?? []) if (!SOAK_MIX.some((m) => m.name === k)) throw new UsageError(`no transaction kind ${k}`);
    const outcomes = option(args, "outcomes")?.split(",") as PowerCutOutcome[] | undefined;
    for (const o of outcomes ?? []) if (!OUTCOMES.includes(o)) throw new UsageError(`--outcomes: ${o} is not one of ${OUTCOMES.join(", ")}`);
    const seedText = option(args, "seed") ?? "1";
    if (!/^\d{1,9}$/.test(seedText)) throw new UsageError("--seed must be a whole number");
    return runPowerLossSweep({ kinds, outcomes, seed: Number(seedText), progress: (l) => io.stderr(l + "\n") });
  },
  format(result) {
    const r = result as SweepReport;
    return [
      `mix: ${r.kinds.join(", ")} (${r.writesPerMix} storage writes)`,
      `${r.cases} cuts (${r.powerLosses} hit a write), ${r.recoveredWithReversal} recovered with a reversal`,
      `${r.deliveredFromHeldOutcome} outcomes delivered from the log after the power came back, ${r.heldDuplicatesDropped} held copies dropped by the phone, ` +
        `${r.reportedThenReversed.length} reported then reversed`,
      ...r.failures.map((f) => `  cut at write ${f.atWrite} (${f.outcome}) in ${f.hit ? f.hit.kind : "-"}: ${f.violations.join("; ")}`),
      r.ok ? "no key lost, no KSN reused, no transaction lost or reported twice" : "POWER-LOSS SWEEP FAILED",
    ].join("\n");
  },
  exitCode: (result) => ((result as SweepReport).ok ? 0 : 1),
};
