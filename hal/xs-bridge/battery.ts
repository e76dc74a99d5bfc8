import type { Battery, BatteryReading } from "../battery";
import type { HostLink } from "./host-link";
import { BridgeWireError } from "./wire";

// The battery (hal/battery.ts) of the firmware on the XS engine: one synchronous host call a
// reading, as one ADC conversion and one GPIO read are on the ESP32. The simulator's cell
// (host-sim/hardware/battery.ts) answers; what comes back is checked before the power manager
// (firmware/app/power-manager.ts) decides on it.

export const BATTERY = "battery";

/** A single LiPo cell reads about 3000 to 4200 mV; anything above this is no cell (hal/battery.ts). */
const MAX_CELL_MILLIVOLTS = 5000;

export class BridgeBattery implements Battery {
  constructor(private readonly link: HostLink) {}

  read(): BatteryReading {
    const r = this.link.callSync(BATTERY, "read");
    if (r === null || typeof r !== "object") throw new BridgeWireError("battery: the host's reading is not an object");
    const { millivolts, charging } = r as Record<string, unknown>;
    if (typeof millivolts !== "number" || !Number.isInteger(millivolts) || millivolts < 0 || millivolts > MAX_CELL_MILLIVOLTS) {
      throw new BridgeWireError(`battery: millivolts must be an integer 0 to ${MAX_CELL_MILLIVOLTS}`);
    }
    if (typeof charging !== "boolean") throw new BridgeWireError("battery: charging must be true or false");
    return { millivolts, charging };
  }
}
