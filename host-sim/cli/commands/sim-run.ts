import { allowOnly, choice, option, requireOption, UsageError, type ParsedArgs } from "../args";
import type { Command } from "../command";
import { simRun, simRunOptions } from "../../xs-engine/services/emv";
import { runOnFirmware, type FirmwareSimRunResult } from "../../xs-bridge/firmware-sim-run";
import { tapOnFirmware, type FirmwareTapResult } from "../../xs-bridge/firmware-contactless-run";
import type { SimRunResult } from "../../sim";
import { CONTACTLESS_USAGE, formatContactless, runContactlessCommand } from "../../picc/sim-run-args";
import type { ContactlessRunResult } from "../../picc/run-contactless";
import { formatScenario, isScenarioReport, runScenarioCommand, SCENARIO_USAGE } from "../../scenario/scenario-command";

// `mpos sim run`: one simulated transaction with a virtual card, end to end (issue 6, item 5).

/** `--interface contactless --engine`: a tap on the device's firmware (host-sim/xs-bridge/firmware-contactless-run.ts). */
function tapCommand(args: ParsedArgs, engine: "xs" | "node") {
  allowOnly(args, ["card", "cards", "interface", "amount", "currency", "pin", "date", "time", "seed", "engine"]);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const list = option(args, "cards")?.split(",").filter((c) => c.length > 0) ?? [requireOption(args, "card")];
  const seed = option(args, "seed");
  if (seed !== undefined && !/^[0-9]{1,10}$/.test(seed)) throw new UsageError("--seed must be a non-negative integer");
  return tapOnFirmware({
    cards: list, amount: requireOption(args, "amount"), currency: option(args, "currency"), pins: option(args, "pin")?.split(","),
    date: option(args, "date"), time: option(args, "time"), seed: seed === undefined ? undefined : Number(seed),
  }, engine);
}

