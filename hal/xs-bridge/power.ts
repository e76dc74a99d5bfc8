import type { HostLink } from "./host-link";

// The reader's power as the firmware on the XS engine sees it: a restart (after a firmware install
// or a phone's REBOOT request) is the host's to carry out - it stops this engine and boots a new
// one over the same storages, as the ESP32 reboots with its flash intact.

export const POWER = "power";

export class BridgePower {
  constructor(private readonly link: HostLink) {}

  restart(): void {
    this.link.callSync(POWER, "restart");
  }
}
