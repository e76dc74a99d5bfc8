/**
 * Time for the kernel, which has no setTimeout of its own (XS has none; the ESP32 has Moddable's
 * `timer`). In the simulator the clock may be modeled: `nowMs` then advances only as the virtual
 * hardware says, so timeouts and transaction times are deterministic.
 */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin; never goes backwards. */
  nowMs(): number;
  /** Resolves after `ms` milliseconds of this clock. */
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time for the real-time clock (set over BLE, used for dates in EMV tag 9A). */
export interface RealTimeClock {
  /** Seconds since 1970-01-01T00:00:00Z, or null while the clock has never been set. */
  epochSeconds(): number | null;
  set(epochSeconds: number): void;
}
