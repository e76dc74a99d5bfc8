import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { InputError } from "../../kernel/errors";
import type { ScenarioReport } from "../scenario/run-scenario";
import { projectRoot } from "../xs-engine/bundle";
import { startKernelEngine, type EngineName, type KernelEngine } from "../xs-engine/kernel-engine";

// The payment scenarios of the transaction issue (host-sim/scenario, `mpos sim run --scenario`) run
// from the page: the project's scenario files (test/scenarios/*.json) to pick from, or one pasted
// in the page. A scenario runs through the "transaction.scenario" service on the session's engine
// (the kernel's services on the XS engine, or on Node), exactly as the CLI runs it, so the page
// shows what `mpos sim run --scenario FILE --json` prints.

export const SCENARIO_DIR = join("test", "scenarios");
const NAME = /^[a-z0-9][a-z0-9-]{0,60}$/;

export class ScenarioRunner {
  private engine: Promise<KernelEngine> | null = null;
  private running = false;

  constructor(private readonly engineName: EngineName, private readonly root: string = projectRoot()) {}

  /** The scenario files' names (without .json). */
  list(): string[] {
    const dir = join(this.root, SCENARIO_DIR);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => f.endsWith(".json") && NAME.test(f.slice(0, -5))).map((f) => f.slice(0, -5)).sort();
  }

  /** One scenario file's JSON. */
  read(name: string): unknown {
    if (!NAME.test(name) || this.list().indexOf(name) < 0) throw new InputError("scenario", `no scenario "${name}"`);
    return JSON.parse(readFileSync(join(this.root, SCENARIO_DIR, `${name}.json`), "utf8"));
  }

  /** Runs a scenario (checked by the service: parseScenario) on the engine. One at a time. */
  async run(scenario: unknown): Promise<ScenarioReport> {
    if (this.running) throw new InputError("scenario-busy", "a scenario is already running");
    this.running = true;
    try {
      this.engine ??= startKernelEngine(this.engineName);
      const engine = await this.engine;
      const answer = await engine.call("transaction.scenario", { scenario });
      return answer.value as ScenarioReport;
    } finally {
      this.running = false;
    }
  }

  async close(): Promise<void> {
    const e = this.engine;
    this.engine = null;
    if (e) await (await e).close();
  }
}
