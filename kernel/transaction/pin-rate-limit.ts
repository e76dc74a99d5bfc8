import type { SecureStorage } from "../../hal/secure-storage";
import type { CryptoProvider } from "../crypto";
import { MposError } from "../errors";
import { AtomicRecords } from "../security/atomic-record";
import {
  decodePinWindow, encodePinWindow, MAX_PIN_WINDOW_ENTRIES, PIN_WINDOW_MS, PinLimitError,
} from "./pin-rate-limit-record";

// The limit on PIN entries (PCI PTS POI, exhaustive PIN determination: a PIN entry device must not
// let an attacker try PINs faster than on average one per 30 seconds, 120 an hour). A sliding
// window of the last hour: each PIN that leaves the buffer (to the card or into a PIN block) uses
// one entry; while the window is full, no PIN is asked for and the kernel is told the PIN pad
// cannot take one (EMV Book 3, 10.5.1: "PIN pad not working").
//
// A power cycle must not empty the window, so a reader opened over storage (open()) stores the
// window (pin-rate-limit-record.ts, atomically: kernel/security/atomic-record.ts) before the PIN it
// counts leaves the buffer. Time across a reboot: the HAL clock restarts from an unknown origin and
// the real-time clock is set by the phone, which is the attacker's own device in an exhaustive
// search, so neither may credit time the reader was off. The window therefore runs on the reader's
// own clock only: an entry's age is what it was at the last write, and the time between that write
// and the next boot counts as zero. That can only make the wait longer, never shorter.

/** Record name in the transaction log's storage (1-13 characters: the atomic record adds ".a"/".b"). */
export const PIN_WINDOW_RECORD = "pin-window";

export interface PinRateLimitStorage {
  storage: SecureStorage;
  crypto: CryptoProvider;
}

export interface OpenedPinRateLimit {
  limit: PinRateLimit;
  /**
   * Set when the stored window was unreadable. The limit then starts full (no PIN for one hour of
   * running time), and the record is written again: damage must never hand out fresh entries.
   */
  problem: PinLimitError | null;
}

export class PinRateLimit {
  private times: number[] = [];
  private records: AtomicRecords | null = null;

  constructor(private readonly maxPerHour: number) {
    if (!Number.isInteger(maxPerHour) || maxPerHour < 1 || maxPerHour > MAX_PIN_WINDOW_ENTRIES) {
      throw new Error(`PIN rate limit: 1 to ${MAX_PIN_WINDOW_ENTRIES} entries an hour`);
    }
  }

  /**
   * The limit as the storage left it: entries are placed before `nowMs` (the HAL clock at start-up)
   * by their stored ages. A stored window longer than `maxPerHour` keeps its newest entries (they
   * decide when the next PIN is allowed).
   */
  static async open(options: PinRateLimitStorage & { maxPerHour: number; nowMs: number }): Promise<OpenedPinRateLimit> {
    const limit = new PinRateLimit(options.maxPerHour);
    const records = new AtomicRecords(options.storage, options.crypto);
    let problem: PinLimitError | null = null;
    let ages: number[] = [];
    try {
      const stored = await records.read(PIN_WINDOW_RECORD);
      if (stored !== null) ages = decodePinWindow(stored);
    } catch (e) {
      if (e instanceof PinLimitError) problem = e;
      else if (e instanceof MposError && e.code === "keystore-corrupt") problem = new PinLimitError("PIN window: both copies of the record fail their check");
      else throw e;
    }
    if (problem !== null) ages = new Array<number>(options.maxPerHour).fill(0);
    limit.times = ages.slice(-options.maxPerHour).map((age) => options.nowMs - age);
    limit.records = records;
    if (problem !== null) await limit.store(options.nowMs);
    return { limit, problem };
  }

  private prune(nowMs: number): void {
    while (this.times.length > 0 && nowMs - this.times[0] >= PIN_WINDOW_MS) this.times.shift();
  }

  /** True when one more PIN may be entered now. */
  allows(nowMs: number): boolean {
    this.prune(nowMs);
    return this.times.length < this.maxPerHour;
  }

  /**
   * Counts one PIN entered at `nowMs`: in memory at once, then in storage (when opened over one).
   * The PIN may leave the buffer only when this resolves; if it rejects (a power cut), the entry
   * still counts in memory and the PIN must be discarded.
   */
  async record(nowMs: number): Promise<void> {
    this.prune(nowMs);
    this.times.push(nowMs);
    if (this.times.length > this.maxPerHour) this.times.splice(0, this.times.length - this.maxPerHour);
    await this.store(nowMs);
  }

  /** When the next entry will be allowed (now, when one is allowed already). */
  nextAllowedMs(nowMs: number): number {
    this.prune(nowMs);
    return this.times.length < this.maxPerHour ? nowMs : this.times[this.times.length - this.maxPerHour] + PIN_WINDOW_MS;
  }

  /** Entries in the window now. */
  entries(nowMs: number): number {
    this.prune(nowMs);
    return this.times.length;
  }

  private async store(nowMs: number): Promise<void> {
    if (this.records === null) return;
    this.prune(nowMs);
    // A clock that never goes backwards gives ages of 0 or more; clamp anyway (a bad driver must
    // not make the record unwritable).
    const ages = this.times.map((t) => Math.min(PIN_WINDOW_MS - 1, Math.max(0, nowMs - t)));
    for (let i = 1; i < ages.length; i++) if (ages[i] > ages[i - 1]) ages[i] = ages[i - 1];
    await this.records.write(PIN_WINDOW_RECORD, encodePinWindow(ages));
  }
}
