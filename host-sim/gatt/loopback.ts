import type { AdvertisingOptions, BlePeripheral, BlePeripheralEvents, ConnectionId } from "../../hal/ble-peripheral";
import type { RandomSource } from "../../hal/random";
import type { GattConnectOptions, GattTransport } from "../../client/gatt-transport";
import { randomBytes } from "../../kernel/crypto";
import { MposError } from "../../kernel/errors";
import { framePayloadBytes, negotiatedMtu, READER_MAX_ATT_MTU } from "../../kernel/protocol/gatt-service";

// A BLE peripheral and a phone's GATT transport joined in memory: the reader service and the phone
// SDK talk through it with the same rules as over the GATT bridge (one Exchange MTU, frames of at
// most ATT_MTU - 3 bytes, passkey pairing before the command characteristic, notifications only
// when enabled), without sockets. Every frame is delivered on a later microtask, in order, as a
// radio would. Pure TypeScript: the XS engine runs whole sessions over it. A `tap` sees (and may
// drop, change, duplicate or reorder) every frame: tests inject faults there.
//
// A phone's transport is one central: it connects, disconnects and connects again, each time a new
// connection (a new id, nothing of the last one delivered to it), as a phone walking away and back
// does. The peripheral stands for the reader's radio and its BLE stack, whose bond store outlives a
// connection and a reboot (the stack keeps it in flash): a central that paired once is not asked
// for a passkey again; the link is encrypted with the bond's key (Bluetooth Core Specification,
// Vol 3, Part H, 2.4.4: encryption with the stored LTK). A reader that boots again starts its new
// service on the same peripheral.

export type FrameDirection = "to-reader" | "to-phone";

/** Returns the frames to deliver instead of `frame` (none: dropped). */
export type FrameTap = (direction: FrameDirection, frame: Uint8Array) => Uint8Array[];

export interface LoopbackOptions {
  random: RandomSource;
  /** The reader's Rx MTU (default 247). */
  maxAttMtu?: number;
  tap?: FrameTap;
}

const later = (fn: () => void): void => {
  Promise.resolve().then(fn).catch(() => undefined);
};

export class LoopbackPeripheral implements BlePeripheral {
  private events: BlePeripheralEvents | null = null;
  private advertising: AdvertisingOptions | null = null;
  private nextId = 1;
  private readonly phones = new Map<ConnectionId, LoopbackTransport>();
  /** Centrals with an LE bond (paired once with the passkey). */
  private readonly bonded = new Set<LoopbackTransport>();

  constructor(private readonly options: LoopbackOptions) {}

  start(options: AdvertisingOptions, events: BlePeripheralEvents): void {
    this.advertising = options;
    this.events = events;
  }

  notify(connection: ConnectionId, frame: Uint8Array): Promise<void> {
    const phone = this.phones.get(connection);
    if (phone === undefined) return Promise.reject(new MposError("ble-disconnected", "loopback: no such connection"));
    phone.deliver(frame);
    return Promise.resolve();
  }

  disconnect(connection: ConnectionId): void {
    const phone = this.phones.get(connection);
    if (phone !== undefined) phone.closeFromReader("the reader ended the connection");
  }

  stop(): void {
    for (const id of Array.from(this.phones.keys())) this.disconnect(id);
    this.events = null;
  }

  /** A phone-side transport for a new connection to this peripheral. */
  transport(passkey: () => Promise<string>): LoopbackTransport {
    return new LoopbackTransport(this, passkey);
  }

  // ---- for LoopbackTransport ----

  get maxAttMtu(): number {
    return this.options.maxAttMtu ?? READER_MAX_ATT_MTU;
  }

  tap(direction: FrameDirection, frame: Uint8Array): Uint8Array[] {
    return this.options.tap ? this.options.tap(direction, frame) : [frame];
  }

  attach(phone: LoopbackTransport): { id: ConnectionId; events: BlePeripheralEvents; deviceInformation: Uint8Array } {
    if (this.events === null || this.advertising === null) throw new MposError("ble-not-advertising", "loopback: the reader is not advertising");
    const id = this.nextId++;
    this.phones.set(id, phone);
    this.events.onConnect(id);
    return { id, events: this.events, deviceInformation: this.advertising.deviceInformation };
  }

  detach(id: ConnectionId): void {
    if (this.phones.delete(id)) this.events?.onDisconnect(id);
  }

