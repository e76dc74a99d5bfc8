import type { Display } from "../../hal/display";
import type { Indicators } from "../../hal/indicators";
import { CL_MESSAGES, indicatorsFor, TONES, type ContactlessUi, type UiRequest } from "../../kernel/contactless/ui";

// The contactless kernels' user interface requests on the device (EMV Contactless Book A, 9): the
// message on the display (with the amount when the request carries one), the four status lights
// and the tone the status calls for.

export class DeviceContactlessUi implements ContactlessUi {
  constructor(private readonly display: Display, private readonly indicators: Indicators, private readonly currencyExponent: number) {}

  request(r: UiRequest): void {
    const lines: string[] = [];
    const text = CL_MESSAGES[r.message].text;
    if (text) lines.push(text);
    if (r.amount !== undefined) {
      const e = this.currencyExponent;
      const s = String(r.amount).padStart(e + 1, "0");
      lines.push(e > 0 ? `${s.slice(0, -e)}.${s.slice(-e)}` : s);
    }
    if (lines.length > 0) this.display.show(lines);
    const ind = indicatorsFor(r.status);
    this.indicators.setLights(ind.lights, ind.flashFirst);
    if (ind.tone) this.indicators.beep(TONES[ind.tone]);
  }
}
