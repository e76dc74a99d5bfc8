import { isKey, type Key, type Keypad } from "../keypad";
import type { HostLink } from "./host-link";
import { BridgeWireError } from "./wire";

// The keypad (hal/keypad.ts) of the firmware on the XS engine: the simulator's virtual keypad
// raises the "key" event between cranks, as the key-scan interrupt would. While no handler is
// registered the host does not send keys (a press is dropped there, as on the device). A key is
// never logged; an event that is not a key is refused without saying what it was.

export const KEYPAD = "keypad";

export class BridgeKeypad implements Keypad {
  constructor(private readonly link: HostLink) {}

  onKey(handler: ((key: Key) => void) | null): void {
    this.link.on(KEYPAD, "key", (key) => {
      if (!isKey(key)) throw new BridgeWireError("keypad: the host sent something that is not a key");
      if (handler !== null) handler(key);
    });
    this.link.callSync(KEYPAD, "listen", [handler !== null]);
  }
}
