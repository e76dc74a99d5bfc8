// The payment state machine as services, the same on Node and on the XS engine: a whole scenario
// (host-sim/scenario) run on the simulated reader, and the pure pieces tests compare across both
// engines. `mpos sim run --scenario` calls the same function, so the service answers exactly what
// the command prints with --json.
import { InputError } from "../../../kernel/errors";
import { catalogDrawable, loadTransactionConfig, PROMPT_CATALOG, TRANSITIONS } from "../../../kernel/transaction";
import { runScenario, type ScenarioReport } from "../../scenario/run-scenario";

/** One scenario, as `mpos sim run --scenario FILE --json` reports it (keys without a value left out). */
export async function transactionScenario(args: unknown): Promise<ScenarioReport> {
  if (args === null || typeof args !== "object" || !("scenario" in (args as object))) {
    throw new InputError("transaction-request", "transaction.scenario: expected { scenario: {...} }");
  }
  const report = await runScenario((args as { scenario: unknown }).scenario);
  return JSON.parse(JSON.stringify(report)) as ScenarioReport;
}

export const transactionServices: Record<string, (args: any) => unknown> = {
  "transaction.scenario": transactionScenario,
  /** The state table, as data (the same on both engines). */
  "transaction.table": () => TRANSITIONS,
  /** The configuration as loaded (defaults filled in), or the error naming the bad field. */
  "transaction.config": (args: { config?: unknown }) => loadTransactionConfig(args?.config ?? {}),
  /** Every prompt in every language, and those a display could not draw (none expected). */
  "transaction.prompts": () => ({ catalog: PROMPT_CATALOG, undrawable: catalogDrawable() }),
};
