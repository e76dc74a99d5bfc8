import { concat } from "../bytes";
import type { AbortReason, Frame } from "./frame";

// Reassembling one direction's data frames into messages (docs/protocol.md, "Framing"). BLE's link
// layer delivers in order and without loss (Core Spec v5.3, Vol 6, Part B, 4.5.9: acknowledgement and
// flow control), so a gap, a repeat or a reordering is a fault or an attack. Within a message the
// receiver checks every fragment (indexes in order, bytes adding up to the announced length, bounded
// size): a broken message is dropped and the sender told with an abort frame. Across messages it
// follows the sender: a FIRST fragment starts a new message whatever its number (a skipped number is
// counted as lost), and only a repeat of the previous message is dropped. It keeps no stricter order
// on purpose: this layer is not authenticated, and a stricter rule would let one injected frame
// desynchronise an honest sender for good. Replays and reordering of whole messages are the
// session's to refuse (record.ts: authenticated counters). It never holds more than one message of
// at most `maxBytes`.
//
// The rules, state x frame -> next state + action, top to bottom (the first that matches applies):
//
//  any   FIRST repeating the previous message's FIRST (same number, bytes) -> same  drop (duplicate)
//  busy  same message, index == the previous one       -> busy  drop (duplicate)
//  busy  same message, index == next, not FIRST        -> busy  append; more than total: abort(length);
//                                                               LAST: complete (*)
//  busy  same message, not FIRST, anything else       -> idle  abort(sequence)
//  busy  FIRST (of any message)                        -> busy  abort(sequence) the partial one, then
//                                                               take the frame as in idle
//  busy  not FIRST, another message                    -> busy  refuse it: abort(sequence) naming its
//                                                               message; the partial one goes on
//  idle  FIRST, index 0, announced length too long     -> idle  abort(tooLarge)
//  idle  FIRST, index 0                                -> busy  start (a skipped number counts as
//                                                               lost), then as "append"
//  idle  not FIRST, the previous message's number      -> idle  drop (duplicate)
//  idle  anything else                                 -> idle  refuse it: abort(sequence)
//  (*) complete: received == total ? deliver : abort(length); either way -> idle

export type ReceiveResult =
  | { kind: "message"; bytes: Uint8Array }
  | { kind: "abort"; message: number; reason: AbortReason }
  | { kind: "duplicate" }
  | { kind: "partial" };

type DataFrame = Extract<Frame, { kind: "data" }>;

interface Partial {
  message: number;
  nextIndex: number;
  total: number;
  received: number;
  parts: Uint8Array[];
}

const DUPLICATE: ReceiveResult = { kind: "duplicate" };

function refused(message: number): ReceiveResult {
  return { kind: "abort", message, reason: "sequence" };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Reassembler {
  private partial: Partial | null = null;
  /** The number of the last message delivered or dropped; -1 before the first. */
  private done = -1;
  /** The raw FIRST fragment of that message, to tell its repeat from a new message of the same number. */
  private doneFirst: Uint8Array | null = null;
  /** Messages whose number the sender skipped (lost before they arrived). */
  lost = 0;

  constructor(private readonly maxBytes: number) {}

  /**
   * Takes one data frame, with its bytes as received (`raw`, to recognise a repeated FIRST); says
   * what the caller must do, in order. Never throws.
   */
  receive(frame: DataFrame, raw?: Uint8Array): ReceiveResult[] {
    if (frame.first && frame.message === this.done && this.doneFirst !== null && raw !== undefined && sameBytes(raw, this.doneFirst)) {
      return [DUPLICATE];
    }
    const p = this.partial;
    if (p === null) return [this.idle(frame, raw)];
    if (frame.message === p.message) {
      if (frame.index === p.nextIndex - 1) return [DUPLICATE];
      if (frame.index === p.nextIndex && !frame.first) return [this.append(p, frame)];
      if (!frame.first) return [this.abort(p.message, "sequence")];
    }
    if (frame.first) return [this.abort(p.message, "sequence"), this.idle(frame, raw)];
    return [refused(frame.message)];
  }

  /** True while a message is partly received. */
  get busy(): boolean {
    return this.partial !== null;
  }

  /** Forgets any partial message (the connection closed or restarted). */
  reset(): void {
    this.partial = null;
    this.done = -1;
    this.doneFirst = null;
  }

  private idle(frame: DataFrame, raw: Uint8Array | undefined): ReceiveResult {
    if (!frame.first) return frame.message === this.done ? DUPLICATE : refused(frame.message);
    if (frame.index !== 0) return refused(frame.message);
    if (this.done >= 0) this.lost += (frame.message - this.done - 1 + 256) & 0xff;
    this.doneFirst = raw === undefined ? null : raw.slice();
    const total = frame.total ?? 0;
    if (total > this.maxBytes) return this.abort(frame.message, "tooLarge");
    const p: Partial = { message: frame.message, nextIndex: 0, total, received: 0, parts: [] };
    this.partial = p;
    return this.append(p, frame);
  }

  private append(p: Partial, frame: DataFrame): ReceiveResult {
    p.received += frame.payload.length;
    if (p.received > p.total) return this.abort(p.message, "length");
    p.parts.push(frame.payload.slice());
    p.nextIndex++;
    if (!frame.last) {
      if (p.received === p.total || p.nextIndex > 255) return this.abort(p.message, "length");
      return { kind: "partial" };
    }
    if (p.received !== p.total) return this.abort(p.message, "length");
    this.partial = null;
    this.done = p.message;
    return { kind: "message", bytes: concat(...p.parts) };
  }

  private abort(message: number, reason: AbortReason): ReceiveResult {
    this.partial = null;
    this.done = message;
    return { kind: "abort", message, reason };
  }
}
