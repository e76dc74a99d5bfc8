import Digital from "embedded:io/digital";
import type { TamperCause, TamperEvent, TamperMonitor } from "../tamper";

// The tamper sensors (hal/tamper.ts) on ECMA-419 Digital inputs: the enclosure switch and the mesh
// loop each read low when tripped and interrupt on the falling edge; the board's tamper latch (a
// supervisor powered from the backup cell) holds LATCH low from the first trip until REARM is
// pulsed high, across resets and power cuts. The backup cell powers the enclosure loop only, so a
// trip latched while the reader was off is the enclosure's.

export interface TamperOptions {
  enclosure?: number;
  mesh?: number;
  /** Reads low while a tamper event is latched. */
  latch: number;
  /** Pulsed high to clear the latch (after re-commissioning). */
  rearm: number;
}

export class Esp32Tamper implements TamperMonitor {
  private handler: ((event: TamperEvent) => void) | null = null;
  private lastCause: TamperCause | null = null;
  private readonly sensors: { cause: TamperCause; input: Digital }[] = [];
  private readonly latch: Digital;
  private readonly rearmPin: Digital;

  constructor(options: TamperOptions) {
    const watch = (cause: TamperCause, pin: number | undefined) => {
      if (pin === undefined) return;
      const input = new Digital({
        pin,
        mode: Digital.InputPullUp,
        edge: Digital.Falling,
        onReadable: () => this.tripped(cause),
      });
      this.sensors.push({ cause, input });
    };
    watch("enclosure", options.enclosure);
    watch("mesh", options.mesh);
    this.latch = new Digital({ pin: options.latch, mode: Digital.InputPullUp });
    this.rearmPin = new Digital({ pin: options.rearm, mode: Digital.Output });
    this.rearmPin.write(0);
  }

  private tripped(cause: TamperCause): void {
    this.lastCause = cause;
    if (this.handler) this.handler({ cause });
  }

  onTamper(handler: (event: TamperEvent) => void): void {
    this.handler = handler;
  }

  async latched(): Promise<TamperCause | null> {
    if (this.latch.read() === 1) return null;
    for (const s of this.sensors) if (s.input.read() === 0) return s.cause;
    // Latched while the reader was off (only the enclosure loop is watched then), or the sensor is back to normal.
    return this.lastCause ?? "enclosure";
  }

  async rearm(): Promise<void> {
    this.rearmPin.write(1);
    this.rearmPin.write(0);
    this.lastCause = null;
  }
}
