import Preference from "preference";
import type { SecureStorage } from "../secure-storage";

// Secure storage (hal/secure-storage.ts) on Moddable's `preference`: ESP-IDF NVS, which the reader's
// build keeps on an encrypted partition (NVS encryption with flash encryption enabled, ESP-IDF
// "NVS Encryption"). One NVS namespace of its own, so a tamper erase clears exactly the keys.
// NVS writes one entry atomically (a power cut leaves the old value or the new one); the key
// store's atomic records do the rest (kernel/security/atomic-record.ts).

/** The NVS namespace of the key store (at most 15 characters, the NVS key length). */
export const KEY_DOMAIN = "mpos-keys";

/** ESP-IDF NVS: a blob fits one 4 KB page less its header, 4000 bytes. */
const MAX_RECORD_BYTES = 4000;

const NAME = /^[a-z0-9.-]{1,15}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new RangeError("storage: a record name is 1 to 15 of a-z 0-9 . -");
}

export class Esp32SecureStorage implements SecureStorage {
  readonly maxRecordBytes = MAX_RECORD_BYTES;

  constructor(private readonly domain: string = KEY_DOMAIN) {}

  async read(name: string): Promise<Uint8Array | null> {
    checkName(name);
    const value = Preference.get(this.domain, name);
    if (value === undefined) return null;
    if (!(value instanceof ArrayBuffer)) throw new TypeError("storage: a record is not bytes");
    return new Uint8Array(value.slice(0));
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    checkName(name);
    if (data.length > MAX_RECORD_BYTES) throw new RangeError("storage: record too large");
    Preference.set(this.domain, name, data.slice().buffer as ArrayBuffer);
  }

  async remove(name: string): Promise<void> {
    checkName(name);
    Preference.delete(this.domain, name);
  }

  /** The tamper response: every record of the namespace deleted, synchronously, before this returns its promise. */
  eraseAll(): Promise<void> {
    for (const name of Preference.keys(this.domain)) Preference.delete(this.domain, name);
    return Promise.resolve();
  }
}
