import type { Battery, BatteryReading } from "../../hal/battery";
import { lipoMillivolts } from "../../firmware/app/lipo-charge";

// The simulator's battery (hal/battery.ts): one LiPo cell whose voltage follows the open-circuit
// curve of firmware/app/lipo-charge.ts from its state of charge, drained by what the reader draws
// and refilled while the charger is plugged in. Tests and the web page set it directly.

export interface SimulatedBatteryOptions {
  /** Cell capacity, mAh (default 1000). */
  capacityMah?: number;
  /** Initial charge, percent (default 80). */
  percent?: number;
  charging?: boolean;
}

export class SimulatedBattery implements Battery {
  private readonly capacityMah: number;
  private charge: number;
  private plugged: boolean;

  constructor(options: SimulatedBatteryOptions = {}) {
    this.capacityMah = options.capacityMah ?? 1000;
    if (!(this.capacityMah > 0)) throw new RangeError("simulated battery: capacity must be positive");
    this.charge = clampPercent(options.percent ?? 80);
    this.plugged = options.charging ?? false;
  }

  read(): BatteryReading {
    // A full cell on the charger is in its constant-voltage phase and stops charging (the charger's status goes high).
    return { millivolts: lipoMillivolts(this.charge), charging: this.plugged && this.charge < 100 };
  }

  get percent(): number {
    return this.charge;
  }

  set percent(value: number) {
    this.charge = clampPercent(value);
  }

  /** External power is in (the charger may still have stopped: a full cell). */
  get pluggedIn(): boolean {
    return this.plugged;
  }

  /** External power in (true) or out (false). */
  setCharging(plugged: boolean): void {
    this.plugged = plugged;
  }

  /** Draws `milliamps` for `ms` milliseconds (negative: charges). */
  draw(milliamps: number, ms: number): void {
    const mah = (milliamps * ms) / 3_600_000;
    this.charge = clampPercent(this.charge - (mah / this.capacityMah) * 100);
  }
}

function clampPercent(p: number): number {
  if (!Number.isFinite(p)) throw new RangeError("simulated battery: the charge must be a number");
  return Math.min(100, Math.max(0, p));
}
