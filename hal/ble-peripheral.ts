/**
 * The Bluetooth LE peripheral: the reader's GATT server (firmware/bleservices/mpos-reader.json) and
 * its advertising. The kernel's reader service (kernel/protocol/reader-service.ts) drives it; the
 * drivers are Moddable's `bleserver` on the ESP32 (hal/esp32/) and the GATT bridge in the simulator
 * (host-sim/gatt/), a WebSocket server that behaves like this peripheral for the phone SDK.
 *
 * Link security (Core Spec v5.3, Vol 3, Part H): LE Secure Connections with bonding and MITM
 * protection, passkey entry with the reader as the display (the reader shows a 6-digit passkey, the
 * phone's user types it; Part H, 2.3.5.6.3). On the ESP32 the driver sets Moddable's
 * `securityParameters = { encryption: true, bonding: true, mitm: true, ioCapability: DisplayOnly }`
 * and forwards `onPasskeyDisplay`. The command characteristic has permission writeEncrypted, so a
 * write on a link that is not encrypted and authenticated is refused by the stack (ATT error
 * Insufficient Authentication, Vol 3, Part F, 3.4.1.1) and never reaches the kernel; the device
 * information characteristic is readable by anyone.
 *
 * Frames are at most ATT_MTU - 3 bytes (kernel/protocol/gatt-service.ts): the driver reports the
 * negotiated ATT_MTU and never splits or merges frames.
 */
export type ConnectionId = number;

export interface LinkSecurity {
  /** The link is encrypted (LE Secure Connections). */
  encrypted: boolean;
  /** The keys came from an authenticated (MITM-protected) pairing: passkey entry. */
  authenticated: boolean;
  /** The phone is bonded (its keys are stored and reused on reconnection). */
  bonded: boolean;
}

export interface BlePeripheralEvents {
  /** A central connected; ATT_MTU is 23 until `onMtu`. */
  onConnect(connection: ConnectionId): void;
  /** The ATT_MTU after an Exchange MTU (Vol 3, Part F, 3.4.2). */
  onMtu(connection: ConnectionId, attMtu: number): void;
  /** The link's security changed (pairing or encryption with a stored bond). */
  onSecurity(connection: ConnectionId, security: LinkSecurity): void;
  /** The phone enabled or disabled notifications of the event characteristic (its CCCD). */
  onSubscribe(connection: ConnectionId, enabled: boolean): void;
  /** One write (with or without response) to the command characteristic: one frame. */
  onCommand(connection: ConnectionId, frame: Uint8Array): void;
  /** The connection ended (either side, or supervision timeout). */
  onDisconnect(connection: ConnectionId): void;
  /** Show this passkey (0 to 999999, six digits with leading zeros) on the reader's display. */
  onPasskeyDisplay(connection: ConnectionId, passkey: number): void;
}

export interface AdvertisingOptions {
  /** The complete local name (Core Spec Supplement, Part A, 1.2). */
  name: string;
  /** The 128-bit service UUID to list (Supplement, Part A, 1.1). */
  serviceUuid: string;
  /** The value of the device information characteristic. */
  deviceInformation: Uint8Array;
}

export interface BlePeripheral {
  /** Registers the GATT service, starts advertising, and delivers events to `events`. */
  start(options: AdvertisingOptions, events: BlePeripheralEvents): void;
  /** Sends one frame as a notification of the event characteristic; resolves once the stack took it. */
  notify(connection: ConnectionId, frame: Uint8Array): Promise<void>;
  /** Ends a connection (the reader refuses this phone, or reboots). */
  disconnect(connection: ConnectionId): void;
  /** Stops advertising and ends every connection. */
  stop(): void;
}
