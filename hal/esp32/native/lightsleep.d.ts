// The native module lightsleep (lightsleep.c, lightsleep.js): ESP-IDF power management's automatic
// light sleep and deep sleep, which the Moddable SDK does not offer on the ESP32.
declare module "lightsleep" {
  /**
   * Enables automatic light sleep (CPU at `maxMHz` while held awake, `minMHz` when it may sleep), held
   * off until `allow(true)`; at most 8 wake pins (GPIO 0 to 48), armed just before each light sleep.
   */
  export function configure(maxMHz: number, minMHz: number, wakePins: readonly number[]): void;
  /** Lets the chip sleep when idle (a change on a wake pin wakes it), or holds it awake. */
  export function allow(allowed: boolean): void;
  /** Deep sleep until `chargerPin` (an RTC GPIO, 0 to 21) reads low; does not return. */
  export function powerOff(chargerPin: number): never;
}
