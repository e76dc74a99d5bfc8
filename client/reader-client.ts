import type { RandomSource } from "../hal/random";
import { MposError } from "../kernel/errors";
import {
  decodeDeviceInfo, decodeEvent, decodeMessage, decodeResponse, encodeRequest, EVENT_CODE, FrameLink, FramingError, handshakeRecord,
  RECORD_ALERT, RECORD_HANDSHAKE, RECORD_PROTECTED, RESPONSE_BIT, SessionError, softwareSessionCrypto, statusName,
  type AuthorisationData, type DeviceInfo, type DeviceStatus, type HeldOutcomeRecord, type OnlineAnswer, type PublicDeviceInfo, type ReaderEvent,
  type RequestBodies, type RequestType, type ResponseBodies, type ReversalRecord, type SessionCrypto, type SignedConfiguration,
  type StartTransaction, type TransactionOutcome, type LinkStats,
} from "../kernel/protocol";
import type { CredentialStore } from "./credentials";
import { ConnectionError, ReaderStatusError } from "./errors";
import { EventStream } from "./event-stream";
import { collectHeldOutcomes, OutcomeLedger } from "./outcome-ledger";
import type { GattTransport } from "./gatt-transport";
import { PhoneSession } from "./phone-session";
import { decodeFirmwareProgress, FIRMWARE_PROGRESS_CODE } from "../kernel/protocol/firmware-messages";
import type { TransferResult, UpdateProgress } from "../kernel/firmware-update";
import type { ReaderProgress } from "../kernel/firmware-update/update-service";
import { updateReaderFirmware, type FirmwareUpdateOptions } from "./firmware-update";

// The phone-side SDK (docs/protocol.md, "Phone SDK"):
//
//   const reader = new ReaderClient({ transport, fleetCaPublicKey, credentials });
//   await reader.connect();                          // link security, handshake, bond if known
//   if (!reader.paired) await reader.pair({ phoneName: "Till 1", code: askUser });
//   const tx = await reader.startTransaction({ amount: 1234, currency: 978, transactionType: "purchase" },
//     { authorise: (data) => myAcquirer.authorise(data) });
//   for await (const event of tx.events) render(event);
//   const outcome = await tx.outcome;                // approved, declined...: data, not an exception
//
// An outcome the phone missed (the reader lost power, or the link went, before the phone had it)
// comes at the next connection through `onMissedOutcome`, once: the SDK remembers the ids of the
// payments it reported (outcome-ledger.ts) and drops a second copy.
//
// Everything the reader sends is checked on arrival: a masked PAN with more than six and four digits
// or a sensitive EMV tag in clear is refused, so a PAN never reaches the app in clear.

export interface ReaderClientOptions {
  transport: GattTransport;
  /** The fleet CA's public key (SEC 1 uncompressed), pinned in the app. */
  fleetCaPublicKey: Uint8Array;
  credentials: CredentialStore;
  /** Random bytes (default: the platform's crypto.getRandomValues). */
  random?: RandomSource;
  crypto?: SessionCrypto;
  /** The ATT_MTU to ask for (default 247). */
  preferredMtu?: number;
  /** Write frames with response (ATT Write Request) instead of without (default false). */
  writeWithResponse?: boolean;
  /** How long a request waits for its response (default 30 s). */
  requestTimeoutMs?: number;
  /** The time for the reader certificate's validity, seconds since 1970 (default: the phone's clock). */
  nowSeconds?: () => number | null;
  /**
   * Runs `fn` after `ms` milliseconds and returns its cancel function (default: setTimeout). An
   * engine without timers (XS) passes one that never fires: requests then wait for their answer.
   */
  setTimer?: (fn: () => void, ms: number) => () => void;
  /**
   * An outcome the reader kept because this phone may have missed it, collected after the session
   * opens (GET-OUTCOMES): called once per payment, never for one whose outcome the app already got.
   * The reader forgets the outcome once this resolves; a rejection leaves it for the next connection.
   */
  onMissedOutcome?(record: HeldOutcomeRecord): Promise<void> | void;
  /**
   * A bug while the SDK handled the reader's frames: an exception that is not a typed error (the
   * SDK's own, or one a callback of the app threw, such as a firmware progress listener). Reported
   * here rather than swallowed, as the reader reports its own (kernel/protocol/reader-connection.ts);
   * the frame or record is dropped and the connection goes on. A record that does not open or
   * decode is the peer's fault, not a bug: it is dropped without a report.
   */
  onInternalError?(error: unknown): void;
}

