import { MposError } from "../errors";
import { FramingError } from "./errors";
import { decodeFrame, encodeAbortFrame, encodeCreditFrame, type AbortReason } from "./frame";
import { checkFragmentable, fragmentAt, fragmentEnd, frameBytesForMtu, maxMessageBytes } from "./fragmenter";
import { Reassembler } from "./reassembler";

// One end of the framing layer over a GATT connection (docs/protocol.md, "Framing" and "Flow
// control"): it fragments outgoing messages to the negotiated MTU, reassembles incoming ones, and
// keeps credit-based flow control so that writes without response and notifications never outrun
// the peer. The same class serves the reader (frames out as notifications) and the phone (frames
// out as writes).
//
// Flow control: each side may send INITIAL_CREDITS data frames after the connection opens; the
// receiver hands credits back in a credit frame once it has taken CREDIT_BATCH data frames (which
// it does as they arrive, so a message longer than the window never deadlocks). Credit and abort
// frames need no credit.
//
// Sending: messages wait in a bounded outbox (a plain array of pending messages) that one drain loop
// empties in order, so fragments of two messages never interleave and a message waits for credit
// only at the head of the line. A queued message costs its record and its completion callback,
// nothing more: no promise chain per message (issue 10, item 5: the reader's RAM on XS).

export const INITIAL_CREDITS = 8;
export const CREDIT_BATCH = 4;
/** Credits beyond this are ignored: a forged credit frame cannot make a sender flood its peer. */
export const MAX_CREDITS = 4 * INITIAL_CREDITS;
/** Messages a link queues by default; a message number is one byte, so more would be a runaway. */
export const DEFAULT_MAX_QUEUED_MESSAGES = 256;

/**
 * How a posted message ended: `error` undefined once its last frame went to GATT (`message` is its
 * number), else why it did not (a FramingError: "frame-too-large", "frame-aborted", "frame-closed",
 * "frame-backlog"; or what GATT's send rejected with).
 */
export type SendDone = (error: unknown, message: number) => void;

export interface FrameLinkOptions {
  /** The negotiated ATT_MTU (23 until an Exchange MTU). */
  attMtu: number;
  /** Hands one frame to GATT (a write on the phone, a notification on the reader). */
  send(frame: Uint8Array): Promise<void>;
  /** A whole message arrived. */
  onMessage(bytes: Uint8Array): void;
  /** The peer dropped message `message` we sent, for `reason`. */
  onAbort?(message: number, reason: AbortReason): void;
  /** The longest message accepted (default: what 256 frames carry, at most MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
  /** Messages queued or going out at most; more are refused with "frame-backlog" (default 256). */
  maxQueuedMessages?: number;
}

/** What crossed the link, for the bench and for diagnostics. */
export interface LinkStats {
  framesSent: number;
  framesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** Whole messages sent and received, and their bytes (what the framing carried). */
  messagesSent: number;
  messagesReceived: number;
  messageBytesSent: number;
  messageBytesReceived: number;
  /** Times a message had to wait for credit. */
  creditWaits: number;
  /** Frames dropped: malformed, duplicates, or refused (an abort was sent). */
  framesDropped: number;
  abortsSent: number;
  abortsReceived: number;
}

/** A message in the outbox. */
interface Outgoing {
  readonly bytes: Uint8Array;
  readonly done: SendDone | undefined;
}

/** The message going out: its number, the frame size it was cut for, and where its next frame starts. */
interface Progress {
  message: number;
  frameBytes: number;
  offset: number;
  index: number;
}

/** A control frame that GATT refused is not retried: the peer's next credit or abort comes anyway. */
function ignore(): void {
  // Nothing to do; a shared function, so a pending control frame holds no closure of its own.
}

export class FrameLink {
  private frameBytes: number;
  private readonly reassembler: Reassembler;
  private credits = INITIAL_CREDITS;
  private unreturned = 0;
  private nextMessage = 0;
  /** Messages wait here for their turn, the one going out first: fragments never interleave. */
  private readonly outbox: Outgoing[] = [];
  private draining = false;
  private readonly maxQueued: number;
  /** The head of the outbox once it began to go out. */
  private current: Progress | null = null;
  /** The message going out waits for a credit frame. */
  private creditWait = false;
  private closed = false;
  /** Message numbers the peer aborted that are still being sent. */
  private readonly aborted = new Set<number>();
  readonly stats: LinkStats = {
    framesSent: 0, framesReceived: 0, bytesSent: 0, bytesReceived: 0, messagesSent: 0, messagesReceived: 0, messageBytesSent: 0, messageBytesReceived: 0,
    creditWaits: 0, framesDropped: 0, abortsSent: 0, abortsReceived: 0,
  };

