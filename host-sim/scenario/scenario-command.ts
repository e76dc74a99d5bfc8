import { readFileSync } from "fs";
import { resolve } from "path";
import type { ParsedArgs } from "../cli/args";
import { allowOnly, requireOption, UsageError } from "../cli/args";
import type { CliIo } from "../cli/command";
import { transactionScenario } from "../xs-engine/services/transaction";
import type { ScenarioReport } from "./run-scenario";

// `mpos sim run --scenario FILE.json` (issue 8, item 7): the scenario file read and run through the
// "transaction.scenario" service, so the command prints exactly what the service answers.

export const SCENARIO_USAGE =
  "  --scenario FILE    run a payment scenario (JSON: amount, currency, config, steps of insert, swipe,\n" +
  "                     tap, remove, keys, cancel, power-off, power-on, tamper, wait); prints the outcome,\n" +
  "                     the prompts in order and the transaction log (host-sim/scenario/scenario.ts)\n";

export async function runScenarioCommand(args: ParsedArgs, io: CliIo): Promise<ScenarioReport> {
  allowOnly(args, ["scenario"]);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const path = resolve(io.cwd, requireOption(args, "scenario"));
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`--scenario: cannot read ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError("--scenario: the file is not JSON");
  }
  return transactionScenario({ scenario: json });
}

export function isScenarioReport(result: object): result is ScenarioReport {
  return Array.isArray((result as { transactions?: unknown }).transactions) && Array.isArray((result as { log?: unknown }).log);
}

export function formatScenario(r: ScenarioReport): string {
  const lines: string[] = [];
  const all = r.transactions.length > 0 ? r.transactions : [r];
  for (const t of all) {
    lines.push(`transaction ${t.transactionId ?? "-"}  ${t.outcome}${t.reason ? ` (${t.reason})` : ""}` +
      `${t.interface ? `, ${t.interface}` : ""}${t.fallback ? " fallback" : ""}, cvm ${t.cvm}${t.maskedPan ? `, card ${t.maskedPan}` : ""}` +
      `${t.arc ? `, ARC ${t.arc}` : ""}${t.reversal ? `, reversal ${t.reversal}` : ""}`);
  }
  lines.push(`prompts     ${r.prompts.join(" / ")}`);
  for (const e of r.log) {
    lines.push(`  ${String(e.atMs).padStart(10)} ms  ${e.event}${e.transactionId !== undefined ? ` #${e.transactionId}` : ""}` +
      `${e.phase ? ` ${e.phase}` : ""}${e.reason ? ` ${e.reason}` : ""}${e.detail ? ` ${e.detail}` : ""}`);
  }
  for (const v of r.reversals) lines.push(`reversal    #${v.transactionId} ${v.reason}, collected at ${v.collectedAtMs} ms`);
  return lines.join("\n");
}