export interface TransactionOptions {
  /**
   * Called with the authorisation data when the reader goes online; resolve with the acquirer's
   * answer and the SDK relays it. Without it, the app calls sendOnlineResponse() itself.
   */
  authorise?(data: AuthorisationData, transactionId: number): Promise<OnlineAnswer>;
}

export interface ReaderTransaction {
  readonly id: number;
  /** Prompts, card detected, PIN progress, online request, outcome; ends after the outcome. */
  readonly events: AsyncIterable<ReaderEvent>;
  readonly outcome: Promise<TransactionOutcome>;
  cancel(): Promise<void>;
}

/** What one connection cost on the air (the bench's figures). */
export interface BleStats {
  mtu: number;
  /** GATT frames both ways (writes and notifications). */
  frames: number;
  /** Bytes of those frames (ATT values, without the ATT header). */
  bytes: number;
  /** Times the phone waited for the reader: a handshake or request answered, a credit awaited, a read. */
  roundTrips: number;
}

interface PendingRequest {
  type: RequestType;
  /** Runs synchronously when the ok response is read, before later records are. */
  onOk?: (body: never) => void;
  resolve(body: unknown): void;
  reject(e: Error): void;
  cancelTimer: () => void;
  message: number;
  retry: (() => void) | null;
}

interface TransactionState {
  stream: EventStream<ReaderEvent>;
  resolve(o: TransactionOutcome): void;
  reject(e: Error): void;
  options: TransactionOptions;
}

function platformRandom(): RandomSource {
  const c = (globalThis as { crypto?: { getRandomValues(b: Uint8Array): Uint8Array } }).crypto;
  if (c === undefined) throw new ConnectionError("not-connected", "client: no crypto.getRandomValues; pass options.random");
  return { fill: (b) => { c.getRandomValues(b); } };
}

export class ReaderClient {
  private readonly transport: GattTransport;
  private readonly crypto: SessionCrypto;
  private readonly random: RandomSource;
  private link: FrameLink | null = null;
  private session: PhoneSession;
  private deviceInfo: PublicDeviceInfo | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly transactions = new Map<number, TransactionState>();
  /** The listener of the reader's firmware progress events, during updateFirmware. */
  private firmwareProgress: ((p: ReaderProgress) => void) | null = null;
  private bugs = 0;
  private handshakeWaiter: { resolve(reply: Uint8Array): void; reject(e: Error): void } | null = null;
  private authenticated = false;
  private readonly ledger: OutcomeLedger;
  private roundTrips = 0;
  private attMtu = 23;

  constructor(private readonly options: ReaderClientOptions) {
    this.transport = options.transport;
    this.crypto = options.crypto ?? softwareSessionCrypto;
    this.random = options.random ?? platformRandom();
    this.session = this.newSession();
    this.ledger = new OutcomeLedger(options.credentials);
  }

  /** The reader's public device information (after connect). */
  get device(): PublicDeviceInfo | null {
    return this.deviceInfo;
  }

  /** True once this phone proved its bond (or paired) in the current session. */
  get paired(): boolean {
    return this.authenticated;
  }

