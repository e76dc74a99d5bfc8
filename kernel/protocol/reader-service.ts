import type { BlePeripheral, ConnectionId } from "../../hal/ble-peripheral";
import type { Clock } from "../../hal/clock";
import type { RandomSource } from "../../hal/random";
import { constantTimeEqual, readUint } from "../bytes";
import { randomBytes } from "../crypto";
import { MposError } from "../errors";
import type { BondStore } from "./bonds";
import type { TrustedKey } from "./configuration";
import { encodeDeviceInfo } from "./device-info";
import { advertisedName, SERVICE_UUID } from "./gatt-service";
import { SUPPORTED_VERSIONS } from "./message";
import type { ReaderEvent, StartTransaction } from "./message-types";
import { encodeEvent } from "./messages";
import { sanitiseEvent } from "./event-sanitiser";
import { LOCKOUT_MS } from "./pairing";
import type { OnlineAnswer, PaymentEngine, TransactionContext } from "./payment-engine";
import { ReaderConnection } from "./reader-connection";
import type { ReaderIdentity } from "./reader-session";
import type { HandlerContext } from "./request-handlers";
import type { FirmwareUpdateEndpoint } from "./firmware-messages";
import { softwareSessionCrypto, type SessionCrypto } from "./session-crypto";
import { DeadlineTimer } from "../time/deadline-timer";

// The reader side of the BLE protocol (docs/protocol.md): it serves the GATT peripheral, keeps one
// ReaderConnection per phone, runs one transaction at a time on the payment engine, and turns the
// engine's progress into events for the phone that started it. Events go only to that phone, only
// while its session is authenticated as the same phone; card data leaves only as the engine's P2PE
// envelope, the masked PAN and EMV data without the sensitive tags.

export interface ReaderDisplay {
  /** The LE Secure Connections passkey to show, or null to clear it. */
  showPasskey(passkey: string | null): void;
  /** The application pairing code to show, or null to clear it. */
  showPairingCode(code: string | null): void;
}

export interface ReaderServiceOptions {
  peripheral: BlePeripheral;
  engine: PaymentEngine;
  identity: ReaderIdentity;
  bonds: BondStore;
  /** Keys whose signature a configuration needs (the fleet configuration key). */
  trustedConfigurationKeys: readonly TrustedKey[];
  /** SHA-1 of the kernel's crypto provider (CA key checksums). */
  sha1: (data: Uint8Array) => Uint8Array;
  random: RandomSource;
  clock: Clock;
  display: ReaderDisplay;
  crypto?: SessionCrypto;
  /** How long the reader waits for the phone to relay the host's answer (default 60 s). */
  onlineTimeoutMs?: number;
  /** The firmware update over BLE (issue 13); without it the update requests answer unknownMessage. */
  firmwareUpdate?: FirmwareUpdateEndpoint;
  /**
   * A bug: an exception that is not a typed MposError ended a phone's connection (reader-connection.ts)
   * or a transaction (the engine failed; the phone got outcome failed, internalError). The error, to
   * count or record; never sent off the reader.
   */
  onInternalError?(error: unknown): void;
}

interface ActiveTransaction {
  id: number;
  connection: ReaderConnection;
  phoneId: Uint8Array;
  cancelled: boolean;
  cancelListeners: (() => void)[];
  online: ((answer: OnlineAnswer) => void) | null;
}

export interface ReaderServiceDiagnostics {
  connections: number;
  transactionActive: boolean;
  /** Whole messages from phones waiting to be served. */
  queuedMessages: number;
  /** Messages to phones waiting to go out. */
  backlog: number;
  /** Connections holding a partly received message. */
  partialMessages: number;
  pairingLocked: boolean;
}

export class ReaderService {
  private readonly connections = new Map<ConnectionId, ReaderConnection>();
  private readonly crypto: SessionCrypto;
  private transaction: ActiveTransaction | null = null;
  private readonly onlineTimer: DeadlineTimer;
  /** A START-TRANSACTION is taking its id from the engine: the reader counts as busy. */
  private starting = false;
  private lockedUntilMs = -1;
  /** The next id where the engine keeps no log (PaymentEngine.nextTransactionId absent). */
  private nextUnloggedId: number;

