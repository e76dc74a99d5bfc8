import BLEServer from "bleserver";
import { Bytes } from "btutils";
import GAP from "gap";
import type { Characteristic, Client } from "gatt";
import type { IOCapability } from "sm";
import type { AdvertisingOptions, BlePeripheral, BlePeripheralEvents, ConnectionId } from "../ble-peripheral";

// The Bluetooth LE peripheral (hal/ble-peripheral.ts) on Moddable's `bleserver`: the GATT service of
// firmware/bleservices/mpos-reader.json (command: write, writeEncrypted; events: notify; deviceInfo:
// read), LE Secure Connections with bonding and MITM protection, the reader as DisplayOnly so the
// phone's user types the passkey the reader shows (Core Spec v5.3, Vol 3, Part H, 2.3.5.1). The
// server takes one connection at a time (Moddable's default `max_connections` 1) and advertises
// again when it ends.

/** The characteristic names of firmware/bleservices/mpos-reader.json (kernel/protocol/gatt-service.ts). */
const COMMAND = "command";
const EVENTS = "events";
const DEVICE_INFO = "deviceInfo";
/** sm's IOCapability.DisplayOnly (a const enum in @moddable/typings, which isolated modules cannot read). */
const DISPLAY_ONLY = 1 as IOCapability;

function uuid128(text: string): Bytes {
  return new Bytes(text.replace(/-/g, ""), true);
}

/** bleserver's callbacks that @moddable/typings does not declare (modules/network/ble/bleserver.js). */
interface SecurityCallbacks {
  onPasskeyDisplay(params: { address: Bytes; passkey: number }): void;
  onAuthenticated(params: { bonded: boolean }): void;
  onMTUExchanged(mtu: number): void;
  onCharacteristicNotifyDisabled(characteristic: Characteristic): void;
}

class ReaderServer extends BLEServer implements SecurityCallbacks {
  connection: ConnectionId = -1;
  events: Characteristic | null = null;

  constructor(private readonly owner: Esp32BlePeripheral) {
    super();
  }

  override onReady(): void {
    this.owner.ready(this);
  }

  override onConnected(device: Client): void {
    this.connection = device.connection;
    this.owner.listener?.onConnect(this.connection);
  }

  override onDisconnected(): void {
    const id = this.connection;
    this.connection = -1;
    this.events = null;
    this.owner.listener?.onDisconnect(id);
    this.owner.advertise(this);
  }

  onMTUExchanged(mtu: number): void {
    if (this.connection >= 0) this.owner.listener?.onMtu(this.connection, mtu);
  }

  onPasskeyDisplay(params: { address: Bytes; passkey: number }): void {
    if (this.connection >= 0) this.owner.listener?.onPasskeyDisplay(this.connection, params.passkey);
  }

  /** Pairing (or encryption with a stored bond) completed; the security parameters demand MITM, so it is authenticated. */
  onAuthenticated(params: { bonded: boolean }): void {
    if (this.connection >= 0) this.owner.listener?.onSecurity(this.connection, { encrypted: true, authenticated: true, bonded: params.bonded });
  }

  override onCharacteristicNotifyEnabled(characteristic: Characteristic): void {
    if (characteristic.name !== EVENTS || this.connection < 0) return;
    this.events = characteristic;
    this.owner.listener?.onSubscribe(this.connection, true);
  }

  onCharacteristicNotifyDisabled(characteristic: Characteristic): void {
    if (characteristic.name !== EVENTS || this.connection < 0) return;
    this.events = null;
    this.owner.listener?.onSubscribe(this.connection, false);
  }

  override onCharacteristicWritten(characteristic: Characteristic, value: unknown): void {
    if (characteristic.name !== COMMAND || this.connection < 0 || !(value instanceof ArrayBuffer)) return;
    this.owner.listener?.onCommand(this.connection, new Uint8Array(value));
  }

  override onCharacteristicRead(characteristic: Characteristic): Uint8Array | void {
    if (characteristic.name === DEVICE_INFO) return this.owner.deviceInformation();
  }
}

export class Esp32BlePeripheral implements BlePeripheral {
  listener: BlePeripheralEvents | null = null;
  private advertising: AdvertisingOptions | null = null;
  private server: ReaderServer | null = null;

  start(options: AdvertisingOptions, events: BlePeripheralEvents): void {
    this.advertising = { ...options, deviceInformation: options.deviceInformation.slice() };
    this.listener = events;
    if (!this.server) this.server = new ReaderServer(this);
  }

  /** The stack is up: name, security, then advertising. */
  ready(server: ReaderServer): void {
    if (!this.advertising) return;
    server.deviceName = this.advertising.name;
    server.securityParameters = { encryption: true, bonding: true, mitm: true, ioCapability: DISPLAY_ONLY };
    this.advertise(server);
  }

  /**
   * The 31-byte advertising PDU holds the flags (3 bytes) and the 128-bit service UUID (18); the
   * complete local name goes in the scan response (Core Spec Supplement, Part A, 1.1 and 1.2).
   */
  advertise(server: ReaderServer): void {
    if (!this.advertising) return;
    server.startAdvertising({
      advertisingData: {
        flags: GAP.ADFlag.LE_GENERAL_DISCOVERABLE_MODE | GAP.ADFlag.NO_BR_EDR,
        completeUUID128List: [uuid128(this.advertising.serviceUuid)],
      },
      scanResponseData: { completeName: this.advertising.name },
    });
  }

  deviceInformation(): Uint8Array {
    return this.advertising ? this.advertising.deviceInformation.slice() : new Uint8Array(0);
  }

  notify(connection: ConnectionId, frame: Uint8Array): Promise<void> {
    const server = this.server;
    if (!server || server.connection !== connection || !server.events) {
      return Promise.reject(new Error("ble: no subscribed connection"));
    }
    server.notifyValue(server.events, frame.slice().buffer);
    return Promise.resolve();
  }

  disconnect(connection: ConnectionId): void {
    if (this.server && this.server.connection === connection) this.server.disconnect();
  }

  stop(): void {
    const server = this.server;
    this.server = null;
    this.advertising = null;
    if (!server) return;
    server.stopAdvertising();
    if (server.connection >= 0) server.disconnect();
    server.close();
  }
}