  /**
   * Connects: Exchange MTU, device information, link security, notifications, the session
   * handshake, and authentication when this phone has a bond with the reader.
   */
  async connect(): Promise<PublicDeviceInfo> {
    const { attMtu } = await this.transport.connect({ preferredMtu: this.options.preferredMtu ?? 247 });
    this.attMtu = attMtu;
    this.transport.onDisconnect((reason) => this.onDisconnected(reason));
    const info = decodeDeviceInfo(await this.transport.readDeviceInformation());
    this.roundTrips++;
    this.deviceInfo = info;
    try {
      await this.transport.secureLink();
    } catch (e) {
      throw new ConnectionError("link-security", `client: the link could not be secured (${e instanceof Error ? e.message : "unknown"})`);
    }
    const link = new FrameLink({
      attMtu,
      send: (frame) => this.transport.write(frame, this.options.writeWithResponse === true),
      onMessage: (bytes) => this.onRecord(bytes),
      onAbort: (message) => this.onAbort(message),
    });
    this.link = link;
    await this.transport.subscribe((frame) => {
      try {
        link.receiveFrame(frame);
      } catch (e) {
        // The link drops bad frames itself (frame-link.ts): what leaves it is a bug.
        this.internalError(e);
      }
    });
    await this.handshake(info.serial);
    const key = await this.options.credentials.bondKey(info.serial);
    if (key !== undefined) {
      try {
        await this.authenticate(key);
      } catch (e) {
        if (!(e instanceof ReaderStatusError) || (e.status !== "notPaired" && e.status !== "pairingFailed")) throw e;
        // The reader forgot this phone (or its bond changed): pair again.
        await this.options.credentials.removeBond(info.serial);
      } finally {
        key.fill(0);
      }
    }
    if (this.authenticated) await this.collectMissedOutcomesOnConnect();
    return info;
  }

  /**
   * Pairs this phone with the reader: the reader shows a 6-digit code, `code()` gets it from the
   * user (asked again after a wrong code while attempts are left).
   */
  async pair(options: { phoneName: string; code(attemptsLeft: number): Promise<string> }): Promise<void> {
    const serial = this.requireDevice().serial;
    const phoneId = await this.options.credentials.phoneId();
    let { attemptsLeft } = await this.request("pair-begin", { phoneId, phoneName: options.phoneName });
    for (;;) {
      const code = await options.code(attemptsLeft);
      try {
        await this.request("pair-confirm", { proof: this.session.pairingProof(phoneId, code) });
      } catch (e) {
        if (e instanceof ReaderStatusError && e.status === "pairingFailed" && (e.attemptsLeft ?? 0) > 0) {
          attemptsLeft = e.attemptsLeft ?? 0;
          continue;
        }
        throw e;
      }
      const key = this.session.bondKey(phoneId, code);
      await this.options.credentials.saveBond(serial, key);
      key.fill(0);
      this.authenticated = true;
      await this.collectMissedOutcomesOnConnect();
      return;
    }
  }

  async getInfo(): Promise<DeviceInfo> {
    return this.request("get-info", {});
  }

  async getStatus(): Promise<DeviceStatus> {
    return this.request("get-status", {});
  }

  /** Starts a payment; its events and outcome come through the returned transaction. */
  async startTransaction(request: StartTransaction, options: TransactionOptions = {}): Promise<ReaderTransaction> {
    const stream = new EventStream<ReaderEvent>();
    let resolve!: (o: TransactionOutcome) => void;
    let reject!: (e: Error) => void;
    const outcome = new Promise<TransactionOutcome>((res, rej) => { resolve = res; reject = rej; });
    outcome.catch(() => undefined);
    // The reader's first events can follow its response within the same delivery: the transaction
    // is registered as the response is read, before any later record is.
    const { transactionId } = await this.request("start-transaction", request, (body) => {
      this.transactions.set(body.transactionId, { stream, resolve, reject, options });
    });
    return { id: transactionId, events: stream, outcome, cancel: () => this.cancel() };
  }

  async cancel(): Promise<void> {
    await this.request("cancel", {});
  }

