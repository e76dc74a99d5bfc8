import { SessionError } from "./errors";
import type { DirectionKeys } from "./handshake";
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, type SessionCrypto } from "./session-crypto";

// The record layer (docs/protocol.md, "Records"): every reassembled message is one record.
//
//   01 handshake   01 || HELLO or HELLO-REPLY, in the clear
//   02 protected   02 || counter (4 bytes, big endian) || AES-128-GCM(message) || tag (16)
//   03 alert       03 || status (1 byte): the reader refused a record it could not act on
//
// Protected records: per direction a key, a 12-byte IV and a counter that starts at 1 and grows by
// one per record; nonce = IV xor the counter right-aligned in 12 bytes (as RFC 8446, 5.3), additional
// data = the record's first 5 bytes. A receiver accepts a counter only if it is greater than the last
// one it accepted: a replayed or reordered record is refused before any decryption (a gap, from a
// message the framing dropped, is allowed). At 2^32 - 1 the session must hand-shake again.

export const RECORD_HANDSHAKE = 0x01;
export const RECORD_PROTECTED = 0x02;
export const RECORD_ALERT = 0x03;
export const PROTECTED_HEADER_BYTES = 5;
/** Bytes a protected record adds to its message. */
export const PROTECTED_OVERHEAD = PROTECTED_HEADER_BYTES + GCM_TAG_BYTES;
export const MAX_RECORD_COUNTER = 0xffffffff;

function nonce(iv: Uint8Array, counter: number): Uint8Array {
  const n = iv.slice(0, GCM_NONCE_BYTES);
  let c = counter;
  for (let i = GCM_NONCE_BYTES - 1; i >= GCM_NONCE_BYTES - 4; i--) {
    n[i] ^= c & 0xff;
    c = Math.floor(c / 256);
  }
  return n;
}

function header(counter: number): Uint8Array {
  return Uint8Array.of(RECORD_PROTECTED, (counter >>> 24) & 0xff, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff);
}

/** Seals one direction's records. */
export class RecordSealer {
  private counter = 0;
  constructor(private readonly crypto: SessionCrypto, private readonly keys: DirectionKeys) {}

  seal(message: Uint8Array): Uint8Array {
    if (this.counter >= MAX_RECORD_COUNTER) throw new SessionError("session-exhausted", "session: the record counter is used up; hand-shake again");
    this.counter++;
    const head = header(this.counter);
    const sealed = this.crypto.gcmSeal(this.keys.key, nonce(this.keys.iv, this.counter), head, message);
    const out = new Uint8Array(head.length + sealed.length);
    out.set(head, 0);
    out.set(sealed, head.length);
    return out;
  }

  get sent(): number {
    return this.counter;
  }
}

/** Opens the other direction's records, refusing replays and reordering. */
export class RecordOpener {
  private last = 0;
  constructor(private readonly crypto: SessionCrypto, private readonly keys: DirectionKeys) {}

  /** The message of a protected record; "session-replay" or "session-decrypt" otherwise. */
  open(record: Uint8Array): Uint8Array {
    if (record.length < PROTECTED_OVERHEAD || record[0] !== RECORD_PROTECTED) {
      throw new SessionError("session-decrypt", "session: a protected record shorter than its header and tag");
    }
    const counter = ((record[1] << 24) >>> 0) + (record[2] << 16) + (record[3] << 8) + record[4];
    if (counter <= this.last) throw new SessionError("session-replay", `session: record ${counter} is not newer than ${this.last}`);
    const plain = this.crypto.gcmOpen(this.keys.key, nonce(this.keys.iv, counter), record.subarray(0, PROTECTED_HEADER_BYTES),
      record.subarray(PROTECTED_HEADER_BYTES));
    if (plain === null) throw new SessionError("session-decrypt", "session: a record that does not authenticate");
    this.last = counter;
    return plain;
  }

  get received(): number {
    return this.last;
  }
}

export function handshakeRecord(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 1);
  out[0] = RECORD_HANDSHAKE;
  out.set(message, 1);
  return out;
}

export function alertRecord(status: number): Uint8Array {
  return Uint8Array.of(RECORD_ALERT, status);
}
