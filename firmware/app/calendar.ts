import type { RealTimeClock } from "../../hal/clock";
import type { EmvDate } from "../../kernel/emv/dates";

// The reader's real-time clock: seconds since 1970 UTC, set by the phone (SET-TIME, docs/protocol.md)
// and kept from the HAL clock's milliseconds in between, and the civil date and time of a payment
// (Transaction Date '9A', Transaction Time '9F21', EMV Book 3, Annex A) computed from it.

export interface CivilTime {
  date: EmvDate;
  time: { hour: number; minute: number; second: number };
}

const DAY_SECONDS = 86400;

/**
 * The proleptic Gregorian date of `epochSeconds` (UTC). Days are counted in 400-year eras of
 * 146097 days starting on 1 March, so that the leap day falls at the end of an era year.
 */
export function civilTime(epochSeconds: number): CivilTime {
  const s = Math.floor(epochSeconds);
  const days = Math.floor(s / DAY_SECONDS);
  const secondOfDay = s - days * DAY_SECONDS;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    date: { year, month, day },
    time: { hour: Math.floor(secondOfDay / 3600), minute: Math.floor((secondOfDay % 3600) / 60), second: secondOfDay % 60 },
  };
}

/** A real-time clock kept from a monotonic millisecond counter after the phone set it. */
export class SettableRealTimeClock implements RealTimeClock {
  private base: { epochSeconds: number; atMs: number } | null = null;

  constructor(private readonly nowMs: () => number) {}

  epochSeconds(): number | null {
    if (this.base === null) return null;
    return this.base.epochSeconds + Math.floor((this.nowMs() - this.base.atMs) / 1000);
  }

  set(epochSeconds: number): void {
    this.base = { epochSeconds: Math.floor(epochSeconds), atMs: this.nowMs() };
  }
}
