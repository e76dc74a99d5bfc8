import type { SecureStorage } from "../../hal/secure-storage";
import type { CryptoProvider } from "../crypto";
import { constantTimeEqual } from "../bytes";
import { KeyStoreError } from "./errors";

// Atomic records over a storage whose writes are only atomic one record at a time, and may even be
// torn by a power cut: every logical record has two copies, "<name>.a" and "<name>.b", each
// carrying a sequence number and a check value. A write always goes to the copy that does not hold
// the newest valid value, so a cut during it leaves the newest valid copy untouched; a torn or
// half-written copy fails its check and is ignored. Reading picks the valid copy with the higher
// sequence number.
//
// Copy layout: 'K' (4B) | version 01 | sequence (4, big-endian) | length (2) | payload | check (8)
// check = leftmost 8 bytes of SHA-256("mpos.keystore.v1" || name || every byte before the check).
// The check detects torn writes and bit rot; secrecy is the HAL storage's (encrypted NVS).

const MAGIC = 0x4b;
const VERSION = 0x01;
const HEADER = 8;
const CHECK = 8;
const DOMAIN = [0x6d, 0x70, 0x6f, 0x73, 0x2e, 0x6b, 0x65, 0x79, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x2e, 0x76, 0x31]; // "mpos.keystore.v1"

interface Copy {
  slot: "a" | "b";
  seq: number;
  payload: Uint8Array;
}

function ascii(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0x7f);
  return out;
}

export class AtomicRecords {
  /** Newest known sequence and slot per record name, so a write need not read first. */
  private readonly known = new Map<string, { seq: number; slot: "a" | "b" } | null>();

  constructor(private readonly storage: SecureStorage, private readonly crypto: CryptoProvider) {}

  private check(name: string, body: Uint8Array): Uint8Array {
    const input = new Uint8Array(DOMAIN.length + name.length + body.length);
    input.set(DOMAIN, 0);
    input.set(ascii(name), DOMAIN.length);
    input.set(body, DOMAIN.length + name.length);
    const digest = this.crypto.sha256(input);
    input.fill(0);
    return digest.slice(0, CHECK);
  }

  private parse(name: string, slot: "a" | "b", raw: Uint8Array | null): Copy | "absent" | "invalid" {
    if (raw === null) return "absent";
    if (!(raw instanceof Uint8Array) || raw.length < HEADER + CHECK || raw[0] !== MAGIC || raw[1] !== VERSION) return "invalid";
    const length = (raw[6] << 8) | raw[7];
    if (raw.length !== HEADER + length + CHECK) return "invalid";
    const body = raw.subarray(0, HEADER + length);
    if (!constantTimeEqual(this.check(name, body), raw.subarray(HEADER + length))) return "invalid";
    const seq = ((raw[2] << 24) >>> 0) + (raw[3] << 16) + (raw[4] << 8) + raw[5];
    return { slot, seq, payload: raw.slice(HEADER, HEADER + length) };
  }

  /**
   * The newest valid value of `name`, or null when it was never (completely) written. Throws
   * KeyStoreError("keystore-corrupt") when both copies exist and neither is valid: that no power
   * cut can cause, only damage.
   */
  async read(name: string): Promise<Uint8Array | null> {
    return (await this.readDetailed(name)).payload;
  }

  /**
   * As read(), and says whether one copy failed its check while the other was valid: a torn write
   * (the new value never took effect) or damage to the newest value (then the value read is one
   * write old). A caller whose record is a counter steps it once past the value read.
   */
  async readDetailed(name: string): Promise<{ payload: Uint8Array | null; degraded: boolean }> {
    const rawA = await this.storage.read(`${name}.a`);
    const rawB = await this.storage.read(`${name}.b`);
    const a = this.parse(name, "a", rawA);
    const b = this.parse(name, "b", rawB);
    if (rawA) rawA.fill(0);
    if (rawB) rawB.fill(0);
    const valid = [a, b].filter((x): x is Copy => typeof x === "object");
    if (valid.length === 0) {
      this.known.set(name, null);
      if (a === "invalid" && b === "invalid") {
        throw new KeyStoreError("keystore-corrupt", `key store: both copies of record ${name} fail their check`);
      }
      return { payload: null, degraded: false };
    }
    valid.sort((x, y) => y.seq - x.seq);
    for (let i = 1; i < valid.length; i++) valid[i].payload.fill(0);
    this.known.set(name, { seq: valid[0].seq, slot: valid[0].slot });
    return { payload: valid[0].payload, degraded: a === "invalid" || b === "invalid" };
  }

  /**
   * Writes `payload` as the new value of `name` into the copy that does not hold the newest valid
   * value. If the storage rejects (a power cut), what is known about the record is forgotten, so
   * the next write first reads what the storage really holds.
   */
  async write(name: string, payload: Uint8Array): Promise<void> {
    if (!this.known.has(name)) {
      const current = await this.read(name);
      if (current) current.fill(0);
    }
    const newest = this.known.get(name) ?? null;
    const slot: "a" | "b" = newest === null ? "a" : newest.slot === "a" ? "b" : "a";
    const seq = newest === null ? 1 : newest.seq + 1;
    if (payload.length > 0xffff || HEADER + payload.length + CHECK > this.storage.maxRecordBytes) {
      throw new KeyStoreError("keystore-corrupt", `key store: record ${name} is larger than the storage allows`);
    }
    const raw = new Uint8Array(HEADER + payload.length + CHECK);
    raw[0] = MAGIC;
    raw[1] = VERSION;
    raw[2] = seq >>> 24;
    raw[3] = (seq >>> 16) & 0xff;
    raw[4] = (seq >>> 8) & 0xff;
    raw[5] = seq & 0xff;
    raw[6] = payload.length >>> 8;
    raw[7] = payload.length & 0xff;
    raw.set(payload, HEADER);
    raw.set(this.check(name, raw.subarray(0, HEADER + payload.length)), HEADER + payload.length);
    this.known.delete(name);
    try {
      await this.storage.write(`${name}.${slot}`, raw);
    } finally {
      raw.fill(0);
    }
    this.known.set(name, { seq, slot });
  }

  /** Removes both copies of `name`. */
  async remove(name: string): Promise<void> {
    this.known.delete(name);
    await this.storage.remove(`${name}.a`);
    await this.storage.remove(`${name}.b`);
    this.known.set(name, null);
  }

  /** Forgets every cached sequence number (after eraseAll or a failed operation). */
  forget(): void {
    this.known.clear();
  }
}
