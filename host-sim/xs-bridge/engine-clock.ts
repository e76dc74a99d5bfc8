import type { Clock } from "../../hal/clock";

// The clock of the firmware on the simulator's XS engine: the host's clock, stopped while the
// engine computes. The XS engine on the laptop runs at no speed of the ESP32's (the interpreter,
// and a host round trip for every HAL call), so its computing time is no model of the device's;
// counted, it would break the card protocols' timing (EMV Book 1, 8.2: an ATR within 20 160 etu,
// some 5.6 ms), which the reader measures with this clock. Stopped, the firmware computes in no
// time, as on Node, and waits for hardware and people in real time.

export class EngineClock implements Clock {
  private stoppedAt: number | null = null;
  /** Time the engine spent computing, taken out of the clock. */
  private computedMs = 0;

  constructor(private readonly host: Clock) {}

  nowMs(): number {
    return (this.stoppedAt ?? this.host.nowMs()) - this.computedMs;
  }

  /** The engine starts a crank. */
  stop(): void {
    if (this.stoppedAt === null) this.stoppedAt = this.host.nowMs();
  }

  /** The engine's crank ended: the clock runs again from where it stopped. */
  run(): void {
    if (this.stoppedAt === null) return;
    this.computedMs += this.host.nowMs() - this.stoppedAt;
    this.stoppedAt = null;
  }

  /** Resolves once this clock has moved `ms` (the host's sleep, again for what the engine took). */
  async sleep(ms: number): Promise<void> {
    const until = this.nowMs() + ms;
    while (this.nowMs() < until) await this.host.sleep(Math.max(1, until - this.nowMs()));
  }
}
