import type { SecureStorage } from "../secure-storage";
import type { HostLink } from "./host-link";
import { BridgeWireError } from "./wire";

// Secure storage (hal/secure-storage.ts) of the firmware on the XS engine, served by the
// simulator's memory storage (with its power-cut faults: a cut write rejects here too). The device
// keeps its records in NVS namespaces of their own (firmware/device.ts); the bridge serves each
// namespace as a device of its own, so a tamper erase of the keys leaves the others, as on the ESP32.

/** The key store's namespace (keys, DUKPT counters, bonds): erased by a tamper response. */
export const STORAGE = "storage";
/** The transaction log's namespace. */
export const JOURNAL_STORAGE = "storage.journal";
/** The installed configuration's namespace. */
export const CONFIG_STORAGE = "storage.config";
/** The factory identity's namespace. */
export const IDENTITY_STORAGE = "storage.identity";

/** ESP-IDF NVS: a blob spans at most the pages of a partition; nothing of ours nears a megabyte. */
const MAX_RECORD_BYTES = 1 << 20;

export class BridgeSecureStorage implements SecureStorage {
  readonly maxRecordBytes: number;

  constructor(private readonly link: HostLink, private readonly device: string = STORAGE) {
    const max = link.callSync(device, "maxRecordBytes");
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > MAX_RECORD_BYTES) {
      throw new BridgeWireError(`${device}: the host's record size is out of range`);
    }
    this.maxRecordBytes = max;
  }

  async read(name: string): Promise<Uint8Array | null> {
    const r = await this.link.call(this.device, "read", [name]);
    if (r !== null && !(r instanceof Uint8Array)) throw new BridgeWireError(`${this.device}: a record read is bytes or null`);
    return r;
  }

  write(name: string, data: Uint8Array): Promise<void> {
    return this.link.act(this.device, "write", [name, data]);
  }

  remove(name: string): Promise<void> {
    return this.link.act(this.device, "remove", [name]);
  }

  eraseAll(): Promise<void> {
    return this.link.act(this.device, "eraseAll");
  }
}
