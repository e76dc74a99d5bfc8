import Analog from "embedded:io/analog";
import Digital from "embedded:io/digital";
import type { Battery, BatteryReading } from "../battery";

// The battery (hal/battery.ts) on ECMA-419 IO: the cell through a resistor divider on an ADC input
// (`embedded:io/analog`), the charger's status on a Digital input. Moddable's ESP32 Analog reads
// with ESP-IDF's calibration at 12 dB attenuation by default and returns the calibrated millivolts
// scaled to 0 ... 2^resolution - 1 over its 0 ... 2450 mV range (modules/io/analog/esp32/_analog.c,
// kAttenuationTable): the driver scales back and multiplies by the divider. Two 100 kOhm resistors
// (ratio 2) put a full cell's 4.2 V at 2.1 V, inside that range. The charger (an MCP73831-class
// linear charger) pulls its open-drain STAT low while it charges; the input has a pull-up.

/** The ADC's range at 12 dB attenuation, mV (Moddable's _analog.c for ESP32, kAttenuationTable[3].Vmax). */
const FULL_SCALE_MV = 2450;
/** Conversions averaged per reading (the ADC's noise is a few LSB). */
const SAMPLES = 8;

export interface Esp32BatteryOptions {
  /** ADC input on the divider's midpoint (ESP32-S3: ADC1 is GPIO 1 to 10). */
  sense: number;
  /** The charger's status output (low while charging). */
  charging: number;
  /** Cell voltage / ADC input voltage (2 for two equal resistors). */
  dividerRatio: number;
}

export class Esp32Battery implements Battery {
  private readonly adc: Analog;
  private readonly status: Digital;
  private readonly ratio: number;

  constructor(options: Esp32BatteryOptions) {
    if (!(options.dividerRatio >= 1 && options.dividerRatio <= 10)) throw new RangeError("battery: the divider ratio must be 1 to 10");
    this.ratio = options.dividerRatio;
    this.adc = new Analog({ pin: options.sense });
    this.status = new Digital({ pin: options.charging, mode: Digital.InputPullUp });
  }

  read(): BatteryReading {
    let sum = 0;
    for (let i = 0; i < SAMPLES; i++) sum += this.adc.read();
    const max = (1 << this.adc.resolution) - 1;
    const millivolts = Math.round(((sum / SAMPLES) * FULL_SCALE_MV * this.ratio) / max);
    return { millivolts, charging: this.status.read() === 0 };
  }
}
