import type { Battery } from "../../hal/battery";
import type { Clock } from "../../hal/clock";
import type { Display } from "../../hal/display";
import type { Keypad } from "../../hal/keypad";
import type { PowerControl } from "../../hal/power";
import { InputError } from "../../kernel/errors";
import { lipoPercent } from "./lipo-charge";

// The reader's power policy between payments, over the HAL's clock, battery and power control. It
// keeps no timer of its own: `poll` acts on the clock's time, and `run` waits on the clock until the
// next deadline (the simulator's clock or Moddable's timers), so a fake clock tests it exactly.
//
// - Idle: `dimAfterMs` after the last activity (a key, a payment) the display dims; `sleepAfterMs`
//   after it the chip may sleep (hal/power.ts: light sleep keeps the BLE link). Activity wakes both.
// - Low battery: below `minPaymentPercent`, and not charging, a payment is refused before it starts
//   (a clear outcome for the phone, "BATTERY LOW" on the display) - a payment that dies half-way
//   leaves a reversal owed and a cardholder at the counter. At `powerOffPercent` the reader powers
//   off to protect the cell (a LiPo cell below its cut-off voltage is damaged; AN4189's 0 % point).
// - The battery level goes into the phone's status message (docs/protocol.md, GET-STATUS).

export interface PowerPolicy {
  /** Idle time before the display dims, ms. */
  dimAfterMs: number;
  /** Idle time before the chip may sleep, ms (not less than dimAfterMs). */
  sleepAfterMs: number;
  /** A payment needs at least this charge, percent, unless the reader is charging. */
  minPaymentPercent: number;
  /** At or below this charge, and not charging, the reader powers off. */
  powerOffPercent: number;
}

export const DEFAULT_POWER_POLICY: Readonly<PowerPolicy> = { dimAfterMs: 30_000, sleepAfterMs: 120_000, minPaymentPercent: 10, powerOffPercent: 2 };

export type PowerState = "active" | "dimmed" | "asleep" | "off";

export interface BatteryLevel {
  percent: number;
  charging: boolean;
}

export type PaymentAdmission = { admitted: true } | { admitted: false; reason: "batteryLow"; percent: number };

export interface PowerManagerOptions {
  clock: Clock;
  display: Display & { dim?(dimmed: boolean): void };
  /** Absent: the reader runs from external power only. */
  battery?: Battery;
  /** Absent: the reader cannot sleep (the simulator). */
  power?: PowerControl;
  policy?: Partial<PowerPolicy>;
}

/** Checks a policy from configuration: every time a whole number of ms, every level 0 to 100. */
export function checkPowerPolicy(p: PowerPolicy): PowerPolicy {
  const ms = (v: number, name: string) => {
    if (!Number.isSafeInteger(v) || v < 1000 || v > 24 * 3600 * 1000) throw new InputError("power-policy", `power policy: ${name} must be 1 s to 24 h in ms`);
  };
  const pct = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 0 || v > 100) throw new InputError("power-policy", `power policy: ${name} must be 0 to 100`);
  };
  ms(p.dimAfterMs, "dimAfterMs");
  ms(p.sleepAfterMs, "sleepAfterMs");
  if (p.sleepAfterMs < p.dimAfterMs) throw new InputError("power-policy", "power policy: sleepAfterMs must not be below dimAfterMs");
  pct(p.minPaymentPercent, "minPaymentPercent");
  pct(p.powerOffPercent, "powerOffPercent");
  if (p.powerOffPercent >= p.minPaymentPercent) throw new InputError("power-policy", "power policy: powerOffPercent must be below minPaymentPercent");
  return p;
}

export class PowerManager {
  private readonly policy: PowerPolicy;
  private lastActivityMs: number;
  private busy = false;
  private current: PowerState = "active";
  private running = false;
  private generation = 0;