  constructor(private readonly options: FrameLinkOptions) {
    this.frameBytes = frameBytesForMtu(options.attMtu);
    this.reassembler = new Reassembler(options.maxMessageBytes ?? maxMessageBytes(this.frameBytes));
    this.maxQueued = options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES;
  }

  get attMtu(): number {
    return this.frameBytes + 3;
  }

  /** After an Exchange MTU: later messages use the new frame size. */
  setMtu(attMtu: number): void {
    this.frameBytes = frameBytesForMtu(attMtu);
  }

  /**
   * Sends one message; resolves once its last frame is handed to GATT, or rejects with a
   * FramingError ("frame-too-large", "frame-aborted", "frame-closed", "frame-backlog"). Returns the
   * message number.
   */
  sendMessage(bytes: Uint8Array): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.post(bytes, (error, message) => (error === undefined ? resolve(message) : reject(error)));
    });
  }

  /**
   * Queues one message behind those already queued; `done` (if any) hears how it ended, never
   * before this returns. Nothing is held for it but the message and `done`.
   */
  post(bytes: Uint8Array, done?: SendDone): void {
    if (this.outbox.length >= this.maxQueued) {
      const refused = new FramingError("frame-backlog", `framing: ${this.outbox.length} messages already wait to go out`);
      if (done !== undefined) Promise.resolve().then(() => done(refused, -1));
      return;
    }
    this.outbox.push({ bytes, done });
    if (this.draining) return;
    this.draining = true;
    // Sending starts on the next turn, as a queued message would: the caller finishes first.
    Promise.resolve(this).then(FrameLink.next);
  }

  /** Messages waiting to go out (or going out): a sender bounds its backlog with it. */
  get pendingMessages(): number {
    return this.outbox.length;
  }

  /** Messages whose number the peer skipped: lost on the way (the session layer sees which). */
  get messagesLost(): number {
    return this.reassembler.lost;
  }

  /** A message is being reassembled (its bytes are held). */
  get receiving(): boolean {
    return this.reassembler.busy;
  }

  /**
   * Takes one frame from GATT. Bad frames (a typed FramingError from decodeFrame) are counted and
   * dropped or aborted; it throws only on a bug (any other exception), for the owner to report
   * (reader-connection.ts: onInternalError).
   */
  receiveFrame(bytes: Uint8Array): void {
    if (this.closed) return;
    this.stats.framesReceived++;
    this.stats.bytesReceived += bytes instanceof Uint8Array ? bytes.length : 0;
    let frame;
    try {
      frame = decodeFrame(bytes);
    } catch (e) {
      if (!(e instanceof MposError)) throw e;
      this.stats.framesDropped++;
      return;
    }
    if (frame.kind === "credit") {
      this.credits = Math.min(this.credits + frame.credits, MAX_CREDITS);
      if (this.creditWait && this.credits > 0) {
        this.creditWait = false;
        Promise.resolve().then(this.step);
      }
      return;
    }
    if (frame.kind === "abort") {
      this.stats.abortsReceived++;
      this.aborted.add(frame.message);
      if (this.aborted.size > 16) this.aborted.clear();
      this.options.onAbort?.(frame.message, frame.reason);
      return;
    }
    for (const result of this.reassembler.receive(frame, bytes)) {
      if (result.kind === "message") {
        this.stats.messagesReceived++;
        this.stats.messageBytesReceived += result.bytes.length;
        this.options.onMessage(result.bytes);
      } else if (result.kind === "abort") {
        this.stats.framesDropped++;
        this.stats.abortsSent++;
        this.control(encodeAbortFrame(result.message, result.reason));
      } else if (result.kind === "duplicate") {
        this.stats.framesDropped++;
      }
    }
    // Every data frame taken (good or not) is credited back: the sender spent one on it.
    this.unreturned++;
    if (this.unreturned >= CREDIT_BATCH) {
      const n = this.unreturned;
      this.unreturned = 0;
      this.control(encodeCreditFrame(n));
    }
  }

  /** The connection ended: pending sends reject, later frames are ignored. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reassembler.reset();
    if (this.creditWait) {
      // The message waiting for credit ends as "frame-closed", and those behind it.
      this.creditWait = false;
      Promise.resolve().then(this.step);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private control(frame: Uint8Array): void {
    if (this.closed) return;
    this.count(frame);
    this.options.send(frame).catch(ignore);
  }

  private count(frame: Uint8Array): void {
    this.stats.framesSent++;
    this.stats.bytesSent += frame.length;
  }

  // Sending is a loop of callbacks, not async functions: a message waiting on GATT or for credit
  // holds one reaction on GATT's promise, not the suspended frames of a drain and a transmit
  // (issue 10, item 5: on XS a suspended async function costs more than the frame it sends).

  /** The start of sending, as a reaction: a static function is no closure the link keeps. */
  private static next(link: FrameLink): void {
    link.next();
  }

  /** Starts the message at the head of the outbox, in order; a message leaves it once it ended. */
  private next(): void {
    for (;;) {
      const head = this.outbox[0];
      if (head === undefined) {
        this.draining = false;
        return;
      }
      const error = this.begin(head.bytes);
      if (error === undefined) {
        this.step();
        return;
      }
      this.end(error, -1);
    }
  }

  /** Numbers the head message and checks it can go out; the error that ends it otherwise. */
  private begin(bytes: Uint8Array): unknown {
    if (this.closed) return new FramingError("frame-closed", "framing: the connection closed");
    // The frame size is fixed for the whole message, even if the MTU changes while it goes out.
    const frameBytes = this.frameBytes;
    try {
      checkFragmentable(bytes, frameBytes);
    } catch (e) {
      return e;
    }
    const message = this.nextMessage;
    this.nextMessage = (message + 1) & 0xff;
    this.aborted.delete(message);
    this.current = { message, frameBytes, offset: 0, index: 0 };
    return undefined;
  }

  /**
   * Sends the head message's next frame, made only now (a message waiting for credit holds no
   * copies of itself), or ends the message: sent, closed, aborted by the peer.
   */
  private readonly step = (): void => {
    const p = this.current;
    const head = this.outbox[0];
    if (p === null || head === undefined) return;
    const bytes = head.bytes;
    if (p.offset >= bytes.length) {
      this.stats.messagesSent++;
      this.stats.messageBytesSent += bytes.length;
      this.finish(undefined, p.message);
      return;
    }
    if (this.closed) {
      this.finish(new FramingError("frame-closed", "framing: the connection closed"), -1);
      return;
    }
    if (this.credits === 0) {
      this.stats.creditWaits++;
      this.creditWait = true;
      return;
    }
    if (this.aborted.has(p.message)) {
      this.finish(new FramingError("frame-aborted", `framing: the peer dropped message ${p.message}`), -1);
      return;
    }
    const end = fragmentEnd(bytes, p.frameBytes, p.offset, p.index);
    const frame = fragmentAt(p.message, bytes, p.offset, end, p.index);
    p.offset = end;
    p.index++;
    this.credits--;
    this.count(frame);
    let sent: Promise<void>;
    try {
      sent = this.options.send(frame);
    } catch (e) {
      this.failed(e);
      return;
    }
    sent.then(this.step, this.failed);
  };

  /** GATT refused a frame: the message ends with its error. */
  private readonly failed = (e: unknown): void => {
    this.finish(e ?? new FramingError("frame-closed", "framing: the message did not go out"), -1);
  };

  /** The head message ended; the next one starts. */
  private finish(error: unknown, message: number): void {
    this.current = null;
    this.end(error, message);
    this.next();
  }

  /** Takes the head message out of the outbox and tells its sender how it ended. */
  private end(error: unknown, message: number): void {
    const ended = this.outbox.shift();
    try {
      ended?.done?.(error, message);
    } catch {
      // A completion that throws is its owner's bug; the messages behind it still go out.
    }
  }
}