  isBonded(phone: LoopbackTransport): boolean {
    return this.bonded.has(phone);
  }

  bond(phone: LoopbackTransport): void {
    this.bonded.add(phone);
  }

  passkey(): string {
    const b = randomBytes(this.options.random, 3);
    return String(((b[0] << 16) | (b[1] << 8) | b[2]) % 1_000_000).padStart(6, "0");
  }
}

export class LoopbackTransport implements GattTransport {
  private id: ConnectionId = 0;
  private events: BlePeripheralEvents | null = null;
  private info: Uint8Array = new Uint8Array(0);
  private attMtu = 23;
  private secured = false;
  private subscribed = false;
  private closed = false;
  private onFrame: ((frame: Uint8Array) => void) | null = null;
  private readonly listeners: ((reason: string) => void)[] = [];

  constructor(private readonly reader: LoopbackPeripheral, private readonly askPasskey: () => Promise<string>) {}

  get connectionId(): ConnectionId {
    return this.id;
  }

  /** Connects, the first time or again after a disconnection (a new connection: new id, link not yet secured). */
  async connect(options: GattConnectOptions): Promise<{ attMtu: number }> {
    if (this.events !== null && !this.closed) throw new MposError("ble-connected", "loopback: already connected");
    const a = this.reader.attach(this);
    this.closed = false;
    this.secured = false;
    this.subscribed = false;
    this.onFrame = null;
    this.id = a.id;
    this.events = a.events;
    this.info = a.deviceInformation;
    this.attMtu = negotiatedMtu(options.preferredMtu, this.reader.maxAttMtu);
    a.events.onMtu(a.id, this.attMtu);
    return { attMtu: this.attMtu };
  }

  async readDeviceInformation(): Promise<Uint8Array> {
    return this.info.slice();
  }

  async secureLink(): Promise<void> {
    const events = this.require();
    if (this.reader.isBonded(this)) {
      this.secured = true;
      events.onSecurity(this.id, { encrypted: true, authenticated: true, bonded: true });
      return;
    }
    const passkey = this.reader.passkey();
    events.onPasskeyDisplay(this.id, Number(passkey));
    const typed = await this.askPasskey();
    if (typed !== passkey) throw new MposError("ble-pairing", "loopback: pairing failed: confirm value failed");
    this.secured = true;
    this.reader.bond(this);
    events.onSecurity(this.id, { encrypted: true, authenticated: true, bonded: true });
  }

  async subscribe(onFrame: (frame: Uint8Array) => void): Promise<void> {
    const events = this.require();
    if (!this.secured) throw new MposError("ble-security", "loopback: insufficient authentication");
    this.onFrame = onFrame;
    this.subscribed = true;
    events.onSubscribe(this.id, true);
  }

  async write(frame: Uint8Array, _withResponse: boolean): Promise<void> {
    const events = this.require();
    if (!this.secured) throw new MposError("ble-security", "loopback: insufficient authentication");
    if (frame.length > framePayloadBytes(this.attMtu)) throw new MposError("ble-mtu", "loopback: invalid attribute value length");
    const id = this.id;
    for (const f of this.reader.tap("to-reader", frame)) later(() => { if (this.live(id)) events.onCommand(id, f); });
  }

  onDisconnect(listener: (reason: string) => void): void {
    this.listeners.push(listener);
  }

  async disconnect(): Promise<void> {
    this.end("closed by the phone");
  }

  /** A notification from the reader. */
  deliver(frame: Uint8Array): void {
    if (this.closed || !this.subscribed) return;
    if (frame.length > framePayloadBytes(this.attMtu)) throw new MposError("ble-mtu", "loopback: a notification longer than ATT_MTU - 3");
    const id = this.id;
    for (const f of this.reader.tap("to-phone", frame)) later(() => { if (this.live(id)) this.onFrame?.(f); });
  }

  /** Connection `id` is still the open one (a frame of an earlier connection is lost with it). */
  private live(id: ConnectionId): boolean {
    return !this.closed && this.id === id;
  }

  closeFromReader(reason: string): void {
    this.end(reason);
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.detach(this.id);
    for (const l of this.listeners.splice(0)) l(reason);
  }

  private require(): BlePeripheralEvents {
    if (this.events === null || this.closed) throw new MposError("ble-disconnected", "loopback: not connected");
    return this.events;
  }
}
