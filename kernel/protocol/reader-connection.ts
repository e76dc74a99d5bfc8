import type { ConnectionId, LinkSecurity } from "../../hal/ble-peripheral";
import type { RandomSource } from "../../hal/random";
import { MposError } from "../errors";
import { FramingError, MessageError, SessionError } from "./errors";
import { FrameLink } from "./frame-link";
import { DEFAULT_ATT_MTU } from "./gatt-service";
import { decodeMessage, MESSAGE_HEADER_BYTES } from "./message";
import { decodeRequest, encodeResponse, encodeStatusResponse, requestTypeOfMessage, type DecodedRequest } from "./messages";
import type { RequestType } from "./message-types";
import { alertRecord, handshakeRecord, RECORD_HANDSHAKE, RECORD_PROTECTED } from "./record";
import { handleRequest, type HandlerContext, type HandlerResult, type PairingState } from "./request-handlers";
import { ReaderSession, type ReaderIdentity } from "./reader-session";
import type { SessionCrypto } from "./session-crypto";
import { STATUS, type StatusName } from "./status";

// One phone's connection to the reader: frames in and out (FrameLink), the secure session
// (ReaderSession), and the records and requests of that phone, processed one at a time in the order
// they arrived. Nothing a phone sends can make this class throw: every failure ends in an alert, a
// status, or a silent drop, and the next honest message is served.
//
// Two kinds of failure are kept apart (STYLE.md, after openemv/emv-utils: card errors apart from
// internal errors). Hostile or broken input ends in a typed MposError: the phone gets the alert or
// status its table row names, and the connection goes on. Any other exception is a bug of the
// reader: it is reported through `onInternalError` (a fuzzer records it as a finding, the firmware
// counts it), the phone gets alert internal-error, and the connection is ended, since its state can
// no longer be trusted. Neither ever leaves this class as an exception.
//
//   record       condition                              -> answer
//   handshake    HELLO that decodes, version in common  -> HELLO-REPLY (new session keys)
//   handshake    anything else                          -> alert handshake-failed / malformed /
//                                                          unsupported-version
//   protected    no session yet                         -> alert session-required
//   protected    counter not newer                      -> alert replay (nothing decrypted)
//   protected    tag does not verify                    -> alert decrypt-failed
//   protected    a request                              -> its response (protected)
//   anything else                                       -> alert malformed

/** Whole messages waiting for their turn; more are refused with alert "busy" (bounded memory). */
export const MAX_QUEUED_MESSAGES = 8;
/** Alerts are not queued behind a backlog this long: a flood of bad records cannot fill memory. */
export const MAX_BACKLOG_FOR_ALERTS = 4;
/**
 * Messages to the phone queued at most (answers, alerts, events), while notifications wait for the
 * phone's credit; more are refused ("frame-backlog"): a phone that stops reading cannot fill the
 * reader's RAM. A payment's events (prompts, PIN digits) wait a handful at a time.
 */
export const MAX_OUTBOX_MESSAGES = 32;

export interface ConnectionCounters {
  /** Frames that arrived on a link that was not encrypted and authenticated (dropped). */
  insecureFrames: number;
  alertsSent: number;
  requestsServed: number;
  messagesRefused: number;
  /** Bugs (exceptions that are not typed MposErrors) that ended this connection: 0 or 1. */
  internalErrors: number;
}

export interface ReaderConnectionOptions {
  id: ConnectionId;
  crypto: SessionCrypto;
  random: RandomSource;
  identity: ReaderIdentity;
  /** Sends a frame as a notification. */
  notify(frame: Uint8Array): Promise<void>;
  /** The handler context of this connection (shared state comes from the service). */
  context(connection: ReaderConnection): HandlerContext;
  /** A new session began: the pairing code on the display, if any, is no longer valid. */
  onNewSession(connection: ReaderConnection): void;
  /**
   * A bug ended the processing of a record: an exception that is not a typed MposError. The error
   * may name anything the failing code held, so a hook never sends it off the reader. Default:
   * nothing more than the internal-error alert and the disconnect every bug gets.
   */
  onInternalError?(error: unknown): void;
  /** Ends the phone's BLE connection (after a bug); without it, the connection object closes only. */
  disconnect?(): void;
}

export class ReaderConnection {
  readonly id: ConnectionId;
  readonly link: FrameLink;
  readonly session: ReaderSession;
  readonly pairing: PairingState = { pending: null, codesIssued: 0, authenticationFailures: 0 };
  security: LinkSecurity = { encrypted: false, authenticated: false, bonded: false };
  subscribed = false;
  readonly counters: ConnectionCounters = { insecureFrames: 0, alertsSent: 0, requestsServed: 0, messagesRefused: 0, internalErrors: 0 };
  private queued = 0;
  /** A bug ended this connection: nothing more it receives is served. */
  private broken = false;
  /**
   * Whole messages waiting for their turn, served one at a time by callbacks, not a promise chain:
   * on XS each link of a chain costs more than the record it carries (issue 10, item 5).
   */
  private readonly inbox: Uint8Array[] = [];
  private serving = false;

