import Time from "time";
import Timer from "timer";
import type { Clock } from "../clock";

// The clock of hal/clock.ts on Moddable: Time.ticks (milliseconds since boot, monotonic) and a
// one-shot Timer for each sleep.

export class Esp32Clock implements Clock {
  nowMs(): number {
    return Time.ticks;
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      Timer.set(() => resolve(), Math.max(0, Math.ceil(ms)));
    });
  }
}
