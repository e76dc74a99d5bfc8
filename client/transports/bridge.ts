import { fromHex, toHex } from "../../kernel/bytes";
import {
  COMMAND_CHARACTERISTIC_UUID, DEVICE_INFO_CHARACTERISTIC_UUID, EVENT_CHARACTERISTIC_UUID, negotiatedMtu,
} from "../../kernel/protocol/gatt-service";
import { ConnectionError } from "../errors";
import type { GattConnectOptions, GattTransport } from "../gatt-transport";
import type { BridgeToPhone, PhoneToBridge } from "./bridge-protocol";

// The GATT transport over the simulator's bridge (host-sim/gatt/): a WebSocket per connection,
// JSON messages that mirror ATT and the Security Manager (bridge-protocol.ts). Works with the
// browser's WebSocket and with Node's `ws` package (pass its class as `WebSocket`).

/** The part of the WebSocket API the adapter uses (browser WebSocket and `ws` both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface BridgeTransportOptions {
  /** ws://host:port of the bridge. */
  url: string;
  /** The WebSocket class (default: globalThis.WebSocket). */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Asks the user for the passkey the reader shows (LE Secure Connections passkey entry). */
  passkey(): Promise<string>;
  /** Where the link-layer bond is kept between connections (on a phone, the OS keeps it). */
  linkBond?: { load(): string | undefined; save(bond: string): void };
}

interface Waiter {
  resolve(m: BridgeToPhone): void;
  reject(e: Error): void;
}

export class BridgeTransport implements GattTransport {
  private socket: WebSocketLike | null = null;
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();
  private mtuWaiter: ((mtu: number) => void) | null = null;
  private frameListener: ((frame: Uint8Array) => void) | null = null;
  private readonly disconnectListeners: ((reason: string) => void)[] = [];
  private closed = false;

  constructor(private readonly options: BridgeTransportOptions) {}

  async connect(options: GattConnectOptions): Promise<{ attMtu: number }> {
    const Ctor = this.options.WebSocket ?? (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
    if (Ctor === undefined) throw new ConnectionError("not-connected", "bridge: no WebSocket class");
    // A transport can connect again after a disconnection (a new BLE connection).
    this.closed = false;
    this.waiters.clear();
    const socket = new Ctor(this.options.url);
    this.socket = socket;
    const connected = new Promise<void>((resolve, reject) => {
      socket.onerror = () => reject(new ConnectionError("not-connected", `bridge: cannot connect to ${this.options.url}`));
      socket.onmessage = (event) => {
        if (this.socket !== socket) return;
        const m = this.parse(event.data);
        if (m?.op === "connected") resolve();
        if (m !== null) this.dispatch(m);
      };
      socket.onclose = () => {
        reject(new ConnectionError("not-connected", "bridge: closed before the connection was made"));
        // A socket of an earlier connection closing late says nothing about this one.
        if (this.socket === socket) this.onClosed("the bridge closed the connection");
      };
    });
    await connected;
    const mtu = new Promise<number>((resolve) => { this.mtuWaiter = resolve; });
    this.send({ op: "exchange-mtu", mtu: options.preferredMtu });
    const serverMtu = await mtu;
    return { attMtu: negotiatedMtu(options.preferredMtu, serverMtu) };
  }

  async readDeviceInformation(): Promise<Uint8Array> {
    const r = await this.call({ op: "read", id: 0, characteristic: DEVICE_INFO_CHARACTERISTIC_UUID });
    return fromHex(r.op === "result" ? r.value ?? "" : "");
  }

  async secureLink(): Promise<void> {
    const bond = this.options.linkBond?.load();
    if (bond !== undefined) {
      try {
        await this.call({ op: "encrypt", id: 0, bond });
        return;
      } catch {
        // The reader lost the bond: pair again.
      }
    }
    await this.call({ op: "pair", id: 0 });
  }

  async subscribe(onFrame: (frame: Uint8Array) => void): Promise<void> {
    this.frameListener = onFrame;
    await this.call({ op: "subscribe", id: 0, characteristic: EVENT_CHARACTERISTIC_UUID, enabled: true });
  }

  async write(frame: Uint8Array, withResponse: boolean): Promise<void> {
    const m: PhoneToBridge = { op: "write", id: 0, characteristic: COMMAND_CHARACTERISTIC_UUID, value: toHex(frame), withResponse };
    if (withResponse) {
      await this.call(m);
    } else {
      if (this.closed) throw new ConnectionError("disconnected", "bridge: the connection ended");
      this.send(m);
    }
  }

  onDisconnect(listener: (reason: string) => void): void {
    this.disconnectListeners.push(listener);
  }

  async disconnect(): Promise<void> {
    this.socket?.close();
    this.onClosed("closed by the phone");
  }

  private send(m: PhoneToBridge): void {
    if (this.socket === null || this.closed) throw new ConnectionError("disconnected", "bridge: the connection ended");
    this.socket.send(JSON.stringify(m));
  }

  private call(m: PhoneToBridge): Promise<BridgeToPhone> {
    const id = this.nextId++;
    return new Promise<BridgeToPhone>((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      try {
        this.send({ ...m, id } as PhoneToBridge);
      } catch (e) {
        this.waiters.delete(id);
        reject(e);
      }
    });
  }

  private parse(data: unknown): BridgeToPhone | null {
    try {
      const text = typeof data === "string" ? data : String(data);
      const m = JSON.parse(text) as BridgeToPhone;
      return m !== null && typeof m === "object" && typeof m.op === "string" ? m : null;
    } catch {
      return null;
    }
  }

  private dispatch(m: BridgeToPhone): void {
    switch (m.op) {
      case "mtu":
        this.mtuWaiter?.(m.mtu);
        this.mtuWaiter = null;
        break;
      case "notify":
        if (m.characteristic === EVENT_CHARACTERISTIC_UUID && this.frameListener !== null) this.frameListener(fromHex(m.value));
        break;
      case "result": {
        const w = this.waiters.get(m.id);
        this.waiters.delete(m.id);
        w?.resolve(m);
        break;
      }
      case "error": {
        const w = this.waiters.get(m.id);
        this.waiters.delete(m.id);
        w?.reject(new ConnectionError("link-security", `bridge: ${m.message}`));
        break;
      }
      case "passkey-requested": {
        const id = m.id;
        this.options.passkey().then(
          (passkey) => this.send({ op: "passkey", id, passkey }),
          () => this.send({ op: "passkey", id, passkey: "" }),
        );
        break;
      }
      case "security":
        if (m.bond !== undefined) this.options.linkBond?.save(m.bond);
        break;
      case "disconnected":
        this.onClosed(m.reason);
        break;
      case "connected":
        break;
    }
  }

  private onClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const error = new ConnectionError("disconnected", `bridge: ${reason}`);
    this.waiters.forEach((w) => w.reject(error));
    this.waiters.clear();
    for (const l of this.disconnectListeners.splice(0)) l(reason);
  }
}
