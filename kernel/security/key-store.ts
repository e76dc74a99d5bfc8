import type { RandomSource } from "../../hal/random";
import type { SecureStorage } from "../../hal/secure-storage";
import { fromHex, toHex } from "../bytes";
import type { CryptoProvider } from "../crypto";
import { AtomicRecords } from "./atomic-record";
import { aesDukptLoadInitialKey, aesDukptNextKsn, aesDukptExhausted } from "./dukpt-aes-device";
import { tdesDukptLoadInitialKey, tdesDukptNextKsn, tdesDukptExhausted } from "./dukpt-tdes-device";
import {
  beginDukptTransaction, checkDukptDeviceState, type DukptDeviceState, type DukptTransactionKeys, type OnlinePinBlock,
} from "./device-transaction";
import { KeyStoreError, TamperedError } from "./errors";
import { keyCheckValue } from "./kcv";
import { decodeKeyRecord, encodeKeyRecord, zeroizeKeyRecord, type DukptRecord, type KbpkAlgorithm, type KbpkRecord, type KeyRecord } from "./key-record";
import { envelopePlaintext, type CardDataProtector, type P2peEnvelope, type P2peScheme, type SensitiveItem } from "./p2pe";
import { checkPin, panDigits, type OnlinePinEncryptor } from "./pin-block";
import { optionalBlock, unwrapKeyBlock } from "./tr31";

// The reader's key store over the HAL secure storage. It holds the key block protection key
// (KBPK, loaded at the factory) and one DUKPT key per usage slot: "pin" for online PIN, "data" for
// P2PE envelopes (keys are separated by usage). Keys arrive only as TR-31 key blocks under the
// KBPK (usage B1, the initial DUKPT key), or under the AES DUKPT update key.
//
// The rules it keeps (ARCHITECTURE.md, "Security rules"):
// - the DUKPT counter is advanced and the new state stored (atomically, atomic-record.ts) before
//   the transaction's key is used, so a power cut never lets a KSN be used twice;
// - its only cryptographic services are "PIN block for this PIN and PAN" and "envelope for this
//   card data": no API encrypts arbitrary data under the PIN key;
// - a tamper event zeroizes every key in memory at once, erases the storage and leaves a marker:
//   the store refuses every service until a KBPK and keys are loaded again.
// Operations run one at a time, in call order (two concurrent transactions never share a counter).

export type KeySlot = "pin" | "data";
export const KEY_SLOTS: readonly KeySlot[] = ["pin", "data"];

const RECORD: Record<KeySlot | "kbpk" | "tamper", string> = {
  kbpk: "kbpk",
  pin: "dukpt-pin",
  data: "dukpt-data",
  tamper: "tamper",
};

const TAMPER_CAUSES = ["enclosure", "mesh", "voltage", "temperature", "clock", "command"];

export interface KeyStoreOptions {
  storage: SecureStorage;
  crypto: CryptoProvider;
  random: RandomSource;
}

export interface SlotStatus {
  slot: KeySlot;
  scheme: P2peScheme;
  /** KCV of the initial key as injected (X9.24-1:2017 Annex A). */
  kcv: string;
  /** The KSN the next transaction of this slot will carry. */
  nextKsn: string;
  exhausted: boolean;
}

export interface KeyStoreStatus {
  state: "ready" | "no-keys" | "tampered";
  kbpk: { algorithm: KbpkAlgorithm; kcv: string } | null;
  slots: SlotStatus[];
  /** The cause of the tamper event while state is "tampered". */
  tamperCause?: string;
}

function nextKsnOf(state: DukptDeviceState): Uint8Array {
  return state.scheme === "aes-dukpt" ? aesDukptNextKsn(state) : tdesDukptNextKsn(state);
}

function exhausted(state: DukptDeviceState): boolean {
  return state.scheme === "aes-dukpt" ? aesDukptExhausted(state) : tdesDukptExhausted(state);
}

