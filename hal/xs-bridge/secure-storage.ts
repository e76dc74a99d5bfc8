import type { SecureStorage } from "../secure-storage";
import type { HostLink } from "./host-link";

// Secure storage (hal/secure-storage.ts) of the firmware on the XS engine, served by the
// simulator's memory storage (with its power-cut faults: a cut write rejects here too).

export const STORAGE = "storage";

export class BridgeSecureStorage implements SecureStorage {
  readonly maxRecordBytes: number;

  constructor(private readonly link: HostLink) {
    this.maxRecordBytes = link.callSync(STORAGE, "maxRecordBytes") as number;
  }

  read(name: string): Promise<Uint8Array | null> {
    return this.link.call(STORAGE, "read", [name]) as Promise<Uint8Array | null>;
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    await this.link.call(STORAGE, "write", [name, data]);
  }

  async remove(name: string): Promise<void> {
    await this.link.call(STORAGE, "remove", [name]);
  }

  async eraseAll(): Promise<void> {
    await this.link.call(STORAGE, "eraseAll");
  }
}
