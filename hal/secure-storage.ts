/**
 * Persistent storage for keys and key state: on the ESP32 an encrypted NVS partition (Moddable's
 * `preference` module over flash encryption), in the simulator host-sim/hardware/memory-storage.ts.
 *
 * A record is a named byte string. The driver guarantees only what flash gives: one `write` either
 * takes effect entirely or not at all (a power cut during it leaves the old value or the new one,
 * or, on the worst flash, a record that fails its check), and operations take effect in the order
 * they are called. Atomic updates of anything larger (a key and its counter) are the key store's
 * job over this (kernel/security/atomic-record.ts).
 */
export interface SecureStorage {
  /** Longest record the driver stores, in bytes. */
  readonly maxRecordBytes: number;
  /**
   * Record names are 1 to 15 characters of a-z, 0-9, "." and "-" (the ESP-IDF NVS key limit).
   * Resolves to a copy of the record, or null when there is none.
   */
  read(name: string): Promise<Uint8Array | null>;
  /** Replaces the record with a copy of `data`. Rejects when the hardware fails (e.g. a power cut). */
  write(name: string, data: Uint8Array): Promise<void>;
  /** Deletes the record (no error when absent). */
  remove(name: string): Promise<void>;
  /**
   * Erases every record at once: the tamper response (PCI PTS POI A1). On the device this erases
   * the key partition; it must complete even while other operations are pending.
   */
  eraseAll(): Promise<void>;
}
