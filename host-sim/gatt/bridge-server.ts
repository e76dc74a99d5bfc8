import { randomBytes, randomInt } from "crypto";
import type { AddressInfo } from "net";
import { WebSocketServer, type WebSocket } from "ws";
import type { AdvertisingOptions, BlePeripheral, BlePeripheralEvents, ConnectionId, LinkSecurity } from "../../hal/ble-peripheral";
import { fromHex, isHex, toHex } from "../../kernel/bytes";
import { MposError } from "../../kernel/errors";
import {
  COMMAND_CHARACTERISTIC_UUID, DEVICE_INFO_CHARACTERISTIC_UUID, EVENT_CHARACTERISTIC_UUID, framePayloadBytes, negotiatedMtu,
  READER_MAX_ATT_MTU,
} from "../../kernel/protocol/gatt-service";
import { ATT_ERRORS, SMP_ERRORS, type BridgeToPhone, type PhoneToBridge } from "../../client/transports/bridge-protocol";

// The simulator's GATT bridge (issue 9, item 6): a WebSocket server that behaves like the reader's
// BLE peripheral, so the phone SDK talks to the simulated reader exactly as to a real one. It is the
// simulator's driver of hal/ble-peripheral.ts: the reader service starts it like the ESP32's
// bleserver, and every WebSocket connection is one BLE connection with its own
// - ATT_MTU: 23 until one Exchange MTU (Core Spec v5.3, Vol 3, Part F, 3.4.2), then the smaller Rx MTU;
//   a value longer than ATT_MTU - 3 is refused (Invalid Attribute Value Length, 0x0D);
// - link security: LE Secure Connections passkey entry with the reader displaying (Vol 3, Part H,
//   2.3.5.6.3): the passkey goes to the reader's display, the phone sends what its user typed; a
//   match encrypts the link with an authenticated key and bonds (the bond's handle lets a later
//   connection encrypt without pairing); the command characteristic and the event CCCD need that
//   (Insufficient Authentication, 0x05, otherwise); the device information is readable by anyone;
// - notifications only after the phone enabled them (its CCCD), as GATT requires (Part G, 4.10).
// A Write Command (without response) that breaks a rule is dropped silently, as ATT does.

export interface GattBridgeOptions {
  port?: number;
  host?: string;
  /** The reader's Rx MTU in Exchange MTU (default 247). */
  maxAttMtu?: number;
}

interface Link {
  id: ConnectionId;
  socket: WebSocket;
  attMtu: number;
  mtuExchanged: boolean;
  subscribed: boolean;
  security: LinkSecurity;
  pairing: { requestId: number; passkey: string } | null;
}

/** Failed pairings before the bridge makes a connection wait (Vol 3, Part H, 2.3.6: repeated attempts). */
const MAX_PAIRING_FAILURES = 3;

export class GattBridge implements BlePeripheral {
  private readonly links = new Map<ConnectionId, Link>();
  /** Bond handles of phones that paired, with whether their key is authenticated. */
  private readonly bonds = new Map<string, { authenticated: boolean }>();
  private events: BlePeripheralEvents | null = null;
  private advertising: AdvertisingOptions | null = null;
  private nextId = 1;
  private pairingFailures = 0;

  private constructor(private readonly server: WebSocketServer, readonly url: string, private readonly maxAttMtu: number) {
    server.on("connection", (socket: WebSocket) => this.onConnection(socket));
  }

  /** Listens on host:port (port 0: a free one). */
  static async listen(options: GattBridgeOptions = {}): Promise<GattBridge> {
    const host = options.host ?? "127.0.0.1";
    const server = new WebSocketServer({ host, port: options.port ?? 0, maxPayload: 64 * 1024 });
    await new Promise<void>((resolve, reject) => {
      server.once("listening", () => resolve());
      server.once("error", reject);
    });
    const port = (server.address() as AddressInfo).port;
    return new GattBridge(server, `ws://${host}:${port}`, options.maxAttMtu ?? READER_MAX_ATT_MTU);
  }

