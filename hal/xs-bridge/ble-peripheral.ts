import type { AdvertisingOptions, BlePeripheral, BlePeripheralEvents, ConnectionId, LinkSecurity } from "../ble-peripheral";
import { ATT_MTU_LIMIT, DEFAULT_ATT_MTU } from "../../kernel/protocol/gatt-service";
import type { HostLink } from "./host-link";
import { BridgeWireError } from "./wire";

// The BLE peripheral (hal/ble-peripheral.ts) of the firmware on the XS engine, served by the
// simulator's GATT side (the in-memory loopback for tests, the GATT bridge's WebSocket for the
// phones of `npm start`). What the stack reports - a connection, its ATT_MTU, its security, the
// event CCCD, a command frame, the end of a connection, a passkey to show - arrives as events
// between cranks, as the stack's callbacks do on the device; a notification is a request the
// host settles once its stack took the frame. Every event is checked here before the kernel sees
// it: the host plays the radio, and what comes over the radio is untrusted.

export const BLE = "ble";

/** Bluetooth Core v5.3, Vol 6, Part B, 2.4.2: a connection handle is 12 bits (0x0000-0x0EFF). */
const MAX_CONNECTION = 0x0eff;
/** Vol 3, Part F, 3.2.9: an attribute value is at most 512 bytes (the kernel checks ATT_MTU - 3). */
const MAX_ATTRIBUTE_VALUE = 512;
/** Vol 3, Part H, 2.3.5.6.3: a passkey is a 6-digit number. */
const MAX_PASSKEY = 999_999;

function connection(v: unknown): ConnectionId {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > MAX_CONNECTION) throw new BridgeWireError("ble: a connection handle is 0 to 0x0EFF");
  return v;
}

function flag(v: unknown, what: string): boolean {
  if (typeof v !== "boolean") throw new BridgeWireError(`ble: ${what} must be true or false`);
  return v;
}

function security(v: unknown): LinkSecurity {
  if (v === null || typeof v !== "object") throw new BridgeWireError("ble: link security is an object");
  const s = v as Record<string, unknown>;
  return { encrypted: flag(s.encrypted, "encrypted"), authenticated: flag(s.authenticated, "authenticated"), bonded: flag(s.bonded, "bonded") };
}

export class BridgeBlePeripheral implements BlePeripheral {
  constructor(private readonly link: HostLink) {}

  start(options: AdvertisingOptions, events: BlePeripheralEvents): void {
    const on = (event: string, handler: (...args: unknown[]) => void) => this.link.on(BLE, event, handler);
    on("connect", (c) => events.onConnect(connection(c)));
    on("mtu", (c, mtu) => {
      // Vol 3, Part F, 3.4.2.2: ATT_MTU is at least the default 23 and at most 517.
      if (typeof mtu !== "number" || !Number.isInteger(mtu) || mtu < DEFAULT_ATT_MTU || mtu > ATT_MTU_LIMIT) {
        throw new BridgeWireError("ble: ATT_MTU out of range");
      }
      events.onMtu(connection(c), mtu);
    });
    on("security", (c, s) => events.onSecurity(connection(c), security(s)));
    on("subscribe", (c, enabled) => events.onSubscribe(connection(c), flag(enabled, "subscribe")));
    on("command", (c, frame) => {
      if (!(frame instanceof Uint8Array) || frame.length > MAX_ATTRIBUTE_VALUE) {
        throw new BridgeWireError("ble: a command frame is bytes of an attribute value's length");
      }
      events.onCommand(connection(c), frame);
    });
    on("disconnect", (c) => events.onDisconnect(connection(c)));
    on("passkey", (c, passkey) => {
      if (typeof passkey !== "number" || !Number.isInteger(passkey) || passkey < 0 || passkey > MAX_PASSKEY) {
        throw new BridgeWireError("ble: a passkey is 0 to 999999");
      }
      events.onPasskeyDisplay(connection(c), passkey);
    });
    this.link.callSync(BLE, "start", [options]);
  }

  notify(connection: ConnectionId, frame: Uint8Array): Promise<void> {
    return this.link.act(BLE, "notify", [connection, frame]);
  }

  disconnect(connection: ConnectionId): void {
    this.link.callSync(BLE, "disconnect", [connection]);
  }

  stop(): void {
    this.link.callSync(BLE, "stop");
  }
}
