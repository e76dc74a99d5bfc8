import { allow, configure, powerOff } from "lightsleep";
import type { PowerControl } from "../power";

// Sleep between payments (hal/power.ts) on ESP-IDF power management through the native module
// lightsleep (native/lightsleep.c: the Moddable SDK has no sleep module for the ESP32). Awake, the
// CPU runs at 240 MHz; allowed to sleep, it drops to 40 MHz (the crystal) and enters light sleep
// whenever it idles, woken by the BLE controller, a timer, or a change on a wake pin: the keypad's
// columns (the keypad driver holds its rows low and runs no timer while no key is down) and the
// contact slot's card-detect line (TDA8035 OFFN), armed by lightsleep.c just before each sleep and
// given back their own interrupts after it. Powered off, it waits in deep sleep for the charger.

/** ESP32-S3: the CPU at full speed, and at the crystal's 40 MHz while it may sleep (ESP-IDF esp_pm_config_t). */
const MAX_CPU_MHZ = 240;
const MIN_CPU_MHZ = 40;

export interface Esp32PowerOptions {
  /** GPIOs whose change wakes the chip from light sleep (at most 8). */
  wakePins: readonly number[];
  /** The charger's status output (low while charging), an RTC GPIO (0 to 21): it ends a power off. */
  chargerPin: number;
}

export class Esp32Power implements PowerControl {
  private readonly chargerPin: number;

  constructor(options: Esp32PowerOptions) {
    if (options.wakePins.length > 8) throw new RangeError("power: at most 8 wake pins");
    if (!Number.isInteger(options.chargerPin) || options.chargerPin < 0 || options.chargerPin > 21) {
      throw new RangeError("power: the charger pin must be an RTC GPIO, 0 to 21");
    }
    this.chargerPin = options.chargerPin;
    configure(MAX_CPU_MHZ, MIN_CPU_MHZ, options.wakePins);
  }

  allowSleep(allowed: boolean): void {
    allow(allowed);
  }

  powerOff(): void {
    powerOff(this.chargerPin);
  }
}
