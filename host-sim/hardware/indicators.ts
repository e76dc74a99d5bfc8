import type { Indicators, LightStates, ToneSpec } from "../../hal/indicators";

// The simulator's four status lights and beeper: the state of the lights and every tone played,
// for tests and the web page (EMV Contactless Book A, 9.2 and 9.3).

export class VirtualIndicators implements Indicators {
  lights: [boolean, boolean, boolean, boolean] = [false, false, false, false];
  flashFirst = false;
  /** Every tone sequence started, oldest first. */
  readonly tones: ToneSpec[] = [];

  setLights(lights: LightStates, flashFirst: boolean): void {
    this.lights = [lights[0], lights[1], lights[2], lights[3]];
    this.flashFirst = flashFirst;
  }

  beep(tone: ToneSpec): void {
    this.tones.push({ ...tone });
  }
}