export class KeyStore implements CardDataProtector, OnlinePinEncryptor {
  private readonly records: AtomicRecords;
  private readonly storage: SecureStorage;
  private readonly c: CryptoProvider;
  private readonly random: RandomSource;
  private kbpk: KbpkRecord | null = null;
  /**
   * A DUKPT slot at rest is its record's bytes (key-record.ts layout): one buffer instead of a
   * state object with a typed array per register (issue 10, item 5: on XS every object and typed
   * array costs slots). It is decoded only for the operation that uses it, then zeroized.
   */
  private readonly slots = new Map<KeySlot, Uint8Array>();
  private loaded = false;
  private tampered = false;
  private tamperCause: string | undefined;
  /** Counts tamper responses, so that re-commissioning never clears a tamper newer than itself. */
  private tamperEpoch = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(options: KeyStoreOptions) {
    this.storage = options.storage;
    this.c = options.crypto;
    this.random = options.random;
    this.records = new AtomicRecords(options.storage, options.crypto);
  }

  /** Opens the store over `storage`, reading and checking every record. */
  static async open(options: KeyStoreOptions): Promise<KeyStore> {
    const store = new KeyStore(options);
    await store.exclusive(() => store.load());
    return store;
  }

  /** Runs `fn` after every operation called before it (one at a time, in call order). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.then(() => undefined, () => undefined);
    return run;
  }

  private dropMemory(): void {
    if (this.kbpk) zeroizeKeyRecord(this.kbpk);
    this.kbpk = null;
    for (const bytes of this.slots.values()) bytes.fill(0);
    this.slots.clear();
  }

  private async readRecord(name: string): Promise<{ record: KeyRecord | null; degraded: boolean }> {
    const { payload, degraded } = await this.records.readDetailed(name);
    if (payload === null) return { record: null, degraded };
    try {
      return { record: decodeKeyRecord(payload), degraded };
    } finally {
      payload.fill(0);
    }
  }

  private async load(): Promise<void> {
    this.dropMemory();
    this.loaded = false;
    const marker = await this.records.read(RECORD.tamper);
    if (marker !== null) {
      this.tampered = true;
      this.tamperCause = TAMPER_CAUSES[marker[0]] ?? "unknown";
      this.loaded = true;
      return;
    }
    this.tampered = false;
    this.tamperCause = undefined;
    const kbpk = (await this.readRecord(RECORD.kbpk)).record;
    if (kbpk !== null) {
      if (kbpk.kind !== "kbpk") throw new KeyStoreError("keystore-corrupt", "key store: the KBPK record holds something else");
      this.kbpk = kbpk;
    }
    for (const slot of KEY_SLOTS) {
      const { record: r, degraded } = await this.readRecord(RECORD[slot]);
      if (r === null) continue;
      if (r.kind !== "dukpt") throw new KeyStoreError("keystore-corrupt", `key store: the ${slot} record holds something else`);
      try {
        checkDukptDeviceState(r.state);
        if (degraded && !exhausted(r.state)) await this.skipOneCounter(slot, r);
        else this.slots.set(slot, encodeKeyRecord(r));
      } finally {
        zeroizeKeyRecord(r);
      }
    }
    this.loaded = true;
  }

  /**
   * One copy of a DUKPT record failed its check: either a torn write of a state never used, or
   * damage to the newest state, whose predecessor (the value read) had its counter used already.
   * Stepping the state once without using its key covers both: no KSN is ever used twice.
   */
  private async skipOneCounter(slot: KeySlot, current: DukptRecord): Promise<void> {
    const { keys, next } = beginDukptTransaction(this.c, current.state);
    keys.zeroize();
    await this.commit(slot, { kind: "dukpt", kcv: current.kcv.slice(), state: next });
  }

  private async ready(): Promise<void> {
    if (!this.loaded) await this.load();
    if (this.tampered) throw new TamperedError();
  }

