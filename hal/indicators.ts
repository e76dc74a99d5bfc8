/**
 * The reader's status lights and beeper. A contactless reader has four status lights and a beeper
 * (EMV Contactless Book A, 9.2 and 9.3); the kernel says which lights are on and which tone to play
 * (kernel/contactless/ui.ts `indicatorsFor`, `TONES`), the driver drives the LEDs and the buzzer.
 *
 * ESP32 driver (hal/esp32/): four GPIO LEDs (the first one flashed by a Moddable `timer` when asked)
 * and a piezo buzzer on an LEDC PWM channel; one options object `{ leds, buzzer }`.
 */
export type LightStates = readonly [boolean, boolean, boolean, boolean];

export interface ToneSpec {
  /** Pitch, Hz (Book A, 9.3: about 1500 for success, 750 for alert). */
  frequencyHz: number;
  /** Length of each tone, ms. */
  toneMs: number;
  /** Tones played. */
  count: number;
  /** Silence between two tones, ms. */
  pauseMs: number;
}

export interface Indicators {
  /**
   * The four status lights, left to right; `flashFirst` makes the first light flash instead of
   * staying on (Book A, 9.2: "Idle"). Takes effect at once.
   */
  setLights(lights: LightStates, flashFirst: boolean): void;
  /** Starts a tone sequence at once (a sequence still playing is cut short). Does not block. */
  beep(tone: ToneSpec): void;
}
