/**
 * The reader's battery: one lithium-polymer cell behind a linear charger. The driver measures; the
 * firmware decides (firmware/app/power-manager.ts: the charge in percent from the cell's voltage,
 * payments refused when it is too low, sleep between payments).
 *
 * A reading is the cell voltage as the driver measured it (through the board's divider, scaled back
 * to the cell) and whether the charger is charging. A reader powered from USB without a cell has
 * no Battery: the firmware then reports itself powered.
 *
 * ESP32 driver (hal/esp32/battery.ts): the divider's midpoint on an ADC input through ECMA-419
 * `embedded:io/analog` (ESP-IDF's calibrated one-shot reading), the charger's open-drain status
 * output (low while charging) on a Digital input with pull-up; one options object
 * `{ sense, charging, dividerRatio }`. Simulator: host-sim/hardware/battery.ts.
 */
export interface BatteryReading {
  /** Cell voltage, millivolts (a single LiPo cell reads about 3000 to 4200). */
  millivolts: number;
  /** The charger is charging the cell (external power present, the cell not full). */
  charging: boolean;
}

export interface Battery {
  /** Measures now. Synchronous: one ADC conversion and one GPIO read. */
  read(): BatteryReading;
}
