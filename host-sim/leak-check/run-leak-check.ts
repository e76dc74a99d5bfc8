import { runCli } from "../cli/main";
import { CARDS, emvResponsesTarget, runWithResponse } from "../fuzz/targets/emv-responses";
import { mutate } from "../fuzz/mutate";
import { Prng } from "../magstripe/prng";
import { runSoak } from "../soak/run-soak";
import { scanPagePayments } from "./page-channel";
import { scanPhonePayments } from "./phone-channel";
import { scanText, type LeakHit } from "./scan";
import { readerSecrets } from "./secrets";

// Issue 12, item 4: every output channel of the reader scanned for the test PANs, track data, PINs
// (as clear PIN blocks) and keys (secrets.ts) while it works:
// - the soak (host-sim/soak): the display, the prompts, the transaction log's records and the
//   reversals the phone collects, every payment's result, and the soak service's answers;
// - BLE: frames on the air in both directions and what the phone receives (phone-channel.ts);
// - CLI output (stdout and stderr) of the commands that run transactions, and their errors;
// - the web page: the simulator session's event stream and log while the page pays (page-channel.ts);
// - error messages: the typed errors and end-of-transaction reasons of transactions whose card
//   answers were mutated (the EMV fuzz target), where a careless message would quote card data.

export interface LeakReport {
  channels: Record<string, number>;
  /** The web page's payments, "interface result" each (they must have run for the scan to mean anything). */
  pagePayments: string[];
  leaks: LeakHit[];
  ok: boolean;
}

const CLI_RUNS: string[][] = [
  ["sim", "run", "--card", "visa-cda", "--interface", "contact", "--amount", "12.34", "--pin", "1234", "--json"],
  ["sim", "run", "--card", "mc-cda-offline-pin", "--interface", "contact", "--amount", "40.00", "--pin", "1234"],
  ["sim", "run", "--card", "magstripe-only", "--interface", "magstripe", "--amount", "20.00", "--json"],
  ["sim", "run", "--card", "chip-broken", "--interface", "contact", "--amount", "5.00"],
  ["sim", "run", "--card", "visa-cda", "--interface", "contactless", "--amount", "12.00", "--json"],
  ["sim", "run", "--card", "visa-wallet", "--interface", "contactless", "--amount", "88.00"],
  ["sim", "run", "--card", "pin-blocked", "--interface", "contact", "--amount", "12.34", "--pin", "0000", "--json"],
  ["sim", "run", "--card", "no-such-card", "--interface", "contact", "--amount", "1.00", "--json"],
  ["soak", "--transactions", "12", "--engine", "node", "--json"],
  ["soak", "--firmware", "--transactions", "12", "--engine", "node"],
  ["power-loss", "--kinds", "contact online-pin", "--outcomes", "torn", "--json"],
];

export async function runLeakCheck(options: { soakTransactions?: number; mutatedTransactions?: number; engine?: "xs" | "node"; progress?(line: string): void } = {}): Promise<LeakReport> {
  const secrets = readerSecrets();
  const leaks: LeakHit[] = [];
  const channels: Record<string, number> = {};

  options.progress?.("leak check: soak");
  const soak = await runSoak({ transactions: options.soakTransactions ?? 300, engine: options.engine ?? "xs", batch: 50 });
  channels["soak transactions (display, prompts, log, reversals, results)"] = soak.transactions;
  leaks.push(...soak.leaks);

  options.progress?.("leak check: BLE");
  const phone = await scanPhonePayments(secrets, [
    { card: "visa-cda", interface: "contact", pins: ["1234"] },
    { card: "magstripe-only", interface: "magstripe" },
    { card: "visa-wallet", interface: "contactless" },
    { card: "mc-cda-offline-pin", interface: "contact", pins: ["1234"] },
  ]);
  channels["BLE payments"] = phone.payments;
  channels["BLE frames"] = phone.frames;
  leaks.push(...phone.leaks);

  options.progress?.("leak check: web page");
  const page = await scanPagePayments(secrets);
  channels["web page events and log lines"] = page.events;
  leaks.push(...page.leaks);

  options.progress?.("leak check: CLI");
  for (const argv of CLI_RUNS) {
    let out = "";
    await runCli(argv, { stdout: (t) => { out += t; }, stderr: (t) => { out += t; }, cwd: process.cwd() });
    leaks.push(...scanText(secrets, `mpos ${argv.slice(0, 2).join(" ")}`, out));
  }
  channels["CLI runs"] = CLI_RUNS.length;

  options.progress?.("leak check: error messages");
  const rng = new Prng(12);
  const seeds = emvResponsesTarget.seeds();
  const n = options.mutatedTransactions ?? 300;
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const input = mutate(rng.pick(seeds), rng, emvResponsesTarget.maxLength);
    if (input.length === 0) continue;
    try {
      const { result } = await runWithResponse(CARDS[(input[0] >> 5) % CARDS.length], input[0] & 0x1f, input.subarray(1));
      leaks.push(...scanText(secrets, "transaction result after a mutated card answer", JSON.stringify(result)));
    } catch (e) {
      errors++;
      leaks.push(...scanText(secrets, "error message", e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
    }
  }
  channels["transactions with a mutated card answer"] = n;
  channels["errors thrown by them"] = errors;
  return { channels, pagePayments: page.outcomes, leaks, ok: leaks.length === 0 };
}