  constructor(private readonly o: PowerManagerOptions) {
    this.policy = checkPowerPolicy({ ...DEFAULT_POWER_POLICY, ...o.policy });
    this.lastActivityMs = o.clock.nowMs();
  }

  get state(): PowerState {
    return this.current;
  }

  /** The charge and whether it is charging; a reader without a battery is powered (100 %, charging). */
  level(): BatteryLevel {
    if (!this.o.battery) return { percent: 100, charging: true };
    const r = this.o.battery.read();
    return { percent: lipoPercent(r.millivolts), charging: r.charging };
  }

  /** Something happened a person or phone caused: wake the display and keep the chip awake. */
  activity(): void {
    this.lastActivityMs = this.o.clock.nowMs();
    if (this.current === "off") return;
    if (this.current === "asleep" && this.o.power) this.o.power.allowSleep(false);
    if (this.current !== "active" && this.o.display.dim) this.o.display.dim(false);
    this.current = "active";
    this.schedule();
  }

  /** Called before a payment starts: a payment on a cell that may not last is refused, and the display says so. */
  admitPayment(): PaymentAdmission {
    const level = this.level();
    if (!level.charging && level.percent < this.policy.minPaymentPercent) {
      this.activity();
      this.o.display.show(["BATTERY LOW", "CHARGE READER"]);
      return { admitted: false, reason: "batteryLow", percent: level.percent };
    }
    return { admitted: true };
  }

  /** A payment runs: no dimming, no sleep until it ends. */
  paymentStarted(): void {
    this.busy = true;
    this.activity();
  }

  paymentEnded(): void {
    this.busy = false;
    this.activity();
  }

  /** Acts on the clock's time now; returns the state it leaves the reader in. */
  poll(): PowerState {
    if (this.current === "off") return "off";
    if (this.o.battery && this.o.power) {
      const level = this.level();
      if (!level.charging && level.percent <= this.policy.powerOffPercent && !this.busy) {
        this.current = "off";
        this.o.display.show(["BATTERY EMPTY"]);
        this.o.power.powerOff();
        return "off";
      }
    }
    if (this.busy) return this.current;
    const idle = this.o.clock.nowMs() - this.lastActivityMs;
    if (this.current === "active" && idle >= this.policy.dimAfterMs) {
      if (this.o.display.dim) this.o.display.dim(true);
      this.current = "dimmed";
    }
    if (this.current === "dimmed" && idle >= this.policy.sleepAfterMs && this.o.power) {
      this.o.power.allowSleep(true);
      this.current = "asleep";
    }
    return this.current;
  }

  /** When `poll` next has something to do, ms on the clock (asleep: the battery check every sleepAfterMs). */
  nextDeadlineMs(): number | null {
    // A payment's end is activity, which schedules again.
    if (this.current === "off" || this.busy) return null;
    const p = this.policy;
    if (this.current === "active") return this.lastActivityMs + p.dimAfterMs;
    if (this.current === "dimmed" && this.o.power) return this.lastActivityMs + p.sleepAfterMs;
    return this.o.battery ? this.o.clock.nowMs() + p.sleepAfterMs : null;
  }

  /** Polls at each deadline on the clock until `stop`. */
  run(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.generation++;
  }

  private schedule(): void {
    if (!this.running) return;
    const generation = ++this.generation;
    const deadline = this.nextDeadlineMs();
    if (deadline === null) return;
    const clock = this.o.clock;
    clock.sleep(Math.max(1, deadline - clock.nowMs())).then(() => {
      if (generation !== this.generation) return;
      // A timer may fire a little early by the clock it is compared with: poll, then wait again.
      this.poll();
      this.schedule();
    });
  }
}

/** The keypad as the payment application sees it, each press also counting as activity (the key itself is not kept). */
export function keypadWithActivity(keypad: Keypad, onActivity: () => void): Keypad {
  return { onKey: (handler) => keypad.onKey(handler === null ? null : (key) => { onActivity(); handler(key); }) };
}
