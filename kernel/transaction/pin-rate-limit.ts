// The limit on PIN entries (PCI PTS POI, exhaustive PIN determination: a PIN entry device must not
// let an attacker try PINs faster than on average one per 30 seconds, 120 an hour). A sliding
// window of the last hour: each PIN that leaves the buffer (to the card or into a PIN block) uses
// one entry; while the window is full, no PIN is asked for and the kernel is told the PIN pad
// cannot take one (EMV Book 3, 10.5.1: "PIN pad not working").
//
// The window lives in memory: a reader that boots starts with an empty window, and its boot time
// bounds how fast a power cycle gives new entries.

const HOUR_MS = 3600000;

export class PinRateLimit {
  private readonly times: number[] = [];

  constructor(private readonly maxPerHour: number) {}

  private prune(nowMs: number): void {
    while (this.times.length > 0 && nowMs - this.times[0] >= HOUR_MS) this.times.shift();
  }

  /** True when one more PIN may be entered now. */
  allows(nowMs: number): boolean {
    this.prune(nowMs);
    return this.times.length < this.maxPerHour;
  }

  /** Counts one PIN entered at `nowMs`. */
  record(nowMs: number): void {
    this.prune(nowMs);
    this.times.push(nowMs);
  }

  /** When the next entry will be allowed (now, when one is allowed already). */
  nextAllowedMs(nowMs: number): number {
    this.prune(nowMs);
    return this.times.length < this.maxPerHour ? nowMs : this.times[0] + HOUR_MS;
  }
}