export const simRunCommand: Command = {
  path: ["sim", "run"],
  summary: "run one simulated transaction: a virtual card through the reader's kernel to the issuer host",
  usage:
    "mpos sim run --card ID --interface contact|magstripe --amount 12.34 [--currency USD] [--pin 0000,1234]\n" +
    "             [--protocol t0|t1] [--date YYMMDD] [--time HHMMSS] [--seed N] [--json]\n" +
    "  --card ID          a card profile (mpos sim cards)\n" +
    "  --interface        contact: insert the chip; magstripe: swipe the stripe\n" +
    "  --amount           in the currency's major unit, e.g. 12.34\n" +
    "  --currency         ISO 4217 code (default USD, the terminal's currency)\n" +
    "  --pin              the PINs the cardholder types, attempt by attempt (default 1234)\n" +
    "  --protocol         the chip's protocol, T=0 (default) or T=1\n" +
    "  --date, --time     the transaction's date and time (default: now, UTC)\n" +
    "  --seed             seed of the simulation's random numbers (default 1: repeatable runs)\n" +
    "  --engine xs|node   run the device's firmware for the reader's part (contact, magstripe, contactless):\n" +
    "                     on the real XS engine, its hardware served by the simulator (xs), or in-process\n" +
    "                     (node); a scripted phone pairs over BLE and pays; the report is what the phone\n" +
    "                     learned, with \"xs\", the XS meter of the payment (compute, allocate,\n" +
    "                     peakHeapBytes), null on node\n" +
    CONTACTLESS_USAGE +
    SCENARIO_USAGE,
  async run(args, io) {
    // --scenario FILE: a whole payment on the state machine of kernel/transaction (host-sim/scenario/).
    if (args.options.has("scenario")) return runScenarioCommand(args, io);
    // --interface contactless: cards and phones in the NFC field (host-sim/picc/sim-run-args.ts).
    if (args.options.get("interface") === "contactless") {
      const engine = option(args, "engine");
      if (engine === undefined) return runContactlessCommand(args);
      return tapCommand(args, choice(engine, ["xs", "node"] as const, "--engine"));
    }
    allowOnly(args, ["card", "interface", "amount", "currency", "pin", "protocol", "date", "time", "seed", "engine"]);
    if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
    const request: Record<string, unknown> = {
      card: requireOption(args, "card"),
      interface: choice(requireOption(args, "interface"), ["contact", "magstripe"] as const, "--interface"),
      amount: requireOption(args, "amount"),
    };
    const currency = option(args, "currency");
    if (currency !== undefined) request.currency = currency;
    const pin = option(args, "pin");
    if (pin !== undefined) request.pins = pin.split(",");
    const protocol = option(args, "protocol");
    if (protocol !== undefined) request.protocol = choice(protocol, ["t0", "t1"] as const, "--protocol");
    const date = option(args, "date");
    if (date !== undefined) request.date = date;
    const time = option(args, "time");
    if (time !== undefined) request.time = time;
    const seed = option(args, "seed");
    if (seed !== undefined) {
      if (!/^[0-9]{1,10}$/.test(seed)) throw new UsageError("--seed must be a non-negative integer");
      request.seed = Number(seed);
    }
    // --engine: the reader firmware runs the reader's part (issue 10, host-sim/xs-bridge/).
    const engine = option(args, "engine");
    if (engine !== undefined) return runOnFirmware(simRunOptions(request), choice(engine, ["xs", "node"] as const, "--engine"));
    return simRun(request);
  },
  format(result) {
    if (isScenarioReport(result)) return formatScenario(result);
    if ((result as { interface?: string }).interface === "contactless") return formatContactless(result as ContactlessRunResult);
    if ((result as { apdus?: number }).apdus === undefined) return formatTap(result as FirmwareTapResult);
    const r = result as SimRunResult;
    const lines = [`outcome     ${r.outcome}${r.reason ? ` (${r.reason})` : ""}`, `cvm         ${r.cvm}`];
    if (r.maskedPan) lines.push(`card        ${r.maskedPan}`);
    if (r.tvr) lines.push(`TVR         ${r.tvr}`, `TSI         ${r.tsi}`);
    if (r.cid) lines.push(`CID         ${r.cid}`);
    if (r.arc) lines.push(`ARC         ${r.arc}`);
    if (r.p2pe) lines.push(`P2PE KSN    ${r.p2pe.ksn}${r.p2pe.decryptedByHost ? " (opened by the host)" : " (NOT opened by the host)"}`);
    lines.push(`APDUs       ${r.apdus}`, `line time   ${r.modeledMs} ms (modeled)`);
    lines.push(`prompts     ${r.prompts.join(" / ")}`);
    lines.push(...meterLines(result as Partial<FirmwareSimRunResult>));
    return lines.join("\n");
  },
};

function meterLines(r: { xs?: FirmwareSimRunResult["xs"] }): string[] {
  return r.xs ? [`XS meter    compute ${r.xs.compute}, peak heap ${r.xs.peakHeapBytes} bytes (firmware on the XS engine)`] : [];
}

/** A tap on the firmware, as the phone saw it. */
function formatTap(r: FirmwareTapResult): string {
  const lines = [`outcome     ${r.outcome}${r.reason ? ` (${r.reason})` : ""}`, `cvm         ${r.cvm}`];
  if (r.maskedPan) lines.push(`card        ${r.maskedPan}`);
  if (r.tvr) lines.push(`TVR         ${r.tvr}`);
  if (r.cid) lines.push(`CID         ${r.cid}`);
  if (r.arc) lines.push(`ARC         ${r.arc}`);
  if (r.p2pe) lines.push(`P2PE KSN    ${r.p2pe.ksn}${r.p2pe.decryptedByHost ? " (opened by the host)" : " (NOT opened by the host)"}`);
  lines.push(`prompts     ${r.prompts.join(" / ")}`, ...meterLines(r));
  return lines.join("\n");
}
