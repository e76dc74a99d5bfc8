// The one thing the SDK needs from a BLE stack (docs/protocol.md, "Phone SDK"): a connection to the
// reader's GATT service. Adapters: transports/bridge.ts (the simulator's GATT bridge over WebSocket),
// transports/web-bluetooth.ts (browsers), transports/react-native.ts (react-native-ble-plx, or any
// native library with the same five calls). An adapter only moves bytes: framing, security and
// messages are the SDK's, so the reader sees the same frames whatever the phone runs.

export interface GattConnectOptions {
  /** The ATT_MTU to ask for in the Exchange MTU (the reader grants at most 247). */
  preferredMtu: number;
}

export interface GattTransport {
  /** Connects, discovers the reader's service, exchanges the MTU; resolves the negotiated ATT_MTU. */
  connect(options: GattConnectOptions): Promise<{ attMtu: number }>;
  /** Reads the device-information characteristic (allowed before the link is secured). */
  readDeviceInformation(): Promise<Uint8Array>;
  /**
   * Makes the link encrypted with an authenticated key (LE Secure Connections, passkey shown on the
   * reader), pairing the first time and resuming the bond later. On phones the OS does this itself
   * (its pairing dialog asks for the passkey); an adapter then resolves when the OS reports it done.
   */
  secureLink(): Promise<void>;
  /** Enables notifications of the event characteristic; every notification is one frame. */
  subscribe(onFrame: (frame: Uint8Array) => void): Promise<void>;
  /** Writes one frame (at most ATT_MTU - 3 bytes) to the command characteristic. */
  write(frame: Uint8Array, withResponse: boolean): Promise<void>;
  /** Called once when the connection ends, whoever ended it. */
  onDisconnect(listener: (reason: string) => void): void;
  disconnect(): Promise<void>;
}