  constructor(private readonly options: ReaderConnectionOptions) {
    this.id = options.id;
    this.session = new ReaderSession({ crypto: options.crypto, random: options.random, identity: options.identity });
    this.link = new FrameLink({
      attMtu: DEFAULT_ATT_MTU,
      send: (frame) => (this.subscribed ? options.notify(frame) : Promise.resolve()),
      onMessage: (bytes) => this.onMessage(bytes),
      maxQueuedMessages: MAX_OUTBOX_MESSAGES,
    });
  }

  get queuedMessages(): number {
    return this.queued;
  }

  /** One frame written to the command characteristic. */
  onFrame(frame: Uint8Array): void {
    // The stack refuses writes on an insecure link (writeEncrypted); a driver that let one through
    // does not get it served.
    if (!this.security.encrypted || !this.security.authenticated) {
      this.counters.insecureFrames++;
      return;
    }
    if (this.broken) return;
    try {
      this.link.receiveFrame(frame);
    } catch (e) {
      // The link drops bad frames itself (frame-link.ts): what leaves it is a bug.
      this.internalError(e);
    }
  }

  /** Sends a message in a protected record; resolves false when there is no session or link. */
  sendProtected(message: Uint8Array): Promise<boolean> {
    return new Promise<boolean>((resolve) => this.postProtected(message, resolve));
  }

  /**
   * The same without a promise, for what nobody waits on (events to the phone): sealed now, so the
   * records keep the order of the calls, then queued in the link's outbox; `done` hears whether it
   * went out (false when there is no session or link).
   */
  postProtected(message: Uint8Array, done?: (sent: boolean) => void): void {
    if (!this.session.established || this.link.isClosed) {
      done?.(false);
      return;
    }
    let record: Uint8Array;
    try {
      record = this.session.seal(message);
    } catch (e) {
      this.sendEnded(e);
      done?.(false);
      return;
    }
    if (done === undefined) this.link.post(record, this.sendEnded);
    else this.link.post(record, (error) => { this.sendEnded(error); done(error === undefined); });
  }

  close(): void {
    this.link.close();
    this.session.end();
    this.pairing.pending = null;
  }

  private onMessage(bytes: Uint8Array): void {
    if (this.queued >= MAX_QUEUED_MESSAGES) {
      this.counters.messagesRefused++;
      this.alert("busy");
      return;
    }
    this.queued++;
    this.inbox.push(bytes);
    if (this.serving) return;
    this.serving = true;
    // Served on the next turn, never inside the frame that completed it.
    Promise.resolve(this).then(ReaderConnection.serveNext);
  }

  /** The next message's turn, as a reaction: a static function is no closure the connection keeps. */
  private static serveNext(connection: ReaderConnection): void {
    connection.serveNext();
  }

  /** Serves the oldest waiting message; `served` runs once its answer went to the link. */
  private serveNext(): void {
    const record = this.inbox.shift();
    if (record === undefined) {
      this.serving = false;
      return;
    }
    if (this.broken) {
      this.served();
      return;
    }
    try {
      this.process(record, this.served);
    } catch (e) {
      this.failed(e);
      this.served();
    }
  }

  private readonly served = (): void => {
    this.queued--;
    Promise.resolve(this).then(ReaderConnection.serveNext);
  };

  /**
   * How a protected message ended: a record counter used up or a closed link is the session's or
   * the link's defined end; anything else is a bug. One function for every message of the
   * connection, so a queued event holds no closure of its own.
   */
  private readonly sendEnded = (error: unknown): void => {
    if (error !== undefined && !(error instanceof MposError)) this.internalError(error);
  };

  private alert(status: StatusName): void {
    if (this.link.pendingMessages >= MAX_BACKLOG_FOR_ALERTS) return;
    this.counters.alertsSent++;
    this.link.post(alertRecord(STATUS[status]));
  }

  /** An exception left `process`: a typed one is answered with its alert, anything else is a bug. */
  private failed(e: unknown): void {
    if (e instanceof MposError) this.alert(alertOfError(e));
    else this.internalError(e);
  }