  /**
   * Stores `record` as the new value of `target`'s record. A DUKPT record is encoded and zeroized
   * first, so that its decoded registers are not held while storage works (issue 10, item 5); a
   * KBPK record is kept by the caller, zeroized here only when the write fails.
   */
  private async commit(target: KeySlot | "kbpk", record: KeyRecord, whileTampered = false): Promise<void> {
    const bytes = encodeKeyRecord(record);
    if (target !== "kbpk") zeroizeKeyRecord(record);
    try {
      await this.store(target, bytes, whileTampered);
    } catch (e) {
      zeroizeKeyRecord(record);
      throw e;
    }
  }

  /**
   * Writes `bytes`, the encoded record of `target`; a DUKPT slot then holds them as its state at
   * rest. On a storage failure (a power cut) everything in memory is dropped, to be read again
   * from storage: what storage holds is the truth. Refused while tampered (except to load a KBPK,
   * `whileTampered`) and when a tamper came during the write.
   */
  private async store(target: KeySlot | "kbpk", bytes: Uint8Array, whileTampered: boolean): Promise<void> {
    const startEpoch = this.tamperEpoch;
    try {
      await this.records.write(RECORD[target], bytes);
    } catch (e) {
      bytes.fill(0);
      this.dropMemory();
      this.records.forget();
      this.loaded = false;
      throw e;
    }
    // A tamper during the write: the erase queued behind it removes what was written.
    if (this.tamperEpoch !== startEpoch || (this.tampered && !whileTampered)) {
      bytes.fill(0);
      throw new TamperedError();
    }
    if (target === "kbpk") {
      bytes.fill(0);
      return;
    }
    const old = this.slots.get(target);
    this.slots.set(target, bytes);
    if (old) old.fill(0);
  }

  /** The decoded record of `slot` (fresh buffers: the caller zeroizes it with zeroizeKeyRecord). */
  private dukpt(slot: KeySlot): DukptRecord {
    if (KEY_SLOTS.indexOf(slot) < 0) throw new KeyStoreError("keystore-usage", "key store: unknown key slot");
    const bytes = this.slots.get(slot);
    if (!bytes) throw new KeyStoreError("no-key", `key store: no DUKPT key in the ${slot} slot`);
    return decodeKeyRecord(bytes) as DukptRecord;
  }

  /** Advances `slot` to its next transaction, stores the new state, then hands the keys to `use`. */
  private async transact<T>(slot: KeySlot, use: (keys: DukptTransactionKeys) => T): Promise<T> {
    const { keys, bytes } = this.advance(slot);
    try {
      await this.store(slot, bytes, false);
      return use(keys);
    } finally {
      keys.zeroize();
    }
  }

  /**
   * The keys of `slot`'s next transaction and the encoded state after it. The decoded states (the
   * DUKPT registers, two sets of them) are zeroized and dropped here, before the write: the
   * reader holds only the stored bytes and one transaction's keys while storage works.
   */
  private advance(slot: KeySlot): { keys: DukptTransactionKeys; bytes: Uint8Array } {
    const current = this.dukpt(slot);
    let keys: DukptTransactionKeys | undefined;
    try {
      const step = beginDukptTransaction(this.c, current.state);
      keys = step.keys;
      const next: KeyRecord = { kind: "dukpt", kcv: current.kcv.slice(), state: step.next };
      const bytes = encodeKeyRecord(next);
      zeroizeKeyRecord(next);
      return { keys, bytes };
    } catch (e) {
      keys?.zeroize();
      throw e;
    } finally {
      zeroizeKeyRecord(current);
    }
  }

  /** Online PIN: the PIN block of `pin` (ASCII digits, zeroized by the caller) for `pan`. */
  encryptPin(pin: Uint8Array, pan: string): Promise<OnlinePinBlock> {
    return this.exclusive(async () => {
      await this.ready();
      // Bad input must not spend a counter.
      checkPin(pin);
      panDigits(pan, 0).fill(0);
      return this.transact("pin", (keys) => keys.pinBlock(this.c, pin, pan, this.random));
    });
  }

