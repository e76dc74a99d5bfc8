import { InputError } from "../../kernel/errors";
import type { OnlineAuthorizer } from "../../kernel/emv/online";
import type { PaymentRequest, PaymentResult } from "./payment";
import { Reader, type ReaderStartReport } from "./reader";
import type { ReaderConfigFiles } from "./reader-config";
import type { ReaderHal } from "./reader-hal";

// How the simulator drives the reader application: power it up with a configuration, then ask for
// payments - what the phone's START-TRANSACTION does over BLE on the device. The same handler runs
// in the firmware bundle on the XS engine (firmware/main-xs.ts) and in-process on Node, so both
// engines take exactly the same steps. Every command is checked here: it comes from outside.

export type ControlCommand =
  | { op: "start"; config: ReaderConfigFiles }
  | { op: "status" }
  | { op: "pay"; request: PaymentRequest };

export type ControlAnswer = ReaderStartReport | PaymentResult;

function fail(message: string): never {
  throw new InputError("control", message);
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) fail(`${field} must be an integer ${min} to ${max}`);
  return v;
}

/** Checks a payment request from outside: every field typed and in range. */
export function checkPaymentRequest(v: unknown): PaymentRequest {
  if (v === null || typeof v !== "object") fail("pay: request must be an object");
  const r = v as Record<string, unknown>;
  if (r.interface !== "contact" && r.interface !== "magstripe" && r.interface !== "contactless") fail("pay: interface must be contact, magstripe or contactless");
  const date = r.date as Record<string, unknown> | null;
  const time = r.time as Record<string, unknown> | null;
  if (date === null || typeof date !== "object" || time === null || typeof time !== "object") fail("pay: date and time are objects");
  if (typeof r.merchantForcedOnline !== "boolean") fail("pay: merchantForcedOnline must be a boolean");
  return {
    interface: r.interface,
    // 9F02 is n 12: at most 999 999 999 999 minor units (EMV Book 3, Annex A).
    amount: int(r.amount, "amount", 0, 999_999_999_999),
    amountOther: int(r.amountOther, "amountOther", 0, 999_999_999_999),
    transactionType: int(r.transactionType, "transactionType", 0, 0x99),
    date: { year: int(date.year, "date.year", 1950, 2049), month: int(date.month, "date.month", 1, 12), day: int(date.day, "date.day", 1, 31) },
    time: { hour: int(time.hour, "time.hour", 0, 23), minute: int(time.minute, "time.minute", 0, 59), second: int(time.second, "time.second", 0, 59) },
    sequenceCounter: int(r.sequenceCounter, "sequenceCounter", 0, 99_999_999),
    merchantForcedOnline: r.merchantForcedOnline,
  };
}

export class ReaderControl {
  private reader: Reader | null = null;

  constructor(private readonly hal: ReaderHal, private readonly authorizer: OnlineAuthorizer) {}

  async handle(command: unknown): Promise<ControlAnswer> {
    if (command === null || typeof command !== "object") fail("a command is an object with an op");
    const c = command as { op?: unknown; config?: unknown; request?: unknown };
    switch (c.op) {
      case "start":
        this.reader = await Reader.start(this.hal, c.config as ReaderConfigFiles);
        return this.reader.report();
      case "status":
        return this.started().report();
      case "pay":
        return this.started().pay(checkPaymentRequest(c.request), this.authorizer);
      default:
        return fail("op must be start, status or pay");
    }
  }

  private started(): Reader {
    if (this.reader === null) fail("the reader is not started");
    return this.reader;
  }
}