  private internalError(e: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.counters.internalErrors++;
    try {
      this.options.onInternalError?.(e);
    } catch {
      // The report failed too; the phone still gets its answer and the reader stays up.
    }
    this.counters.alertsSent++;
    const end = (): void => {
      // A link already closed means the phone left (its id may belong to a new phone by now).
      if (this.link.isClosed) return;
      this.close();
      this.options.disconnect?.();
    };
    this.link.post(alertRecord(STATUS.internalError), end);
  }

  /**
   * One record; `done` runs once when it was served (at once, or when its answer went to the link),
   * unless this throws first. Nothing of the record, nor of the message it opens to, is kept while
   * the request is served.
   */
  private process(record: Uint8Array, done: () => void): void {
    if (record[0] === RECORD_HANDSHAKE) {
      this.handshake(record.subarray(1));
      done();
      return;
    }
    if (record[0] !== RECORD_PROTECTED) {
      this.alert("malformed");
      done();
      return;
    }
    if (!this.session.established) {
      this.alert("sessionRequired");
      done();
      return;
    }
    let message: Uint8Array;
    try {
      message = this.session.open(record);
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
      this.alert(e instanceof SessionError && e.code === "session-replay" ? "replay" : "decryptFailed");
      done();
      return;
    }
    this.serve(message, done);
  }

  private handshake(hello: Uint8Array): void {
    let reply: Uint8Array;
    try {
      reply = this.session.handleHello(hello);
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
      if (e instanceof MessageError) this.alert(e.code === "message-version" ? "unsupportedVersion" : "malformed");
      else if (e instanceof SessionError && e.code === "session-state") this.alert("unsupportedVersion");
      else this.alert("handshakeFailed");
      return;
    }
    this.pairing.pending = null;
    this.options.onNewSession(this);
    this.link.post(handshakeRecord(reply));
  }

  /**
   * A decrypted message: the request it holds is handed to its handler, or the phone gets the
   * status of why it does not decode. Synchronous up to the handler, so that what the handler
   * awaits keeps only the request's type and id.
   */
  private serve(message: Uint8Array, done: () => void): void {
    const type = message.length >= MESSAGE_HEADER_BYTES ? message[1] : 0;
    const id = message.length >= MESSAGE_HEADER_BYTES ? message[2] : 0;
    let request: DecodedRequest;
    try {
      const envelope = decodeMessage(message);
      if (requestTypeOfMessage(envelope) === undefined) {
        this.postProtected(encodeStatusResponse(type, id, "unknownMessage"), done);
        return;
      }
      request = decodeRequest(envelope);
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
      const status: StatusName = e instanceof MessageError
        ? (e.code === "message-version" ? "unsupportedVersion" : e.code === "message-field" ? "invalidParameter" : "malformed")
        : "malformed";
      this.postProtected(encodeStatusResponse(type, id, status), done);
      return;
    }
    this.answer(request.type, request.id, handleRequest(this.options.context(this), request.type, request.body as never), done);
  }

  /** The handler's answer to request `id` of `type`, once it came; a handler that throws is a bug. */
  private answer(type: RequestType, id: number, handled: Promise<HandlerResult<RequestType>>, done: () => void): void {
    handled.then((result) => this.reply(type, id, result, done), (e: unknown) => {
      this.failed(e);
      done();
    });
  }

  /** Sends the answer, then runs what the handler left for after it (a transaction starts). */
  private reply(type: RequestType, id: number, result: HandlerResult<RequestType>, done: () => void): void {
    let response: Uint8Array;
    let after = result.after;
    try {
      response = encodeResponse(type, id, result.status, result.body as never, result.attemptsLeft);
    } catch (e) {
      if (!(e instanceof MposError)) {
        this.failed(e);
        done();
        return;
      }
      // The engine answered something the protocol may not carry (a field out of range, card data
      // in clear): the phone gets an internal error, never the data.
      response = encodeResponse(type, id, "internalError");
      after = undefined;
    }
    this.counters.requestsServed++;
    this.postProtected(response, after === undefined ? done : this.thenAfter(after, done));
  }

  /** `after`, then `done`: what waits on the answer going out is these two alone. */
  private thenAfter(after: () => void, done: () => void): () => void {
    return () => {
      try {
        after();
      } catch (e) {
        this.failed(e);
      }
      done();
    };
  }
}

/** The alert for a typed error that reached the end of `process` (docs/protocol.md, "Status codes"). */
function alertOfError(e: MposError): StatusName {
  if (e instanceof FramingError && e.code === "frame-too-large") return "tooLarge";
  if (e instanceof MessageError && e.code === "message-version") return "unsupportedVersion";
  if (e instanceof SessionError) return e.code === "session-replay" ? "replay" : e.code === "session-decrypt" ? "decryptFailed" : "sessionRequired";
  return "malformed";
}
