import type { SecureStorage } from "../../hal/secure-storage";
import { constantTimeEqual } from "../bytes";
import type { CryptoProvider } from "../crypto";
import { MposError } from "../errors";
import { AtomicRecords } from "../security/atomic-record";
import { Secret } from "../security/secret";
import { MAX_BONDS, type Bond, type BondStore } from "./bonds";
import { PHONE_ID_BYTES } from "./pairing";

// The reader's bonded phones in secure storage (docs/protocol.md, "Pairing"), so that a reboot does
// not make every phone pair again. The whole list is one atomic record (kernel/security/
// atomic-record.ts: two copies, sequence numbers, check values): a power cut during a change leaves
// the list before it or after it, never half of it.
//
// Bond keys are secrets: the record lives in the key store's storage, so the tamper response's
// erase of that storage (PCI PTS POI A1, kernel/security/tamper.ts) takes them with the keys, and
// erase() drops them from memory at the tamper event.
//
// Record: version 01 | count (1) | count x { phone id (8) | bond key (32) | name length (1) | name }
// The name is 1 to 32 printable ASCII characters (message-schemas.ts, PAIR-BEGIN phoneName).

export const BOND_RECORD = "ble-bonds";
const VERSION = 0x01;
const BOND_KEY_BYTES = 32;
const MAX_NAME = 32;

/** The stored bond list is unreadable. Code "bond-store-corrupt". */
export class BondStoreError extends MposError {
  constructor(message: string) {
    super("bond-store-corrupt", message);
    this.name = "BondStoreError";
  }
}

function printable(s: string): boolean {
  if (s.length < 1 || s.length > MAX_NAME) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** The record of `bonds`. The caller zeroizes it after writing (it holds the bond keys). */
export function encodeBonds(bonds: readonly Bond[], capacity = MAX_BONDS): Uint8Array {
  if (bonds.length > capacity || capacity > 0xff) throw new Error("bond store: more bonds than the store holds");
  let length = 2;
  for (const b of bonds) {
    if (b.phoneId.length !== PHONE_ID_BYTES || b.key.length !== BOND_KEY_BYTES || !printable(b.phoneName)) {
      throw new Error("bond store: a bond is an 8-byte phone id, a 32-byte key and a 1-32 character name");
    }
    length += PHONE_ID_BYTES + BOND_KEY_BYTES + 1 + b.phoneName.length;
  }
  const out = new Uint8Array(length);
  out[0] = VERSION;
  out[1] = bonds.length;
  let o = 2;
  for (const b of bonds) {
    out.set(b.phoneId, o);
    o += PHONE_ID_BYTES;
    b.key.use((k) => out.set(k, o));
    o += BOND_KEY_BYTES;
    out[o++] = b.phoneName.length;
    for (let i = 0; i < b.phoneName.length; i++) out[o++] = b.phoneName.charCodeAt(i);
  }
  return out;
}

/** The bonds a record holds (keys copied into Secrets). Throws BondStoreError when it breaks the layout. */
export function decodeBonds(bytes: Uint8Array, capacity = MAX_BONDS): Bond[] {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) throw new BondStoreError("bond store: record shorter than its header");
  if (bytes[0] !== VERSION) throw new BondStoreError(`bond store: unknown record version ${bytes[0]}`);
  const count = bytes[1];
  if (count > capacity) throw new BondStoreError(`bond store: ${count} bonds, at most ${capacity}`);
  const bonds: Bond[] = [];
  let o = 2;
  try {
    for (let n = 0; n < count; n++) {
      if (o + PHONE_ID_BYTES + BOND_KEY_BYTES + 1 > bytes.length) throw new BondStoreError(`bond store: bond ${n} runs past the record`);
      const phoneId = bytes.slice(o, o + PHONE_ID_BYTES);
      o += PHONE_ID_BYTES;
      const keyAt = o;
      o += BOND_KEY_BYTES;
      const nameLength = bytes[o++];
      if (nameLength < 1 || nameLength > MAX_NAME || o + nameLength > bytes.length) throw new BondStoreError(`bond store: bond ${n} has a name of bad length`);
      let phoneName = "";
      for (let i = 0; i < nameLength; i++) phoneName += String.fromCharCode(bytes[o + i]);
      o += nameLength;
      if (!printable(phoneName)) throw new BondStoreError(`bond store: bond ${n} has a name that is not printable ASCII`);
      if (bonds.some((b) => constantTimeEqual(b.phoneId, phoneId))) throw new BondStoreError(`bond store: bond ${n} repeats a phone id`);
      bonds.push({ phoneId, phoneName, key: new Secret(bytes.subarray(keyAt, keyAt + BOND_KEY_BYTES)) });
    }
    if (o !== bytes.length) throw new BondStoreError(`bond store: ${bytes.length - o} bytes after the last bond`);
  } catch (e) {
    for (const b of bonds) b.key.zeroize();
    throw e;
  }
  return bonds;
}