  /** The advertised name (what a phone's scan shows). */
  get advertisedName(): string | null {
    return this.advertising?.name ?? null;
  }

  start(options: AdvertisingOptions, events: BlePeripheralEvents): void {
    this.advertising = options;
    this.events = events;
  }

  notify(connection: ConnectionId, frame: Uint8Array): Promise<void> {
    const link = this.links.get(connection);
    if (link === undefined) return Promise.reject(new MposError("ble-disconnected", "bridge: no such connection"));
    if (!link.subscribed) return Promise.reject(new MposError("ble-not-subscribed", "bridge: notifications are not enabled"));
    if (frame.length > framePayloadBytes(link.attMtu)) {
      return Promise.reject(new MposError("ble-mtu", `bridge: a notification of ${frame.length} bytes at ATT_MTU ${link.attMtu}`));
    }
    this.send(link, { op: "notify", characteristic: EVENT_CHARACTERISTIC_UUID, value: toHex(frame) });
    return Promise.resolve();
  }

  disconnect(connection: ConnectionId): void {
    const link = this.links.get(connection);
    if (link === undefined) return;
    this.send(link, { op: "disconnected", reason: "the reader ended the connection" });
    link.socket.close();
    this.drop(link);
  }

  stop(): void {
    for (const link of Array.from(this.links.values())) this.disconnect(link.id);
    this.advertising = null;
    this.events = null;
  }

