import {
  COMMAND_CHARACTERISTIC_UUID, DEVICE_INFO_CHARACTERISTIC_UUID, EVENT_CHARACTERISTIC_UUID, SERVICE_UUID,
} from "../../kernel/protocol/gatt-service";
import { ConnectionError } from "../errors";
import type { GattConnectOptions, GattTransport } from "../gatt-transport";
import { fromBase64, toBase64 } from "./base64";

// Plugging a native BLE library in (React Native). The adapter is written against the five calls
// every native library has; the interface below is the subset of react-native-ble-plx's `Device`
// (https://github.com/dotintent/react-native-ble-plx) it uses, so with that library:
//
//   const device = await manager.connectToDevice(id, { requestMTU: 247 });
//   const transport = new NativeBleTransport({ device });
//   const reader = new ReaderClient({ transport, fleetCaPublicKey, credentials: keychainStore });
//
// For another library, wrap it in an object with these methods (values are base64 strings, as
// ble-plx has them). The OS runs link pairing (its passkey dialog) on the first encrypted access,
// so secureLink() has nothing to do.

export interface NativeCharacteristic {
  value: string | null;
}

export interface NativeSubscription {
  remove(): void;
}

export interface NativeBleDevice {
  /** The negotiated ATT_MTU (ble-plx keeps it on the device object). */
  mtu: number;
  requestMTU(mtu: number): Promise<NativeBleDevice>;
  discoverAllServicesAndCharacteristics(): Promise<NativeBleDevice>;
  readCharacteristicForService(service: string, characteristic: string): Promise<NativeCharacteristic>;
  writeCharacteristicWithResponseForService(service: string, characteristic: string, base64: string): Promise<unknown>;
  writeCharacteristicWithoutResponseForService(service: string, characteristic: string, base64: string): Promise<unknown>;
  monitorCharacteristicForService(service: string, characteristic: string,
    listener: (error: Error | null, characteristic: NativeCharacteristic | null) => void): NativeSubscription;
  onDisconnected(listener: (error: Error | null, device: unknown) => void): NativeSubscription;
  cancelConnection(): Promise<unknown>;
}

export interface NativeBleTransportOptions {
  /** A connected device. */
  device: NativeBleDevice;
}

const S = SERVICE_UUID.toLowerCase();

export class NativeBleTransport implements GattTransport {
  private device: NativeBleDevice;
  private readonly subscriptions: NativeSubscription[] = [];

  constructor(options: NativeBleTransportOptions) {
    this.device = options.device;
  }

  async connect(options: GattConnectOptions): Promise<{ attMtu: number }> {
    // iOS negotiates the MTU by itself and ignores requestMTU; Android needs the request.
    this.device = await this.device.requestMTU(options.preferredMtu);
    this.device = await this.device.discoverAllServicesAndCharacteristics();
    return { attMtu: Math.max(23, Math.min(this.device.mtu, options.preferredMtu)) };
  }

  async readDeviceInformation(): Promise<Uint8Array> {
    const c = await this.device.readCharacteristicForService(S, DEVICE_INFO_CHARACTERISTIC_UUID.toLowerCase());
    return c.value === null ? new Uint8Array(0) : fromBase64(c.value);
  }

  async secureLink(): Promise<void> {
    // The first write to the encrypted command characteristic makes the OS pair (passkey dialog);
    // the SDK's first frame is that write, so there is nothing to do before it.
  }

  async subscribe(onFrame: (frame: Uint8Array) => void): Promise<void> {
    this.subscriptions.push(this.device.monitorCharacteristicForService(S, EVENT_CHARACTERISTIC_UUID.toLowerCase(), (error, c) => {
      if (error === null && c !== null && c.value !== null) onFrame(fromBase64(c.value));
    }));
  }

  async write(frame: Uint8Array, withResponse: boolean): Promise<void> {
    const c = COMMAND_CHARACTERISTIC_UUID.toLowerCase();
    try {
      if (withResponse) await this.device.writeCharacteristicWithResponseForService(S, c, toBase64(frame));
      else await this.device.writeCharacteristicWithoutResponseForService(S, c, toBase64(frame));
    } catch (e) {
      throw new ConnectionError("disconnected", `native ble: write failed (${e instanceof Error ? e.message : "unknown"})`);
    }
  }

  onDisconnect(listener: (reason: string) => void): void {
    this.subscriptions.push(this.device.onDisconnected((error) => listener(error?.message ?? "the device disconnected")));
  }

  async disconnect(): Promise<void> {
    for (const s of this.subscriptions.splice(0)) s.remove();
    await this.device.cancelConnection();
  }
}
