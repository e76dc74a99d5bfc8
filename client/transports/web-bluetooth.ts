import {
  COMMAND_CHARACTERISTIC_UUID, DEFAULT_ATT_MTU, DEVICE_INFO_CHARACTERISTIC_UUID, EVENT_CHARACTERISTIC_UUID, SERVICE_UUID,
} from "../../kernel/protocol/gatt-service";
import { ConnectionError } from "../errors";
import type { GattConnectOptions, GattTransport } from "../gatt-transport";

// The GATT transport over Web Bluetooth (https://webbluetoothcg.github.io/web-bluetooth/), for a
// browser app (Chrome, Edge; Android and desktop). Two things differ from a native stack:
// - the page never sees the ATT_MTU: the browser negotiates it, so frames are sized for
//   `attMtu` (default 23, always safe; 247 when the app knows the platform negotiates it, e.g.
//   Chrome on Android);
// - the browser and the OS run pairing: the first access to the encrypted characteristics shows
//   the OS's passkey dialog, so secureLink() has nothing to do.
// The types below are the subset of the Web Bluetooth IDL the adapter uses (the project compiles
// without the DOM library).

interface BluetoothCharacteristic extends EventTarget {
  readonly value?: DataView;
  readValue(): Promise<DataView>;
  writeValueWithResponse(value: Uint8Array): Promise<void>;
  writeValueWithoutResponse(value: Uint8Array): Promise<void>;
  startNotifications(): Promise<BluetoothCharacteristic>;
}

interface BluetoothService {
  getCharacteristic(uuid: string): Promise<BluetoothCharacteristic>;
}

interface BluetoothServer {
  readonly connected: boolean;
  connect(): Promise<BluetoothServer>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<BluetoothService>;
}

export interface BluetoothDeviceLike extends EventTarget {
  readonly gatt?: BluetoothServer;
}

interface EventTarget {
  addEventListener(type: string, listener: (event: { target: unknown }) => void): void;
}

export interface WebBluetoothOptions {
  /** A device from navigator.bluetooth.requestDevice({ filters: [{ services: [webBluetoothServiceUuid] }] }). */
  device: BluetoothDeviceLike;
  /** The ATT_MTU to size frames for (default 23). */
  attMtu?: number;
}

/** The service UUID in the lower case Web Bluetooth requires. */
export const webBluetoothServiceUuid = SERVICE_UUID.toLowerCase();

function bytesOf(view: DataView): Uint8Array {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export class WebBluetoothTransport implements GattTransport {
  private command: BluetoothCharacteristic | null = null;
  private events: BluetoothCharacteristic | null = null;
  private info: BluetoothCharacteristic | null = null;
  private readonly listeners: ((reason: string) => void)[] = [];

  constructor(private readonly options: WebBluetoothOptions) {}

  async connect(_options: GattConnectOptions): Promise<{ attMtu: number }> {
    const gatt = this.options.device.gatt;
    if (gatt === undefined) throw new ConnectionError("not-connected", "web bluetooth: the device has no GATT server");
    const server = await gatt.connect();
    this.options.device.addEventListener("gattserverdisconnected", () => {
      for (const l of this.listeners.splice(0)) l("the device disconnected");
    });
    const service = await server.getPrimaryService(webBluetoothServiceUuid);
    this.command = await service.getCharacteristic(COMMAND_CHARACTERISTIC_UUID.toLowerCase());
    this.events = await service.getCharacteristic(EVENT_CHARACTERISTIC_UUID.toLowerCase());
    this.info = await service.getCharacteristic(DEVICE_INFO_CHARACTERISTIC_UUID.toLowerCase());
    return { attMtu: this.options.attMtu ?? DEFAULT_ATT_MTU };
  }

  async readDeviceInformation(): Promise<Uint8Array> {
    if (this.info === null) throw new ConnectionError("not-connected", "web bluetooth: connect first");
    return bytesOf(await this.info.readValue());
  }

  async secureLink(): Promise<void> {
    // The OS pairs on the first access to an encrypted characteristic (its passkey dialog).
  }

  async subscribe(onFrame: (frame: Uint8Array) => void): Promise<void> {
    const events = this.events;
    if (events === null) throw new ConnectionError("not-connected", "web bluetooth: connect first");
    events.addEventListener("characteristicvaluechanged", (e) => {
      const value = (e.target as BluetoothCharacteristic).value;
      if (value !== undefined) onFrame(bytesOf(value));
    });
    await events.startNotifications();
  }

  async write(frame: Uint8Array, withResponse: boolean): Promise<void> {
    if (this.command === null) throw new ConnectionError("not-connected", "web bluetooth: connect first");
    if (withResponse) await this.command.writeValueWithResponse(frame);
    else await this.command.writeValueWithoutResponse(frame);
  }

  onDisconnect(listener: (reason: string) => void): void {
    this.listeners.push(listener);
  }

  async disconnect(): Promise<void> {
    this.options.device.gatt?.disconnect();
  }
}
