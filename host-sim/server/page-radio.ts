import type { AdvertisingOptions, BlePeripheral, BlePeripheralEvents, ConnectionId } from "../../hal/ble-peripheral";
import { GattBridge } from "../gatt/bridge-server";

// The reader's Bluetooth LE radio on the page: the simulator's GATT bridge (a WebSocket on
// 127.0.0.1 that behaves as the BLE peripheral, host-sim/gatt/bridge-server.ts) handed to the
// reader firmware as its BlePeripheral. The page's demo phone app and any phone SDK connect to the
// bridge as an app would over the air. What the page shows of the radio (advertising, connections,
// link encryption) is observed on the peripheral's events as the firmware gets them. The radio
// outlives a power cut: the firmware stops it when it goes down and starts it again at power-up.

export interface BleState {
  advertising: boolean;
  name: string | null;
  connections: number;
  /** Connections whose link is encrypted with an authenticated key (LE Secure Connections). */
  secured: number;
}

export class PageRadio implements BlePeripheral {
  private readonly secured = new Set<ConnectionId>();
  private readonly connected = new Set<ConnectionId>();
  private advertising: AdvertisingOptions | null = null;

  private constructor(private readonly bridge: GattBridge, private readonly onChange: () => void) {}

  /** Opens the bridge on `port` (0: a free one). */
  static async open(port: number, onChange: () => void): Promise<PageRadio> {
    return new PageRadio(await GattBridge.listen({ port }), onChange);
  }

  /** The bridge's address for the phone (ws://127.0.0.1:port). */
  get url(): string {
    return this.bridge.url;
  }

  start(options: AdvertisingOptions, events: BlePeripheralEvents): void {
    this.advertising = options;
    this.bridge.start(options, {
      ...events,
      onConnect: (id) => {
        this.connected.add(id);
        events.onConnect(id);
        this.onChange();
      },
      onSecurity: (id, security) => {
        if (security.encrypted && security.authenticated) this.secured.add(id);
        events.onSecurity(id, security);
        this.onChange();
      },
      onDisconnect: (id) => {
        this.connected.delete(id);
        this.secured.delete(id);
        events.onDisconnect(id);
        this.onChange();
      },
    });
    this.onChange();
  }

  notify(connection: ConnectionId, frame: Uint8Array): Promise<void> {
    return this.bridge.notify(connection, frame);
  }

  disconnect(connection: ConnectionId): void {
    this.bridge.disconnect(connection);
  }

  /** The radio goes down (the firmware stops it, or the power goes): every phone is disconnected. */
  stop(): void {
    this.advertising = null;
    this.bridge.stop();
    this.connected.clear();
    this.secured.clear();
    this.onChange();
  }

  state(): BleState {
    return {
      advertising: this.advertising !== null,
      name: this.advertising?.name ?? null,
      connections: this.connected.size,
      secured: this.secured.size,
    };
  }

  async close(): Promise<void> {
    this.stop();
    await this.bridge.close();
  }
}
