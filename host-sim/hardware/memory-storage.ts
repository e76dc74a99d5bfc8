import type { SecureStorage } from "../../hal/secure-storage";

// The simulator's secure storage: records in memory, with power-cut fault injection. A cut armed
// for the n-th write makes that write throw and leaves the record as a real flash would: the write
// either fully done or not at all ("applied" / "lost"), or, to test the worst flash, a prefix of
// it ("torn"). Then the power stays off: every operation throws until restorePower(), as a reader
// that lost power does nothing until it boots again. Plain TypeScript (no Node API): it also runs
// inside the XS engine.

export type PowerCutOutcome = "lost" | "applied" | "torn";

/** The storage lost power: the operation did not complete (and the device is now off). */
export class PowerLossError extends Error {
  readonly code = "power-loss";
  constructor(message: string) {
    super(message);
    this.name = "PowerLossError";
  }
}

export interface MemoryStorageOptions {
  /** Longest record (bytes); default 4000, the ESP-IDF NVS blob size on one page. */
  maxRecordBytes?: number;
}

const NAME = /^[a-z0-9.-]{1,15}$/;

export class MemoryStorage implements SecureStorage {
  readonly maxRecordBytes: number;
  private readonly records = new Map<string, Uint8Array>();
  private writeCount = 0;
  private cut: { atWrite: number; outcome: PowerCutOutcome } | null = null;
  private powered = true;

  constructor(options: MemoryStorageOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? 4000;
  }

  /** Number of writes attempted since construction (including the one a cut interrupted). */
  get writes(): number {
    return this.writeCount;
  }

  get poweredOn(): boolean {
    return this.powered;
  }

  /** Arms a power cut at the `n`-th write from now (1 = the next write), with its outcome. */
  cutPowerAt(n: number, outcome: PowerCutOutcome): void {
    if (!Number.isInteger(n) || n < 1) throw new Error("memory storage: a cut is armed at write 1 or later");
    this.cut = { atWrite: this.writeCount + n, outcome };
  }

  /** Disarms a pending cut. */
  cancelCut(): void {
    this.cut = null;
  }

  /** The device boots again: storage answers, records as the cut left them. */
  restorePower(): void {
    this.powered = true;
  }

  /** Every stored record's name, sorted (for tests). */
  names(): string[] {
    return [...this.records.keys()].sort();
  }

  /** A copy of every stored byte, concatenated (tests search it for key material). */
  rawContents(): Uint8Array {
    let length = 0;
    for (const r of this.records.values()) length += r.length;
    const out = new Uint8Array(length);
    let offset = 0;
    for (const r of this.records.values()) {
      out.set(r, offset);
      offset += r.length;
    }
    return out;
  }

  /** Overwrites one stored byte (tests of corruption that no power cut can cause). */
  corrupt(name: string, offset: number): void {
    const r = this.records.get(name);
    if (!r || offset < 0 || offset >= r.length) throw new Error("memory storage: nothing to corrupt there");
    r[offset] ^= 0xff;
  }

  private checkPower(what: string): void {
    if (!this.powered) throw new PowerLossError(`memory storage: ${what} while the power is off`);
  }

  private checkName(name: string): void {
    if (typeof name !== "string" || !NAME.test(name)) throw new Error("memory storage: a record name is 1-15 characters a-z 0-9 . -");
  }

  async read(name: string): Promise<Uint8Array | null> {
    this.checkPower("read");
    this.checkName(name);
    const r = this.records.get(name);
    return r ? r.slice() : null;
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    this.checkPower("write");
    this.checkName(name);
    if (!(data instanceof Uint8Array) || data.length > this.maxRecordBytes) {
      throw new Error(`memory storage: a record is bytes, at most ${this.maxRecordBytes}`);
    }
    this.writeCount++;
    const cut = this.cut;
    if (cut && this.writeCount === cut.atWrite) {
      this.cut = null;
      this.powered = false;
      if (cut.outcome === "applied") this.records.set(name, data.slice());
      else if (cut.outcome === "torn") {
        // The first half reached the flash, the rest reads as erased flash (FF).
        const torn = new Uint8Array(data.length).fill(0xff);
        torn.set(data.subarray(0, data.length >> 1));
        this.records.set(name, torn);
      }
      throw new PowerLossError(`memory storage: power cut during write ${this.writeCount}`);
    }
    this.records.set(name, data.slice());
  }

  async remove(name: string): Promise<void> {
    this.checkPower("remove");
    this.checkName(name);
    const r = this.records.get(name);
    if (r) r.fill(0);
    this.records.delete(name);
  }

  async eraseAll(): Promise<void> {
    this.checkPower("erase");
    for (const r of this.records.values()) r.fill(0);
    this.records.clear();
  }
}
