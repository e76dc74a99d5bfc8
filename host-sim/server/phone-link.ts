import type { AdvertisingOptions, BlePeripheral, BlePeripheralEvents, ConnectionId } from "../../hal/ble-peripheral";
import { softwareCrypto } from "../../kernel/crypto";
import { MemoryBondStore, ReaderService, type PaymentEngine, type ReaderDisplay } from "../../kernel/protocol";
import { loadFleet, type SimulatedFleet } from "../fleet/fleet";
import { GattBridge } from "../gatt/bridge-server";
import { hostClock, hostRandom } from "../reader/sim-reader";

// The reader's Bluetooth side for the page: the kernel's reader service (docs/protocol.md) on the
// simulator's GATT bridge (a WebSocket on 127.0.0.1 that behaves as the BLE peripheral), with the
// fleet's TEST identity. The page's demo phone app connects to the bridge with the phone SDK
// (client/, BridgeTransport) as an app would over the air. The BLE state the page shows (advertising,
// connections, link encryption) is observed on the peripheral's events as the service sees them.

export interface BleState {
  advertising: boolean;
  name: string | null;
  connections: number;
  /** Connections whose link is encrypted with an authenticated key (LE Secure Connections). */
  secured: number;
}

export interface PhoneLinkOptions {
  engine: PaymentEngine;
  /** The reader's display for the passkey and the pairing code. */
  display: ReaderDisplay;
  onChange: () => void;
  port?: number;
}

/** A BlePeripheral that reports connections and link security as they happen (a driver's view of its own radio). */
class ObservedPeripheral implements BlePeripheral {
  readonly secured = new Set<ConnectionId>();
  readonly connected = new Set<ConnectionId>();
  advertising: AdvertisingOptions | null = null;

  constructor(private readonly inner: GattBridge, private readonly onChange: () => void) {}

  start(options: AdvertisingOptions, events: BlePeripheralEvents): void {
    this.advertising = options;
    this.inner.start(options, {
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
    return this.inner.notify(connection, frame);
  }

  disconnect(connection: ConnectionId): void {
    this.inner.disconnect(connection);
  }

  stop(): void {
    this.advertising = null;
    this.inner.stop();
    this.connected.clear();
    this.secured.clear();
    this.onChange();
  }
}

export class PhoneLink {
  private constructor(
    readonly bridge: GattBridge,
    private readonly peripheral: ObservedPeripheral,
    readonly service: ReaderService,
    readonly fleet: SimulatedFleet,
  ) {}

  static async start(options: PhoneLinkOptions): Promise<PhoneLink> {
    const fleet = loadFleet();
    const bridge = await GattBridge.listen({ port: options.port ?? 0 });
    const peripheral = new ObservedPeripheral(bridge, options.onChange);
    const service = new ReaderService({
      peripheral,
      engine: options.engine,
      identity: fleet.readerIdentity,
      bonds: new MemoryBondStore(),
      trustedConfigurationKeys: fleet.trustedConfigurationKeys,
      sha1: (d) => softwareCrypto.sha1(d),
      random: hostRandom,
      clock: hostClock,
      display: options.display,
    });
    return new PhoneLink(bridge, peripheral, service, fleet);
  }

  /** The bridge's address for the phone (ws://127.0.0.1:port). */
  get url(): string {
    return this.bridge.url;
  }

  /** The reader powers up its radio: the service advertises again. */
  async powerOn(): Promise<void> {
    await this.service.start();
  }

  /** The radio goes down with the reader: every phone is disconnected. */
  powerOff(): void {
    this.service.stop();
  }

  state(): BleState {
    return {
      advertising: this.peripheral.advertising !== null,
      name: this.peripheral.advertising?.name ?? null,
      connections: this.peripheral.connected.size,
      secured: this.peripheral.secured.size,
    };
  }

  async close(): Promise<void> {
    this.service.stop();
    await this.bridge.close();
  }
}
