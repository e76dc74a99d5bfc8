import { allowOnly, option, requireOption, UsageError, type ParsedArgs } from "../cli/args";
import { contactlessSimRun } from "../xs-engine/services/contactless";
import type { ContactlessRunResult } from "./run-contactless";

// The contactless part of `mpos sim run` (the command itself is host-sim/cli/commands/sim-run.ts):
// its options, checked here, and its human-readable report. --json prints the same object as the
// "contactless.simRun" service answers.

export const CONTACTLESS_USAGE =
  "mpos sim run --card ID --interface contactless --amount 12.34 [--cards ID,ID] [--currency USD] [--pin 1234]\n" +
  "             [--date YYMMDD] [--time HHMMSS] [--seed N] [--remove-during-apdu N [--return-after-ms MS]]\n" +
  "             [--slowdown X] [--json]\n" +
  "  --cards               every card (or phone: visa-wallet, mc-wallet) held to the reader at once\n" +
  "  --remove-during-apdu  the card is taken away while it computes its n-th APDU (then: present card again)\n" +
  "  --return-after-ms     ... and presented again this much later (modeled time)\n" +
  "  --slowdown            the chip computes this many times slower (a slow card near its FWT)";

function integer(args: ParsedArgs, name: string, max: number): number | undefined {
  const v = option(args, name);
  if (v === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(v) || Number(v) > max) throw new UsageError(`--${name} must be an integer 0-${max}`);
  return Number(v);
}

export async function runContactlessCommand(args: ParsedArgs): Promise<ContactlessRunResult> {
  allowOnly(args, ["card", "cards", "interface", "amount", "currency", "pin", "date", "time", "seed", "remove-during-apdu", "return-after-ms", "slowdown"]);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const cards = option(args, "cards");
  const card = option(args, "card");
  if (cards === undefined && card === undefined) requireOption(args, "card");
  const list = cards !== undefined ? cards.split(",").filter((c) => c.length > 0) : [];
  if (card !== undefined && list.indexOf(card) < 0) list.unshift(card);
  const request: Record<string, unknown> = { cards: list, amount: requireOption(args, "amount") };
  const currency = option(args, "currency");
  if (currency !== undefined) request.currency = currency;
  const pin = option(args, "pin");
  if (pin !== undefined) request.pins = pin.split(",");
  for (const name of ["date", "time"]) {
    const v = option(args, name);
    if (v !== undefined) request[name] = v;
  }
  const seed = option(args, "seed");
  if (seed !== undefined) {
    if (!/^[0-9]{1,10}$/.test(seed)) throw new UsageError("--seed must be a non-negative integer");
    request.seed = Number(seed);
  }
  const remove = integer(args, "remove-during-apdu", 100);
  if (remove !== undefined) request.removeDuringApdu = remove;
  const back = integer(args, "return-after-ms", 60000);
  if (back !== undefined) request.returnAfterMs = back;
  const slowdown = option(args, "slowdown");
  if (slowdown !== undefined) {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(slowdown)) throw new UsageError("--slowdown must be a number");
    request.slowdown = Number(slowdown);
  }
  return contactlessSimRun(request);
}

/** The report without --json. */
export function formatContactless(r: ContactlessRunResult): string {
  const lines = [`outcome     ${r.outcome}${r.reason ? ` (${r.reason})` : ""}`, `cvm         ${r.cvm}`];
  if (r.maskedPan) lines.push(`card        ${r.maskedPan}`);
  if (r.kernel) lines.push(`kernel      ${r.kernel}${r.oda ? `, ${r.oda} ${r.odaResult}` : ""}`);
  if (r.tvr) lines.push(`TVR         ${r.tvr}`);
  if (r.cid) lines.push(`CID         ${r.cid}`);
  if (r.arc) lines.push(`ARC         ${r.arc}`);
  if (r.p2pe) lines.push(`P2PE KSN    ${r.p2pe.ksn}${r.p2pe.decryptedByHost ? " (opened by the host)" : " (NOT opened by the host)"}`);
  if (r.tap) {
    const t = r.tap;
    lines.push(`tap         ${t.cardInFieldMs} ms in the field (modeled): air ${t.airMs}, card ${t.cardMs}, reader ${t.readerMs}, protocol ${t.protocolMs}; ${t.frames} frames at ${t.bitRate}` +
      (t.wtxRequests > 0 || t.retransmissions > 0 ? `, ${t.wtxRequests} WTX, ${t.retransmissions} retransmissions` : ""));
  }
  lines.push(`APDUs       ${r.apdus}`, `total       ${r.modeledMs} ms (modeled)`);
  if (r.restarts > 0) lines.push(`restarts    ${r.restarts}`);
  lines.push(`prompts     ${r.prompts.join(" / ")}`);
  return lines.join("\n");
}
