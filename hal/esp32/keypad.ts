import Digital from "embedded:io/digital";
import Timer from "timer";
import type { Key, Keypad } from "../keypad";

// The keypad (hal/keypad.ts): a 4 x 4 matrix scanned by GPIO. Rows are driven low one at a time
// (open drain, idle high), columns read with pull-ups; a key is pressed when its column reads low
// while its row is driven. A press is delivered once it has read the same on two scans in a row
// (debounce), and again only after it was released. The driver hands the key to the handler and
// keeps no copy of it (PCI PTS POI: the PIN never stays in a driver).

/** ISO 9564-1, 5.2 function keys on the right: Cancel (red), Clear (yellow), Enter (green). */
const LAYOUT: (Key | null)[][] = [
  ["1", "2", "3", "cancel"],
  ["4", "5", "6", "clear"],
  ["7", "8", "9", "enter"],
  [null, "0", null, null],
];

export interface MatrixKeypadOptions {
  rows: number[];
  columns: number[];
  /** Scan period, ms (default 10: a press is confirmed within 20 ms). */
  scanMs?: number;
}

export class MatrixKeypad implements Keypad {
  private readonly rows: Digital[];
  private readonly columns: Digital[];
  private readonly scanMs: number;
  private handler: ((key: Key) => void) | null = null;
  private timer: Timer | null = null;
  /** Row and column of the key seen on the last scan (-1: none), and whether it was delivered. */
  private seen = -1;
  private delivered = false;

  constructor(options: MatrixKeypadOptions) {
    if (options.rows.length !== LAYOUT.length || options.columns.length !== LAYOUT[0].length) throw new RangeError("keypad: a 4 x 4 matrix");
    this.rows = options.rows.map((pin) => new Digital({ pin, mode: Digital.OutputOpenDrain }));
    for (const r of this.rows) r.write(1);
    this.columns = options.columns.map((pin) => new Digital({ pin, mode: Digital.InputPullUp }));
    this.scanMs = options.scanMs ?? 10;
  }

  onKey(handler: ((key: Key) => void) | null): void {
    this.handler = handler;
    if (handler && !this.timer) this.timer = Timer.repeat(() => this.scan(), this.scanMs);
    if (!handler && this.timer) {
      Timer.clear(this.timer);
      this.timer = null;
      this.seen = -1;
      this.delivered = false;
    }
  }

  /** The one key pressed now (row * 4 + column), -1 for none or for more than one (a roll-over is ignored). */
  private pressed(): number {
    let found = -1;
    for (let r = 0; r < this.rows.length; r++) {
      this.rows[r].write(0);
      for (let c = 0; c < this.columns.length; c++) {
        if (this.columns[c].read() === 0) {
          if (found >= 0) found = -2;
          else if (found === -1) found = r * 4 + c;
        }
      }
      this.rows[r].write(1);
    }
    return found < 0 ? -1 : found;
  }

  private scan(): void {
    const now = this.pressed();
    if (now !== this.seen) {
      this.seen = now;
      this.delivered = false;
      return;
    }
    if (now < 0 || this.delivered) return;
    this.delivered = true;
    const key = LAYOUT[now >> 2][now & 3];
    if (key !== null && this.handler) this.handler(key);
  }
}
