/**
 * The reader's power states between payments. The firmware decides when (firmware/app/power-manager.ts:
 * after so many seconds idle the display dims, then the chip may sleep; on an empty cell the reader
 * powers off); the driver does what the chip offers.
 *
 * - Sleep while idle keeps RAM, the Bluetooth LE connection and the timers: the chip stops between
 *   events and wakes for the radio, a timer, a key, a card inserted. Nothing is lost: the firmware
 *   carries on where it was.
 * - Power off ends everything: the next wake (the charger starting) is a boot, with its self-tests.
 *
 * ESP32 driver (hal/esp32/power.ts): ESP-IDF power management's automatic light sleep (a
 * CPU-at-maximum lock held while awake, which also rules out sleep) with GPIO wake-up on the keypad
 * columns and the card-detect line, and deep sleep with an EXT1 wake-up on the charger's status line for power off; one options
 * object `{ wakePins, chargerPin }`. Simulator: none (the laptop does not sleep).
 */
export interface PowerControl {
  /** Allows (true) or forbids (false) the chip to sleep whenever it has nothing to do. Takes effect at once. */
  allowSleep(allowed: boolean): void;
  /** Powers the reader off until external power returns. Does not return on the device. */
  powerOff(): void;
}
