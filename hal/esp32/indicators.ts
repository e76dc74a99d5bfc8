import Digital from "embedded:io/digital";
import PWM from "embedded:io/pwm";
import Timer from "timer";
import type { Indicators, LightStates, ToneSpec } from "../indicators";

// The status lights and the beeper (hal/indicators.ts; EMV Contactless Book A, 9.2 and 9.3): four
// GPIO LEDs, the first one flashed by a timer when asked, and a piezo buzzer on an LEDC PWM output
// at the tone's pitch with a 50 % duty cycle, sequenced by timers so that `beep` never blocks.

/** Book A, 9.2: the first light flashes while idle; on and off for this long each, ms. */
const FLASH_MS = 250;

export interface LedBuzzerOptions {
  leds: [number, number, number, number];
  buzzer: number;
}

export class LedBuzzer implements Indicators {
  private readonly leds: Digital[];
  private readonly buzzerPin: number;
  private readonly tones = new Map<number, PWM>();
  private flash: Timer | null = null;
  private sequence: Timer | null = null;
  private sounding: PWM | null = null;

  constructor(options: LedBuzzerOptions) {
    this.leds = options.leds.map((pin) => new Digital({ pin, mode: Digital.Output }));
    for (const led of this.leds) led.write(0);
    this.buzzerPin = options.buzzer;
  }

  setLights(lights: LightStates, flashFirst: boolean): void {
    if (this.flash) Timer.clear(this.flash);
    this.flash = null;
    lights.forEach((on, i) => this.leds[i].write(on ? 1 : 0));
    if (flashFirst) {
      let on = true;
      this.leds[0].write(1);
      this.flash = Timer.repeat(() => {
        on = !on;
        this.leds[0].write(on ? 1 : 0);
      }, FLASH_MS);
    }
  }

  /** One PWM per pitch (ECMA-419 PWM fixes `hz` at construction); the reader plays two or three pitches. */
  private output(hz: number): PWM {
    let pwm = this.tones.get(hz);
    if (!pwm) {
      pwm = new PWM({ pin: this.buzzerPin, hz });
      this.tones.set(hz, pwm);
    }
    return pwm;
  }

  private silence(): void {
    if (this.sounding) this.sounding.write(0);
    this.sounding = null;
  }

  beep(tone: ToneSpec): void {
    if (this.sequence) Timer.clear(this.sequence);
    this.sequence = null;
    this.silence();
    if (tone.count <= 0 || tone.toneMs <= 0) return;
    const pwm = this.output(Math.max(20, Math.min(20_000, tone.frequencyHz)));
    const half = 1 << (pwm.resolution - 1);
    let left = tone.count;
    const play = () => {
      this.sounding = pwm;
      pwm.write(half);
      this.sequence = Timer.set(() => {
        this.silence();
        left--;
        this.sequence = left > 0 ? Timer.set(play, Math.max(1, tone.pauseMs)) : null;
      }, tone.toneMs);
    };
    play();
  }
}
