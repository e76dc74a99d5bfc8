// The contactless layer as services, the same on Node and on the XS engine: a whole simulated tap
// (virtual PICCs in a virtual field, the ISO/IEC 14443 PCD, the Entry Point and kernels C-2 / C-3,
// the issuer host, the key store), and the level 1 codecs (CRC_A / CRC_B, ATS). `mpos sim run
// --interface contactless` calls the same function, so the service answers exactly what the command
// prints with --json.
import { fromHex, toHex } from "../../../kernel/bytes";
import { InputError } from "../../../kernel/errors";
import { appendCrc } from "../../../kernel/iso14443/crc";
import { parseAts } from "../../../kernel/iso14443/ats";
import { runContactless, type ContactlessRunOptions, type ContactlessRunResult } from "../../picc/run-contactless";

function fail(message: string): never {
  throw new InputError("contactless-request", `contactless.simRun: ${message}`);
}

function str(v: unknown, field: string): string {
  if (typeof v !== "string" || v.length === 0) fail(`${field} must be a string`);
  return v;
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) fail(`${field} must be an integer ${min}-${max}`);
  return v;
}

/** Checks the JSON arguments of "contactless.simRun" (the options of `mpos sim run --interface contactless`). */
export function contactlessRunOptions(args: unknown): ContactlessRunOptions {
  if (args === null || typeof args !== "object") fail("expected an object");
  const a = args as Record<string, unknown>;
  let cards: string[];
  if (a.cards !== undefined) {
    if (!Array.isArray(a.cards) || a.cards.length === 0 || a.cards.length > 4) fail("cards must be a list of 1 to 4 card ids");
    cards = a.cards.map((c, i) => str(c, `cards[${i}]`));
  } else {
    cards = [str(a.card, "card")];
  }
  const o: ContactlessRunOptions = { cards, amount: str(a.amount, "amount") };
  if (a.currency !== undefined) o.currency = str(a.currency, "currency");
  if (a.pins !== undefined) {
    if (!Array.isArray(a.pins)) fail("pins must be a list of strings");
    o.pins = a.pins.map((p, i) => str(p, `pins[${i}]`));
  }
  if (a.date !== undefined) o.date = str(a.date, "date");
  if (a.time !== undefined) o.time = str(a.time, "time");
  if (a.seed !== undefined) o.seed = int(a.seed, "seed", 0, 0xffffffff);
  if (a.removeDuringApdu !== undefined) o.removeDuringApdu = int(a.removeDuringApdu, "removeDuringApdu", 1, 100);
  if (a.returnAfterMs !== undefined) o.returnAfterMs = int(a.returnAfterMs, "returnAfterMs", 0, 60000);
  if (a.slowdown !== undefined) {
    if (typeof a.slowdown !== "number" || !Number.isFinite(a.slowdown) || a.slowdown < 0.1 || a.slowdown > 1000) fail("slowdown must be 0.1-1000");
    o.slowdown = a.slowdown;
  }
  if (a.highBitRates !== undefined) {
    if (typeof a.highBitRates !== "boolean") fail("highBitRates must be true or false");
    o.highBitRates = a.highBitRates;
  }
  return o;
}

/** One simulated tap, as `mpos sim run --interface contactless --json` reports it. */
export async function contactlessSimRun(args: unknown): Promise<ContactlessRunResult> {
  const result = await runContactless(contactlessRunOptions(args));
  return JSON.parse(JSON.stringify(result)) as ContactlessRunResult;
}

function hexArg(args: unknown, name: string): Uint8Array {
  if (args === null || typeof args !== "object" || typeof (args as Record<string, unknown>)[name] !== "string") {
    throw new InputError("contactless-request", `expected { ${name}: hex }`);
  }
  return fromHex((args as Record<string, string>)[name]);
}

export const contactlessServices: Record<string, (args: any) => unknown> = {
  "contactless.simRun": contactlessSimRun,
  /** The frame with its CRC_A or CRC_B appended (ISO/IEC 14443-3, 6.2.4 and 7.2). */
  "contactless.crc": (args: { type: string; hex: string }) => {
    if (args === null || typeof args !== "object" || (args.type !== "A" && args.type !== "B")) {
      throw new InputError("contactless-request", "contactless.crc: expected { type: \"A\" | \"B\", hex }");
    }
    return { frame: toHex(appendCrc(args.type, hexArg(args, "hex"))) };
  },
  /** An ATS decoded (ISO/IEC 14443-4, 5.2), historical bytes as hex. */
  "contactless.ats": (args: { hex: string }) => {
    const ats = parseAts(hexArg(args, "hex"));
    return { ...ats, historicalBytes: toHex(ats.historicalBytes) };
  },
};