  /** Relays the acquirer's answer to the reader. */
  async sendOnlineResponse(transactionId: number, answer: OnlineAnswer): Promise<void> {
    await this.request("online-response", { transactionId, ...answer });
  }

  /** The oldest reversal records (up to `maxRecords`, default 8) and whether more wait. */
  async fetchReversals(maxRecords?: number): Promise<{ records: ReversalRecord[]; more: boolean }> {
    return this.request("get-reversals", maxRecords === undefined ? {} : { maxRecords });
  }

  /** Tells the reader the acquirer has the reversals up to `transactionId`. */
  async clearReversals(transactionId: number): Promise<number> {
    return (await this.request("clear-reversals", { transactionId })).cleared;
  }

  /**
   * Collects the outcomes the reader holds for the phone (GET-OUTCOMES), hands each the app never
   * had to `onMissedOutcome`, and tells the reader to forget them (CLEAR-OUTCOMES). Resolves the
   * ones new to the app. The SDK runs it after every session opens.
   */
  async collectMissedOutcomes(): Promise<HeldOutcomeRecord[]> {
    const serial = this.requireDevice().serial;
    const fresh: HeldOutcomeRecord[] = [];
    await collectHeldOutcomes<HeldOutcomeRecord>({
      fetch: () => this.request("get-outcomes", {}),
      clear: async (transactionId) => (await this.request("clear-outcomes", { transactionId })).cleared,
    }, this.ledger, serial, async (record) => {
      if (this.options.onMissedOutcome !== undefined) await this.options.onMissedOutcome(record);
      fresh.push(record);
    });
    return fresh;
  }

  private async collectMissedOutcomesOnConnect(): Promise<void> {
    try {
      await this.collectMissedOutcomes();
    } catch (e) {
      // A reader of an earlier protocol holds no outcomes; anything else is the connection's failure.
      if (!(e instanceof ReaderStatusError) || e.status !== "unknownMessage") throw e;
    }
  }

  async setTime(epochSeconds: number): Promise<void> {
    await this.request("set-time", { epochSeconds });
  }

  async configure(signed: SignedConfiguration): Promise<number> {
    return (await this.request("configure", signed)).configurationVersion;
  }

  async reboot(): Promise<void> {
    await this.request("reboot", {});
  }

  /** Removes this phone's bond on the reader and here. */
  async unpair(): Promise<void> {
    await this.request("unpair", {});
    this.authenticated = false;
    await this.options.credentials.removeBond(this.requireDevice().serial);
  }

  stats(): BleStats {
    const s = this.link?.stats;
    const credit = s?.creditWaits ?? 0;
    return {
      mtu: this.attMtu,
      frames: (s?.framesSent ?? 0) + (s?.framesReceived ?? 0),
      bytes: (s?.bytesSent ?? 0) + (s?.bytesReceived ?? 0),
      roundTrips: this.roundTrips + credit,
    };
  }

  /**
   * Updates the reader's firmware with a signed image (issue 13): chunks sized to the ATT_MTU,
   * resumed after a dropped connection from the offset the reader confirms, then the reader checks
   * the hash and signature, switches, restarts and confirms the new image; this resolves once it
   * runs it (reconnecting as needed). A refused image rejects with FirmwareUpdateError (its code:
   * fw-signature, fw-rollback, fw-product...); `onProgress` sees the phases and confirmed bytes.
   */
  async updateFirmware(image: Uint8Array, onProgress?: (progress: UpdateProgress) => void,
      options?: FirmwareUpdateOptions): Promise<TransferResult> {
    return updateReaderFirmware({
      request: (type, body) => this.request(type, body as RequestBodies[typeof type]),
      ensureConnected: async () => {
        if (this.link === null || this.link.isClosed) await this.connect();
      },
      attMtu: () => this.attMtu,
      listenProgress: (listener) => { this.firmwareProgress = listener; },
    }, image, onProgress, options);
  }