  constructor(private readonly options: ReaderServiceOptions) {
    this.crypto = options.crypto ?? softwareSessionCrypto;
    // The online request's timeout: one pending sleep at most, holding nothing of a payment (a
    // sleep per request, which the HAL clock cannot cancel, kept ~1.4 KB each for its full time).
    this.onlineTimer = new DeadlineTimer(options.clock, () => {
      const t = this.transaction;
      if (t !== null) this.answerOnline(t, { result: "unable" });
    });
    // Without the engine's log, ids start at a random point: they seldom repeat across restarts,
    // and such an engine holds no outcome a repeated id could be mistaken for.
    this.nextUnloggedId = readUint(randomBytes(options.random, 3)) + 1;
  }

  /** Publishes the device information, registers the service and starts advertising. */
  async start(): Promise<void> {
    const info = await this.options.engine.deviceInfo();
    const deviceInformation = encodeDeviceInfo({
      model: info.model, serial: info.serial, firmwareVersion: info.firmwareVersion, protocolVersions: Uint8Array.from(SUPPORTED_VERSIONS),
    });
    this.options.peripheral.start({ name: advertisedName(info.model, info.serial), serviceUuid: SERVICE_UUID, deviceInformation }, {
      onConnect: (id) => this.onConnect(id),
      onMtu: (id, mtu) => this.connections.get(id)?.link.setMtu(Math.min(Math.max(mtu, 23), 517)),
      onSecurity: (id, security) => {
        const c = this.connections.get(id);
        if (c !== undefined) c.security = { ...security };
        this.options.display.showPasskey(null);
      },
      onSubscribe: (id, enabled) => {
        const c = this.connections.get(id);
        if (c !== undefined) c.subscribed = enabled;
      },
      onCommand: (id, frame) => this.connections.get(id)?.onFrame(frame),
      onDisconnect: (id) => this.onDisconnect(id),
      onPasskeyDisplay: (_id, passkey) => this.options.display.showPasskey(String(passkey).padStart(6, "0")),
    });
  }

  stop(): void {
    this.options.peripheral.stop();
    for (const id of Array.from(this.connections.keys())) this.onDisconnect(id);
  }

  diagnostics(): ReaderServiceDiagnostics {
    let queued = 0;
    let backlog = 0;
    let partial = 0;
    this.connections.forEach((c) => {
      queued += c.queuedMessages;
      backlog += c.link.pendingMessages;
      if (c.link.receiving) partial++;
    });
    return {
      connections: this.connections.size, transactionActive: this.transactionActive(), queuedMessages: queued, backlog,
      partialMessages: partial, pairingLocked: this.pairingLocked(),
    };
  }

  /** The connection object (tests and the simulator's diagnostics). */
  connection(id: ConnectionId): ReaderConnection | undefined {
    return this.connections.get(id);
  }

  private onConnect(id: ConnectionId): void {
    this.connections.get(id)?.close();
    const connection = new ReaderConnection({
      id,
      crypto: this.crypto,
      random: this.options.random,
      identity: this.options.identity,
      notify: (frame) => this.options.peripheral.notify(id, frame),
      context: (c) => this.context(c),
      onNewSession: () => this.options.display.showPairingCode(null),
      onInternalError: (e) => this.options.onInternalError?.(e),
      disconnect: () => this.options.peripheral.disconnect(id),
    });
    this.connections.set(id, connection);
  }

  private onDisconnect(id: ConnectionId): void {
    const c = this.connections.get(id);
    if (c === undefined) return;
    if (c.pairing.pending !== null) this.options.display.showPairingCode(null);
    c.close();
    this.options.firmwareUpdate?.disconnected(c.session);
    this.connections.delete(id);
    const t = this.transaction;
    if (t !== null && t.connection === c) this.answerOnline(t, { result: "unable" });
  }

  private transactionActive(): boolean {
    return this.transaction !== null || this.starting;
  }

  private pairingLocked(): boolean {
    return this.lockedUntilMs >= 0 && this.options.clock.nowMs() < this.lockedUntilMs;
  }

  private context(connection: ReaderConnection): HandlerContext {
    return {
      engine: this.options.engine,
      crypto: this.crypto,
      random: this.options.random,
      bonds: this.options.bonds,
      trustedConfigurationKeys: this.options.trustedConfigurationKeys,
      sha1: this.options.sha1,
      session: connection.session,
      pairing: connection.pairing,
      pairingLocked: () => this.pairingLocked(),
      lockPairing: () => { this.lockedUntilMs = this.options.clock.nowMs() + LOCKOUT_MS; },
      showPairingCode: (code) => this.options.display.showPairingCode(code),
      transactionActive: () => this.transactionActive(),
      firmwareUpdate: this.options.firmwareUpdate?.forConnection(connection.session, (m) => connection.sendProtected(m)),
      startTransaction: (request) => this.startTransaction(connection, request),
      cancelTransaction: () => this.cancelTransaction(connection),
      deliverOnlineResponse: (response) => {
        const t = this.transaction;
        if (t === null || t.connection !== connection || t.id !== response.transactionId || t.online === null) return false;
        const { transactionId: _ignored, ...answer } = response;
        this.answerOnline(t, answer);
        return true;
      },
    };
  }