  /** P2PE: the envelope of `items` under the data slot's next transaction keys. */
  protect(items: SensitiveItem[]): Promise<P2peEnvelope> {
    return this.exclusive(async () => {
      await this.ready();
      const plaintext = envelopePlaintext(items);
      try {
        return await this.transact("data", (keys) => keys.envelope(this.c, plaintext));
      } finally {
        plaintext.fill(0);
      }
    });
  }

  /**
   * Factory (secure room) step: loads the key block protection key in clear. Also the way out of
   * the tampered state: the tamper marker is cleared once the new KBPK is stored.
   */
  loadKbpk(key: Uint8Array, algorithm: KbpkAlgorithm): Promise<{ kcv: string }> {
    return this.exclusive(async () => {
      if (!this.loaded) await this.load();
      const ok = key instanceof Uint8Array &&
        (algorithm === "T" ? key.length === 16 || key.length === 24 : algorithm === "A" && (key.length === 16 || key.length === 24 || key.length === 32));
      if (!ok) throw new KeyStoreError("keystore-usage", "key store: a KBPK is a TDEA key of 16 or 24 bytes or an AES key of 16, 24 or 32 bytes");
      const kcv = keyCheckValue(this.c, algorithm === "T" ? "tdes" : "aes", key);
      const record: KbpkRecord = { kind: "kbpk", algorithm, key: key.slice(), kcv };
      // Allowed while tampered (this is the way back), but not across a new tamper event.
      const epoch = this.tamperEpoch;
      await this.commit("kbpk", record, true);
      if (this.kbpk) zeroizeKeyRecord(this.kbpk);
      this.kbpk = record;
      if (this.tampered) {
        await this.records.remove(RECORD.tamper);
        if (this.tamperEpoch !== epoch) throw new TamperedError();
        this.tampered = false;
        this.tamperCause = undefined;
      }
      return { kcv: toHex(kcv) };
    });
  }

  /**
   * Injects an initial DUKPT key into `slot` from a TR-31 key block wrapped under the KBPK: usage
   * B1, mode X, algorithm T (TDES DUKPT: optional block KS = initial KSN, 20 hex digits) or A (AES
   * DUKPT: optional block IK = Initial Key ID, or KS with it in its first 16 digits). Returns the
   * KCV of the key and the first KSN.
   */
  injectKeyBlock(slot: KeySlot, block: string): Promise<{ kcv: string; ksn: string }> {
    return this.exclusive(async () => {
      await this.ready();
      if (KEY_SLOTS.indexOf(slot) < 0) throw new KeyStoreError("keystore-usage", "key store: unknown key slot");
      const kbpk = this.kbpk;
      if (!kbpk) throw new KeyStoreError("no-key", "key store: no key block protection key is loaded");
      if (typeof block === "string" && block[0] !== (kbpk.algorithm === "T" ? "B" : "D")) {
        throw new KeyStoreError("keystore-usage", `key store: a ${kbpk.algorithm === "T" ? "TDEA" : "AES"} KBPK opens version ${kbpk.algorithm === "T" ? "B" : "D"} key blocks only`);
      }
      return this.loadInitialKey(slot, kbpk.key, block);
    });
  }

  /**
   * X9.24-3:2017, 6.5: replaces the AES DUKPT key of `slot` with a new initial key sent as a
   * version D key block wrapped under the slot's current DUKPT update key.
   */
  updateInitialKey(slot: KeySlot, block: string): Promise<{ kcv: string; ksn: string }> {
    return this.exclusive(async () => {
      await this.ready();
      const current = this.dukpt(slot);
      let updateKey: Uint8Array;
      try {
        if (current.state.scheme !== "aes-dukpt") throw new KeyStoreError("keystore-usage", "key store: only an AES DUKPT key has an update key");
        updateKey = current.state.updateKey.slice();
      } finally {
        zeroizeKeyRecord(current);
      }
      return this.loadInitialKey(slot, updateKey, block, true);
    });
  }