  /** Stops and closes the WebSocket server. */
  async close(): Promise<void> {
    this.stop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: WebSocket): void {
    const events = this.events;
    if (events === null || this.advertising === null) {
      socket.close();
      return;
    }
    const link: Link = {
      id: this.nextId++, socket, attMtu: 23, mtuExchanged: false, subscribed: false,
      security: { encrypted: false, authenticated: false, bonded: false }, pairing: null,
    };
    this.links.set(link.id, link);
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      this.onMessage(link, data.toString("utf8"));
    });
    socket.on("close", () => this.drop(link));
    socket.on("error", () => this.drop(link));
    events.onConnect(link.id);
    this.send(link, {
      op: "connected",
      service: this.advertising.serviceUuid,
      characteristics: [
        { uuid: COMMAND_CHARACTERISTIC_UUID, properties: ["write", "writeNoResponse"] },
        { uuid: EVENT_CHARACTERISTIC_UUID, properties: ["notify"] },
        { uuid: DEVICE_INFO_CHARACTERISTIC_UUID, properties: ["read"] },
      ],
    });
  }

  private drop(link: Link): void {
    if (!this.links.delete(link.id)) return;
    this.events?.onDisconnect(link.id);
  }

  private send(link: Link, m: BridgeToPhone): void {
    if (link.socket.readyState === link.socket.OPEN) link.socket.send(JSON.stringify(m));
  }

  private error(link: Link, id: number, message: string, att?: number, smp?: number): void {
    const m: BridgeToPhone = { op: "error", id, message };
    if (att !== undefined) m.att = att;
    if (smp !== undefined) m.smp = smp;
    this.send(link, m);
  }

  private secured(link: Link): boolean {
    return link.security.encrypted && link.security.authenticated;
  }

  private onMessage(link: Link, text: string): void {
    let m: PhoneToBridge;
    try {
      m = JSON.parse(text) as PhoneToBridge;
    } catch {
      return;
    }
    if (m === null || typeof m !== "object") return;
    const id = typeof (m as { id?: unknown }).id === "number" ? (m as { id: number }).id : 0;
    const events = this.events;
    if (events === null) return;
    switch (m.op) {
      case "exchange-mtu": {
        if (link.mtuExchanged || !Number.isInteger(m.mtu) || m.mtu < 23) return;
        link.mtuExchanged = true;
        link.attMtu = negotiatedMtu(m.mtu, this.maxAttMtu);
        this.send(link, { op: "mtu", mtu: this.maxAttMtu });
        events.onMtu(link.id, link.attMtu);
        return;
      }
      case "read":
        if (m.characteristic === DEVICE_INFO_CHARACTERISTIC_UUID && this.advertising !== null) {
          this.send(link, { op: "result", id, value: toHex(this.advertising.deviceInformation) });
        } else {
          this.error(link, id, "read not permitted", ATT_ERRORS.readNotPermitted);
        }
        return;
      case "write": {
        const reply = m.withResponse === true;
        if (m.characteristic !== COMMAND_CHARACTERISTIC_UUID) {
          if (reply) this.error(link, id, "write not permitted", ATT_ERRORS.writeNotPermitted);
          return;
        }
        if (!this.secured(link)) {
          if (reply) this.error(link, id, "insufficient authentication", ATT_ERRORS.insufficientAuthentication);
          return;
        }
        if (typeof m.value !== "string" || !isHex(m.value) || m.value.length / 2 > framePayloadBytes(link.attMtu)) {
          if (reply) this.error(link, id, "invalid attribute value length", ATT_ERRORS.invalidAttributeValueLength);
          return;
        }
        if (reply) this.send(link, { op: "result", id });
        events.onCommand(link.id, fromHex(m.value));
        return;
      }
      case "subscribe":
        if (m.characteristic !== EVENT_CHARACTERISTIC_UUID) {
          this.error(link, id, "no such descriptor", ATT_ERRORS.attributeNotFound);
        } else if (!this.secured(link)) {
          this.error(link, id, "insufficient authentication", ATT_ERRORS.insufficientAuthentication);
        } else {
          link.subscribed = m.enabled === true;
          this.send(link, { op: "result", id });
          events.onSubscribe(link.id, link.subscribed);
        }
        return;
      case "pair": {
        if (this.pairingFailures >= MAX_PAIRING_FAILURES) {
          this.pairingFailures = 0;
          this.error(link, id, "pairing refused: too many failed attempts, try again", undefined, SMP_ERRORS.unspecifiedReason);
          return;
        }
        const passkey = String(randomInt(0, 1_000_000)).padStart(6, "0");
        link.pairing = { requestId: id, passkey };
        events.onPasskeyDisplay(link.id, Number(passkey));
        this.send(link, { op: "passkey-requested", id });
        return;
      }
      case "passkey": {
        const p = link.pairing;
        if (p === null || p.requestId !== id) {
          this.error(link, id, "no pairing in progress", undefined, SMP_ERRORS.unspecifiedReason);
          return;
        }
        link.pairing = null;
        if (typeof m.passkey !== "string" || m.passkey !== p.passkey) {
          this.pairingFailures++;
          events.onSecurity(link.id, { ...link.security });
          this.error(link, id, "pairing failed: confirm value failed", undefined, SMP_ERRORS.confirmValueFailed);
          return;
        }
        this.pairingFailures = 0;
        const bond = randomBytes(16).toString("hex").toUpperCase();
        this.bonds.set(bond, { authenticated: true });
        link.security = { encrypted: true, authenticated: true, bonded: true };
        this.send(link, { op: "result", id });
        this.send(link, { op: "security", ...link.security, bond });
        events.onSecurity(link.id, { ...link.security });
        return;
      }
      case "encrypt": {
        const known = typeof m.bond === "string" ? this.bonds.get(m.bond) : undefined;
        if (known === undefined) {
          this.error(link, id, "key missing: no bond with this phone", undefined, SMP_ERRORS.unspecifiedReason);
          return;
        }
        link.security = { encrypted: true, authenticated: known.authenticated, bonded: true };
        this.send(link, { op: "result", id });
        this.send(link, { op: "security", ...link.security });
        events.onSecurity(link.id, { ...link.security });
        return;
      }
      default:
        return;
    }
  }
}