  /** The id of the next transaction (docs/protocol.md, START-TRANSACTION): the engine's log's, when it keeps one. */
  private async transactionId(): Promise<number> {
    const engine = this.options.engine;
    if (engine.nextTransactionId) {
      const id = await engine.nextTransactionId();
      if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) throw new Error("reader service: the engine's transaction id is not 1 to 2^32 - 1");
      return id;
    }
    const id = this.nextUnloggedId;
    this.nextUnloggedId = id >= 0xffffffff ? 1 : id + 1;
    return id;
  }

  /** Registers the phone's transaction (the caller saw no other active); it runs once `run` is called. */
  private async startTransaction(connection: ReaderConnection, request: StartTransaction): Promise<{ transactionId: number; run: () => void }> {
    this.starting = true;
    let id: number;
    try {
      id = await this.transactionId();
    } finally {
      this.starting = false;
    }
    const phoneId = connection.session.authenticatedPhone ?? new Uint8Array(0);
    const t: ActiveTransaction = { id, connection, phoneId, cancelled: false, cancelListeners: [], online: null };
    this.transaction = t;
    const context: TransactionContext = {
      transactionId: id,
      emit: (event) => { this.send(t, event); },
      authorise: (authorisation) => this.authorise(t, authorisation),
      get cancelled() { return t.cancelled; },
      onCancel: (listener) => {
        if (t.cancelled) listener();
        else t.cancelListeners.push(listener);
      },
    };
    const run = (): void => {
      let outcome;
      try {
        outcome = this.options.engine.runTransaction(request, context);
      } catch (e) {
        outcome = Promise.reject(e);
      }
      outcome
        .then((o) => o, (e: unknown) => {
          // An engine's typed error is a defined failure; anything else is a bug, reported too.
          if (!(e instanceof MposError)) this.reportBug(e);
          return { result: "failed" as const, reason: "internalError" as const, emvData: [] };
        })
        .then((o) => {
          if (this.transaction === t) this.transaction = null;
          this.send(t, { kind: "outcome", outcome: o });
        });
    };
    return { transactionId: id, run };
  }

  private reportBug(e: unknown): void {
    try {
      this.options.onInternalError?.(e);
    } catch {
      // The report failed too; the phone still gets its outcome.
    }
  }

  private cancelTransaction(connection: ReaderConnection): boolean {
    const t = this.transaction;
    if (t === null || t.connection !== connection || t.cancelled) return false;
    t.cancelled = true;
    const listeners = t.cancelListeners.splice(0);
    for (const l of listeners) {
      try {
        l();
      } catch {
        // A listener's failure must not stop the others.
      }
    }
    return true;
  }

  private authorise(t: ActiveTransaction, authorisation: Extract<ReaderEvent, { kind: "online-request" }>["authorisation"]): Promise<OnlineAnswer> {
    if (t.connection.link.isClosed || t.cancelled) return Promise.resolve({ result: "unable" });
    const answer = new Promise<OnlineAnswer>((resolve) => {
      t.online = resolve;
    });
    this.send(t, { kind: "online-request", authorisation });
    this.onlineTimer.set(this.options.clock.nowMs() + (this.options.onlineTimeoutMs ?? 60_000));
    return answer;
  }

  /** Settles `t`'s online request, once: the phone's answer, or "unable" (EMV Book 3, 10.9). */
  private answerOnline(t: ActiveTransaction, answer: OnlineAnswer): void {
    const resolve = t.online;
    if (resolve === null) return;
    t.online = null;
    this.onlineTimer.set(null);
    resolve(answer);
  }

  /** Sends an event to the phone that started `t`, if it is still there and still authenticated. */
  private send(t: ActiveTransaction, event: ReaderEvent): void {
    const c = t.connection;
    const phone = c.session.authenticatedPhone;
    if (phone === null || !constantTimeEqual(phone, t.phoneId)) return;
    let message: Uint8Array;
    try {
      message = encodeEvent(t.id, sanitiseEvent(event));
    } catch (e) {
      // An event the protocol cannot carry (a typed error) is not sent; anything else is a bug.
      if (!(e instanceof MposError)) this.reportBug(e);
      return;
    }
    c.postProtected(message);
  }
}
