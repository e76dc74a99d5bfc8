// The EMV contact kernel as services, the same on Node and on the XS engine: a whole simulated
// transaction (virtual card, virtual ICC, kernel, issuer host, key store), and the kernel's CVM List
// decoder. `mpos sim run` calls the same function, so the service answers exactly what the command
// prints with --json.
import { fromHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { parseCvmList } from "../../../kernel/emv/cvm-list";
import { runSimTransaction, type SimRunOptions, type SimRunResult } from "../../sim";

function str(v: unknown, field: string): string {
  if (typeof v !== "string" || v.length === 0) throw new InputError("emv-request", `emv.simRun: ${field} must be a string`);
  return v;
}

/** Checks the JSON arguments of "emv.simRun" (the options of `mpos sim run`). */
export function simRunOptions(args: unknown): SimRunOptions {
  if (args === null || typeof args !== "object") throw new InputError("emv-request", "emv.simRun: expected an object");
  const a = args as Record<string, unknown>;
  const iface = str(a.interface ?? "contact", "interface");
  if (iface !== "contact" && iface !== "magstripe") throw new InputError("emv-request", "emv.simRun: interface must be contact or magstripe");
  const options: SimRunOptions = { card: str(a.card, "card"), interface: iface, amount: str(a.amount, "amount") };
  if (a.currency !== undefined) options.currency = str(a.currency, "currency");
  if (a.pins !== undefined) {
    if (!Array.isArray(a.pins)) throw new InputError("emv-request", "emv.simRun: pins must be a list of strings");
    options.pins = a.pins.map((p, i) => str(p, `pins[${i}]`));
  }
  if (a.protocol !== undefined) {
    if (a.protocol !== "t0" && a.protocol !== "t1") throw new InputError("emv-request", "emv.simRun: protocol must be t0 or t1");
    options.protocol = a.protocol;
  }
  if (a.date !== undefined) options.date = str(a.date, "date");
  if (a.time !== undefined) options.time = str(a.time, "time");
  if (a.seed !== undefined) {
    if (typeof a.seed !== "number" || !Number.isSafeInteger(a.seed) || a.seed < 0 || a.seed > 0xffffffff) {
      throw new InputError("emv-request", "emv.simRun: seed must be an integer 0 to 2^32 - 1");
    }
    options.seed = a.seed;
  }
  return options;
}

/** One simulated transaction, as `mpos sim run --json` reports it (keys without a value left out). */
export async function simRun(args: unknown): Promise<SimRunResult> {
  const result = await runSimTransaction(simRunOptions(args));
  return JSON.parse(JSON.stringify(result)) as SimRunResult;
}

export const emvServices: Record<string, (args: any) => unknown> = {
  "emv.simRun": simRun,
  /** The CVM List '8E' (hex) as Amount X, Amount Y and its rules (Book 3, Annex C3). */
  "emv.cvmList": (args: { hex: string }) => {
    if (args === null || typeof args !== "object" || typeof args.hex !== "string") {
      throw new InputError("emv-request", "emv.cvmList: expected { hex: string }");
    }
    return parseCvmList(fromHex(args.hex));
  },
};
