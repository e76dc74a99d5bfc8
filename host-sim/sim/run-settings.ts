import { InputError } from "../../kernel/errors";
import type { EmvDate } from "../../kernel/emv/dates";
import { currency } from "./currency";
import terminalConfigJson from "./terminal-config.json";

// What every simulated run (contact, magstripe, contactless) takes from its options the same way:
// the simulated terminal's configuration in the run's currency, the cardholder's PINs, and the
// transaction's date and time.

export type TerminalConfigJson = typeof terminalConfigJson;

export interface TransactionTime {
  hour: number;
  minute: number;
  second: number;
}

/**
 * A fresh copy of the simulated terminal's configuration file (host-sim/sim/terminal-config.json),
 * with the Transaction Currency Code '5F2A' and Exponent '5F36' of `alpha` (ISO 4217) when given.
 */
export function terminalConfigJsonFor(alpha?: string): TerminalConfigJson {
  const json = JSON.parse(JSON.stringify(terminalConfigJson)) as TerminalConfigJson;
  if (alpha !== undefined) {
    const cur = currency(alpha);
    json.currencyCode = cur.code;
    json.currencyExponent = cur.exponent;
  }
  return json;
}

/** The PINs the simulated cardholder types, attempt by attempt: 1 to 12 digits each (default the cards' PIN 1234). */
export function cardholderPins(pins: readonly string[] = ["1234"]): string[] {
  for (const p of pins) if (!/^[0-9]{1,12}$/.test(p)) throw new InputError("pin", "each PIN is 1 to 12 digits");
  return pins.slice();
}

/** The Transaction Date '9A' of a YYMMDD text. */
export function parseTransactionDate(text: string): EmvDate {
  const m = /^([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[3]) < 1 || Number(m[3]) > 31) {
    throw new InputError("date", "date must be YYMMDD");
  }
  // EMV Book 4, 6.7.3: YY 00-49 is 20YY, 50-99 is 19YY.
  const yy = Number(m[1]);
  return { year: yy < 50 ? 2000 + yy : 1900 + yy, month: Number(m[2]), day: Number(m[3]) };
}

/** The Transaction Time '9F21' of a HHMMSS text. */
export function parseTransactionTime(text: string): TransactionTime {
  const m = /^([01][0-9]|2[0-3])([0-5][0-9])([0-5][0-9])$/.exec(text);
  if (!m) throw new InputError("time", "time must be HHMMSS");
  return { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3]) };
}

/** The run's date and time: YYMMDD and HHMMSS when the options give them, else `now` in UTC. */
export function transactionDateTime(options: { date?: string; time?: string }, now: Date = new Date()): { date: EmvDate; time: TransactionTime } {
  const date = options.date !== undefined
    ? parseTransactionDate(options.date)
    : { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
  const time = options.time !== undefined
    ? parseTransactionTime(options.time)
    : { hour: now.getUTCHours(), minute: now.getUTCMinutes(), second: now.getUTCSeconds() };
  return { date, time };
}