  /** The framing layer's own counters (frames, messages, aborts, credit waits), for diagnostics. */
  linkStats(): LinkStats | null {
    return this.link === null ? null : { ...this.link.stats };
  }

  async disconnect(): Promise<void> {
    await this.transport.disconnect();
    this.onDisconnected("closed by the app");
  }

  // ---- internals -------------------------------------------------------------------------------

  private timer(fn: () => void, ms: number): () => void {
    if (this.options.setTimer !== undefined) return this.options.setTimer(fn, ms);
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  }

  private newSession(): PhoneSession {
    const now = this.options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
    return new PhoneSession({ crypto: this.crypto, random: this.random, fleetCaPublicKey: this.options.fleetCaPublicKey, nowSeconds: now() });
  }

  private requireDevice(): PublicDeviceInfo {
    if (this.deviceInfo === null) throw new ConnectionError("not-connected", "client: connect first");
    return this.deviceInfo;
  }

  private requireLink(): FrameLink {
    if (this.link === null || this.link.isClosed) throw new ConnectionError("not-connected", "client: not connected");
    return this.link;
  }

  private async handshake(serial: string): Promise<void> {
    const link = this.requireLink();
    this.session.end();
    this.session = this.newSession();
    const reply = new Promise<Uint8Array>((resolve, reject) => { this.handshakeWaiter = { resolve, reject }; });
    const cancelTimer = this.timer(() => this.handshakeWaiter?.reject(new ConnectionError("timeout", "client: no HELLO-REPLY in time")),
      this.options.requestTimeoutMs ?? 30_000);
    try {
      await link.sendMessage(handshakeRecord(this.session.start()));
      const bytes = await reply;
      this.roundTrips++;
      try {
        this.session.accept(bytes, serial);
      } catch (e) {
        if (e instanceof SessionError || e instanceof MposError) {
          throw new ConnectionError("reader-identity", `client: the reader did not prove its identity (${e.message})`);
        }
        throw e;
      }
      this.authenticated = false;
    } finally {
      cancelTimer();
      this.handshakeWaiter = null;
    }
  }

  private async authenticate(bondKey: Uint8Array): Promise<void> {
    const phoneId = await this.options.credentials.phoneId();
    await this.request("authenticate", { phoneId, proof: this.session.authenticationProof(bondKey, phoneId) });
    this.authenticated = true;
  }

  private request<K extends RequestType>(type: K, body: RequestBodies[K], onOk?: (body: ResponseBodies[K]) => void): Promise<ResponseBodies[K]> {
    const link = this.requireLink();
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & 0xff;
    if (this.pending.has(id)) return Promise.reject(new ConnectionError("timeout", "client: 256 requests are waiting for answers"));
    const message = encodeRequest(type, id, body);
    return new Promise<ResponseBodies[K]>((resolve, reject) => {
      const cancelTimer = this.timer(() => {
        this.pending.delete(id);
        reject(new ConnectionError("timeout", `client: no answer to ${type} in time`));
      }, this.options.requestTimeoutMs ?? 30_000);
      const entry: PendingRequest = { type, onOk: onOk as ((b: never) => void) | undefined, resolve: resolve as (b: unknown) => void, reject, cancelTimer, message: -1, retry: null };
      const send = (): void => {
        link.sendMessage(this.session.seal(message)).then(
          (n) => { entry.message = n; },
          (e: Error) => {
            // Dropped by the reader's framing while it went out: it never reached the session.
            if (e instanceof FramingError && e.code === "frame-aborted" && entry.retry !== null) entry.retry();
            else this.settle(id)?.reject(e);
          },
        );
      };
      // A message the reader's framing dropped never reached its session: it is safe to send once more.
      entry.retry = () => { entry.retry = null; send(); };
      this.pending.set(id, entry);
      send();
    });
  }

  private settle(id: number): PendingRequest | undefined {
    const p = this.pending.get(id);
    if (p === undefined) return undefined;
    p.cancelTimer();
    this.pending.delete(id);
    return p;
  }

