import type { TamperCause, TamperEvent, TamperMonitor } from "../tamper";
import type { HostLink } from "./host-link";

// The tamper sensors (hal/tamper.ts) of the firmware on the XS engine: the simulator's virtual
// switch raises the "tamper" event between cranks, as the sensor interrupt would.

export const TAMPER = "tamper";

export class BridgeTamper implements TamperMonitor {
  constructor(private readonly link: HostLink) {}

  onTamper(handler: (event: TamperEvent) => void): void {
    this.link.on(TAMPER, "tamper", (event) => handler(event as TamperEvent));
    this.link.callSync(TAMPER, "listen");
  }

  latched(): Promise<TamperCause | null> {
    return this.link.call(TAMPER, "latched") as Promise<TamperCause | null>;
  }

  rearm(): Promise<void> {
    return this.link.act(TAMPER, "rearm");
  }
}
