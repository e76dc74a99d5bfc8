import type { Indicators, LightStates, ToneSpec } from "../indicators";
import type { HostLink } from "./host-link";

// The status lights and beeper (hal/indicators.ts) of the firmware on the XS engine: the
// simulator's virtual lights and beeper, set synchronously (EMV Contactless Book A, 9.2 and 9.3).

export const INDICATORS = "indicators";

export class BridgeIndicators implements Indicators {
  constructor(private readonly link: HostLink) {}

  setLights(lights: LightStates, flashFirst: boolean): void {
    this.link.callSync(INDICATORS, "setLights", [[lights[0], lights[1], lights[2], lights[3]], flashFirst]);
  }

  beep(tone: ToneSpec): void {
    this.link.callSync(INDICATORS, "beep", [{ frequencyHz: tone.frequencyHz, toneMs: tone.toneMs, count: tone.count, pauseMs: tone.pauseMs }]);
  }
}
