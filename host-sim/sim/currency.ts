import { InputError } from "../../kernel/errors";

// ISO 4217 currencies the simulator accepts for `--currency`: the numeric code (as EMV's n3 in
// two bytes, e.g. "0840") and the minor unit exponent (Transaction Currency Exponent '5F36').

const CURRENCIES: Record<string, { code: string; exponent: number }> = {
  USD: { code: "0840", exponent: 2 },
  EUR: { code: "0978", exponent: 2 },
  GBP: { code: "0826", exponent: 2 },
  CAD: { code: "0124", exponent: 2 },
  CHF: { code: "0756", exponent: 2 },
  AUD: { code: "0036", exponent: 2 },
  JPY: { code: "0392", exponent: 0 },
};

export function currency(alpha: string): { code: string; exponent: number } {
  const c = CURRENCIES[alpha.toUpperCase()];
  if (!c) throw new InputError("currency", `currency must be one of ${Object.keys(CURRENCIES).join(", ")}`);
  return c;
}

/** "12.34" in a currency of exponent 2 -> 1234 minor units; refuses more decimals than the exponent. */
export function parseAmount(text: string, exponent: number): number {
  const m = /^([0-9]{1,10})(?:\.([0-9]+))?$/.exec(text);
  if (!m) throw new InputError("amount", "amount must be a decimal number like 12.34");
  const decimals = m[2] ?? "";
  if (decimals.length > exponent) throw new InputError("amount", `amount has more than ${exponent} decimals`);
  const minor = Number(m[1]) * Math.pow(10, exponent) + Number(decimals.padEnd(exponent, "0") || "0");
  if (!Number.isSafeInteger(minor) || minor > 999999999999) throw new InputError("amount", "amount is too large for n12");
  return minor;
}