  private onAbort(message: number): void {
    this.pending.forEach((p, id) => {
      if (p.message !== message) return;
      if (p.retry !== null) p.retry();
      else this.settle(id)?.reject(new ConnectionError("timeout", `client: the reader dropped ${p.type} twice`));
    });
  }

  private onRecord(bytes: Uint8Array): void {
    const kind = bytes[0];
    if (kind === RECORD_HANDSHAKE) {
      this.handshakeWaiter?.resolve(bytes.subarray(1));
      return;
    }
    if (kind === RECORD_ALERT) {
      const status = statusName(bytes[1] ?? 0xff) ?? "internalError";
      if (this.handshakeWaiter !== null) {
        this.handshakeWaiter.reject(new ReaderStatusError(status, "handshake"));
        return;
      }
      // An alert names no request: it answers the oldest one still waiting.
      const first = this.pending.keys().next();
      if (!first.done) {
        const p = this.settle(first.value);
        p?.reject(new ReaderStatusError(status, p.type));
      }
      return;
    }
    if (kind !== RECORD_PROTECTED || !this.session.established) return;
    try {
      const envelope = decodeMessage(this.session.open(bytes));
      if (envelope.type === EVENT_CODE) this.onEvent(decodeEvent(envelope));
      else if (envelope.type === FIRMWARE_PROGRESS_CODE) this.firmwareProgress?.(decodeFirmwareProgress(envelope));
      else if ((envelope.type & RESPONSE_BIT) !== 0) this.onResponse(envelope);
    } catch (e) {
      // A record that does not open or decode is dropped: the request it answered times out.
      if (!(e instanceof MposError)) this.internalError(e);
    }
  }

  /** Bugs reported through onInternalError since the client was made. */
  get internalErrors(): number {
    return this.bugs;
  }

  private internalError(e: unknown): void {
    this.bugs++;
    try {
      this.options.onInternalError?.(e);
    } catch {
      // The report failed too; the connection goes on.
    }
  }

  private onResponse(envelope: ReturnType<typeof decodeMessage>): void {
    const r = decodeResponse(envelope);
    const p = this.pending.get(r.id);
    if (p === undefined || p.type !== r.type) return;
    this.settle(r.id);
    this.roundTrips++;
    if (r.status === "ok") {
      p.onOk?.(r.body as never);
      p.resolve(r.body);
    }
    else p.reject(new ReaderStatusError(r.status, r.type, r.attemptsLeft));
  }

  private onEvent({ transactionId, event }: { transactionId: number; event: ReaderEvent }): void {
    const t = this.transactions.get(transactionId);
    if (t === undefined) return;
    t.stream.push(event);
    if (event.kind === "online-request" && t.options.authorise !== undefined) {
      const authorise = t.options.authorise;
      Promise.resolve()
        .then(() => authorise(event.authorisation, transactionId))
        .catch((): OnlineAnswer => ({ result: "unable" }))
        .then((answer) => this.sendOnlineResponse(transactionId, answer))
        .catch(() => undefined);
    }
    if (event.kind === "outcome") {
      this.transactions.delete(transactionId);
      // The app has this payment's outcome: a copy the reader held is dropped at the next connection.
      const serial = this.deviceInfo?.serial;
      if (serial !== undefined) this.ledger.remember(serial, transactionId).catch(() => undefined);
      t.stream.end();
      t.resolve(event.outcome);
    }
  }

  private onDisconnected(reason: string): void {
    this.link?.close();
    this.session.end();
    this.authenticated = false;
    const error = new ConnectionError("disconnected", `client: the connection ended (${reason})`);
    this.handshakeWaiter?.reject(error);
    for (const id of Array.from(this.pending.keys())) this.settle(id)?.reject(error);
    this.transactions.forEach((t) => { t.stream.fail(error); t.reject(error); });
    this.transactions.clear();
  }
}