  private async loadInitialKey(slot: KeySlot, kbpk: Uint8Array, block: string, zeroizeKbpk = false): Promise<{ kcv: string; ksn: string }> {
    let unwrapped;
    try {
      unwrapped = unwrapKeyBlock(this.c, kbpk, block);
    } finally {
      if (zeroizeKbpk) kbpk.fill(0);
    }
    const { header, key } = unwrapped;
    try {
      if (header.usage !== "B1" || header.modeOfUse !== "X") {
        throw new KeyStoreError("keystore-usage", "key store: a DUKPT slot takes an initial DUKPT key (usage B1, mode of use X)");
      }
      let state: DukptDeviceState;
      let kcv: Uint8Array;
      if (header.algorithm === "T") {
        const ks = optionalBlock(header, "KS");
        if (key.length !== 16 || ks === undefined || ks.length !== 20) {
          throw new KeyStoreError("keystore-usage", "key store: a TDES DUKPT initial key is 16 bytes with its initial KSN (KS, 20 hex digits)");
        }
        state = tdesDukptLoadInitialKey(this.c, key, fromHex(ks));
        kcv = keyCheckValue(this.c, "tdes", key);
      } else if (header.algorithm === "A") {
        const id = optionalBlock(header, "IK") ?? optionalBlock(header, "KS");
        if (id === undefined || (id.length !== 16 && id.length !== 24)) {
          throw new KeyStoreError("keystore-usage", "key store: an AES DUKPT initial key needs its Initial Key ID (IK, 16 hex digits)");
        }
        state = aesDukptLoadInitialKey(this.c, key, fromHex(id.slice(0, 16)));
        kcv = keyCheckValue(this.c, "aes", key);
      } else {
        throw new KeyStoreError("keystore-usage", "key store: a DUKPT initial key is TDEA (T) or AES (A)");
      }
      const result = { kcv: toHex(kcv), ksn: toHex(nextKsnOf(state)) };
      await this.commit(slot, { kind: "dukpt", kcv, state });
      return result;
    } finally {
      key.fill(0);
    }
  }

  /** What is loaded, without any secret: KCVs, next KSNs, exhaustion, tamper state. */
  status(): Promise<KeyStoreStatus> {
    return this.exclusive(async () => {
      if (!this.loaded) await this.load();
      if (this.tampered) return { state: "tampered", kbpk: null, slots: [], tamperCause: this.tamperCause };
      const slots: SlotStatus[] = [];
      for (const slot of KEY_SLOTS) {
        if (!this.slots.has(slot)) continue;
        const r = this.dukpt(slot);
        try {
          slots.push({ slot, scheme: r.state.scheme, kcv: toHex(r.kcv), nextKsn: toHex(nextKsnOf(r.state)), exhausted: exhausted(r.state) });
        } finally {
          zeroizeKeyRecord(r);
        }
      }
      return {
        state: slots.some((s) => !s.exhausted) ? "ready" : "no-keys",
        kbpk: this.kbpk ? { algorithm: this.kbpk.algorithm, kcv: toHex(this.kbpk.kcv) } : null,
        slots,
      };
    });
  }

  /**
   * The tamper response: every key in memory is zeroized before this returns its promise (no
   * await comes first), then the storage is erased at once and a marker records the event. It
   * does not wait for operations in progress: they find the store tampered and fail.
   */
  erase(cause: string): Promise<void> {
    this.tamperEpoch++;
    this.tampered = true;
    this.tamperCause = cause;
    this.dropMemory();
    this.records.forget();
    const code = Math.max(0, TAMPER_CAUSES.indexOf(cause));
    return this.storage.eraseAll().then(() => this.records.write(RECORD.tamper, Uint8Array.of(code)));
  }

  /** True while the store refuses service because of a tamper event. */
  get isTampered(): boolean {
    return this.tampered;
  }

  // The store holds keys: it never serializes or prints itself (STYLE.md).
  toJSON(): string {
    return "[redacted]";
  }

  toString(): string {
    return "[redacted]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[redacted]";
  }
}