export interface StoredBondStoreOptions {
  /** The key store's storage (erased by the tamper response). */
  storage: SecureStorage;
  crypto: CryptoProvider;
  capacity?: number;
}

/** Bonds kept in memory and in an atomic record; the oldest is evicted beyond `capacity`. */
export class StoredBondStore implements BondStore {
  private bonds: Bond[] = [];
  private readonly records: AtomicRecords;
  private readonly capacity: number;
  /** Operations run one at a time, in call order: each writes the list the one before left. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Advanced by erase(): a change in flight at a tamper event must not store old keys again. */
  private epoch = 0;

  private constructor(options: StoredBondStoreOptions) {
    this.records = new AtomicRecords(options.storage, options.crypto);
    this.capacity = options.capacity ?? MAX_BONDS;
    if (!Number.isInteger(this.capacity) || this.capacity < 1 || this.capacity > 0xff) throw new Error("bond store: capacity 1 to 255");
  }

  /**
   * Loads the stored bonds. An unreadable record is reported as `problem` and removed (both copies):
   * the reader starts with no bonds, and phones pair again with a code on the reader's display. A
   * damaged bond is never trusted: it could authenticate a phone the reader never paired.
   */
  static async open(options: StoredBondStoreOptions): Promise<{ store: StoredBondStore; problem: BondStoreError | null }> {
    const store = new StoredBondStore(options);
    let problem: BondStoreError | null = null;
    let raw: Uint8Array | null = null;
    try {
      raw = await store.records.read(BOND_RECORD);
      if (raw !== null) store.bonds = decodeBonds(raw, store.capacity);
    } catch (e) {
      if (e instanceof BondStoreError) problem = e;
      else if (e instanceof MposError && e.code === "keystore-corrupt") problem = new BondStoreError("bond store: both copies of the record fail their check");
      else throw e;
    } finally {
      if (raw !== null) raw.fill(0);
    }
    if (problem !== null) await store.records.remove(BOND_RECORD);
    return { store, problem };
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stores `next` as the list; a tamper erase during the write removes what it wrote. */
  private async store(next: readonly Bond[]): Promise<void> {
    const epoch = this.epoch;
    const bytes = encodeBonds(next, this.capacity);
    try {
      await this.records.write(BOND_RECORD, bytes);
    } finally {
      bytes.fill(0);
    }
    if (this.epoch !== epoch) {
      await this.records.remove(BOND_RECORD);
      throw new BondStoreError("bond store: erased by a tamper response during the change");
    }
  }

  async find(phoneId: Uint8Array): Promise<Bond | undefined> {
    return this.bonds.find((b) => constantTimeEqual(b.phoneId, phoneId));
  }

  /**
   * Adds or replaces the bond of `bond.phoneId`, evicting the oldest beyond capacity. Stored before
   * it counts; when the write fails the store is as before and the new key is zeroized.
   */
  save(bond: Bond): Promise<void> {
    return this.run(async () => {
      const kept = this.bonds.filter((b) => !constantTimeEqual(b.phoneId, bond.phoneId));
      const next = kept.concat([{ phoneId: bond.phoneId.slice(), phoneName: bond.phoneName, key: bond.key }]);
      const evicted = next.splice(0, Math.max(0, next.length - this.capacity));
      try {
        await this.store(next);
      } catch (e) {
        bond.key.zeroize();
        throw e;
      }
      for (const b of this.bonds) if (!next.includes(b) && b.key !== bond.key) b.key.zeroize();
      for (const b of evicted) b.key.zeroize();
      this.bonds = next;
    });
  }

  /** Removes the bond from storage, then zeroizes its key. True when there was one. */
  remove(phoneId: Uint8Array): Promise<boolean> {
    return this.run(async () => {
      const gone = this.bonds.filter((b) => constantTimeEqual(b.phoneId, phoneId));
      if (gone.length === 0) return false;
      const next = this.bonds.filter((b) => !gone.includes(b));
      await this.store(next);
      for (const b of gone) b.key.zeroize();
      this.bonds = next;
      return true;
    });
  }

  async list(): Promise<{ phoneId: Uint8Array; phoneName: string }[]> {
    return this.bonds.map((b) => ({ phoneId: b.phoneId.slice(), phoneName: b.phoneName }));
  }

  /** Bonds held now. */
  get size(): number {
    return this.bonds.length;
  }

  /**
   * The tamper response (PCI PTS POI A1): zeroizes every bond key in memory at once. The storage
   * erase is the key store's (eraseAll of the same storage); a change in flight removes its record.
   */
  erase(): void {
    this.epoch++;
    for (const b of this.bonds) b.key.zeroize();
    this.bonds = [];
    this.records.forget();
  }
}
