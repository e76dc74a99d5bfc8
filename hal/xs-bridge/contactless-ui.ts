import type { ContactlessUi, UiRequest } from "../../kernel/contactless/ui";
import type { HostLink } from "./host-link";

// The contactless kernels' user interface (kernel/contactless/ui.ts) of the firmware on the XS
// engine: each request goes to the simulator's display, lights and beeper, synchronously.

export const CONTACTLESS_UI = "contactlessUi";

export class BridgeContactlessUi implements ContactlessUi {
  constructor(private readonly link: HostLink) {}

  request(request: UiRequest): void {
    this.link.callSync(CONTACTLESS_UI, "request", [request]);
  }
}
