import type { SecureStorage } from "../../hal/secure-storage";
import { MemoryStorage, PowerLossError, type PowerCutOutcome } from "../hardware/memory-storage";

// The reader's power, shared by its storages (the key store's and the transaction log's): a
// scenario cuts it at a time (power-off) or at the n-th write to any of them (powerCut), with the
// flash outcome of memory-storage.ts (the write lost, applied, or torn). While it is off, every
// storage operation fails, as the reader does nothing until it boots again.

export class PowerSwitch {
  private on = true;
  private writes = 0;
  private cut: { atWrite: number; outcome: PowerCutOutcome } | null = null;
  private readonly storages: MemoryStorage[] = [];

  get powered(): boolean {
    return this.on;
  }

  /** Writes attempted on all storages since the switch was made. */
  get writeCount(): number {
    return this.writes;
  }

  /** The n-th write from now (1: the next) loses power, with `outcome`. */
  cutAtWrite(n: number, outcome: PowerCutOutcome): void {
    this.cut = { atWrite: this.writes + n, outcome };
  }

  attach(storage: MemoryStorage): SecureStorage {
    this.storages.push(storage);
    return new PoweredStorage(storage, this);
  }

  off(): void {
    this.on = false;
  }

  onAgain(): void {
    this.on = true;
    for (const s of this.storages) s.restorePower();
  }

  check(what: string): void {
    if (!this.on) throw new PowerLossError(`reader storage: ${what} while the power is off`);
  }

  /** Before a write: arms the storage's own cut when this is the write to interrupt. */
  beforeWrite(storage: MemoryStorage): void {
    this.writes++;
    const cut = this.cut;
    if (cut && this.writes === cut.atWrite) {
      this.cut = null;
      this.on = false;
      storage.cutPowerAt(1, cut.outcome);
    }
  }
}

class PoweredStorage implements SecureStorage {
  constructor(private readonly inner: MemoryStorage, private readonly power: PowerSwitch) {}

  get maxRecordBytes(): number {
    return this.inner.maxRecordBytes;
  }

  async read(name: string): Promise<Uint8Array | null> {
    this.power.check("read");
    return this.inner.read(name);
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    this.power.check("write");
    this.power.beforeWrite(this.inner);
    return this.inner.write(name, data);
  }

  async remove(name: string): Promise<void> {
    this.power.check("remove");
    return this.inner.remove(name);
  }

  async eraseAll(): Promise<void> {
    this.power.check("erase");
    return this.inner.eraseAll();
  }
}
