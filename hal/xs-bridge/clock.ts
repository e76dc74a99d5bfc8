import type { Clock } from "../clock";
import type { HostLink } from "./host-link";

// The clock (hal/clock.ts) of the firmware on the XS engine, which has no timers of its own: the
// host's clock (modeled time in the simulator) answers `nowMs`, and a sleep is a wait the host ends.

export const CLOCK = "clock";

export class BridgeClock implements Clock {
  constructor(private readonly link: HostLink) {}

  nowMs(): number {
    return this.link.callSync(CLOCK, "nowMs") as number;
  }

  sleep(ms: number): Promise<void> {
    return this.link.act(CLOCK, "sleep", [ms]);
  }
}
