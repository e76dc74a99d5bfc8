import Digital from "embedded:io/digital";
import Timer from "timer";
import type { Key, Keypad } from "../keypad";

// The keypad (hal/keypad.ts): a 4 x 4 matrix on GPIO, rows open drain, columns with pull-ups. It
// scans only while a key is down, so that an idle reader runs no timer and the chip can stay in
// light sleep (hal/esp32/power.ts: the columns are its wake sources):
//
// - waiting: every row is held low and each column waits on a falling edge (`embedded:io/digital`
//   with `edge` and `onReadable`, a GPIO interrupt). Any key pulls its column low.
// - scanning, from a key-down edge: every `scanMs` the rows are driven low one at a time and the
//   columns read; a key is pressed when its column reads low while its row is driven. A press is
//   delivered once it read the same on two scans in a row (debounce), and again only after it was
//   released. Once no key has been down on two scans in a row, the rows are held low again and the
//   driver waits for the next edge. The scan's own row changes make column edges too: they are
//   ignored while scanning.
//
// A key already down when a handler is registered belongs to what came before (the previous
// prompt): it is not delivered. The driver hands the key to the handler and keeps no copy of it
// (PCI PTS POI: the PIN never stays in a driver).

/** ISO 9564-1, 5.2 function keys on the right: Cancel (red), Clear (yellow), Enter (green). */
const LAYOUT: (Key | null)[][] = [
  ["1", "2", "3", "cancel"],
  ["4", "5", "6", "clear"],
  ["7", "8", "9", "enter"],
  [null, "0", null, null],
];

/** What a scan found: no key, more than one (a roll-over is ignored), or one key's row * 4 + column. */
const NONE = -1;
const ROLLOVER = -2;

export interface MatrixKeypadOptions {
  rows: number[];
  columns: number[];
  /** Scan period while a key is down, ms (default 10: a press is confirmed within 20 ms). */
  scanMs?: number;
}

export class MatrixKeypad implements Keypad {
  private readonly rows: Digital[];
  private readonly columns: Digital[];
  private readonly scanMs: number;
  private handler: ((key: Key) => void) | null = null;
  /** The scan's timer: non-null exactly while a key may be down. */
  private timer: Timer | null = null;
  /** What the last scan found, and whether that key was delivered. */
  private seen = NONE;
  private delivered = false;

  constructor(options: MatrixKeypadOptions) {
    if (options.rows.length !== LAYOUT.length || options.columns.length !== LAYOUT[0].length) throw new RangeError("keypad: a 4 x 4 matrix");
    const scanMs = options.scanMs ?? 10;
    if (!Number.isInteger(scanMs) || scanMs < 1 || scanMs > 50) throw new RangeError("keypad: scanMs must be 1 to 50");
    this.scanMs = scanMs;
    this.rows = options.rows.map((pin) => new Digital({ pin, mode: Digital.OutputOpenDrain }));
    this.holdRows();
    this.columns = options.columns.map((pin) => new Digital({
      pin, mode: Digital.InputPullUp, edge: Digital.Falling, onReadable: () => this.keyDown(),
    }));
  }

  onKey(handler: ((key: Key) => void) | null): void {
    this.handler = handler;
    if (handler === null) this.stopScan();
    else if (this.timer === null && this.anyColumnLow()) this.startScan(true);
  }

  /** A column's falling edge: a key went down (or the scan moved a row: ignored while scanning). */
  private keyDown(): void {
    if (this.timer !== null || this.handler === null) return;
    this.startScan(false);
  }

  /** Starts scanning; `heldBefore`: the key down now is not to be delivered. */
  private startScan(heldBefore: boolean): void {
    this.seen = heldBefore ? this.pressed() : NONE;
    this.delivered = heldBefore;
    this.timer = Timer.repeat(() => this.scan(), this.scanMs);
  }

  private stopScan(): void {
    if (this.timer !== null) Timer.clear(this.timer);
    this.timer = null;
    this.seen = NONE;
    this.delivered = false;
  }

  /** Every row driven low: any key pulls its column low (the waiting state). */
  private holdRows(): void {
    for (const r of this.rows) r.write(0);
  }

  private anyColumnLow(): boolean {
    for (const c of this.columns) if (c.read() === 0) return true;
    return false;
  }

  /** One pass over the rows; leaves every row held low. */
  private pressed(): number {
    for (const r of this.rows) r.write(1);
    let found = NONE;
    for (let r = 0; r < this.rows.length; r++) {
      this.rows[r].write(0);
      for (let c = 0; c < this.columns.length; c++) {
        if (this.columns[c].read() === 0) found = found === NONE ? r * 4 + c : ROLLOVER;
      }
      this.rows[r].write(1);
    }
    this.holdRows();
    return found;
  }

  private scan(): void {
    const now = this.pressed();
    if (now !== this.seen) {
      this.seen = now;
      this.delivered = false;
      return;
    }
    if (now === NONE) {
      // All keys up on two scans in a row: wait for the next edge. A key that went down after the
      // last row was read made its edge while the scan ran (ignored): look once more.
      this.stopScan();
      if (this.anyColumnLow()) this.startScan(false);
      return;
    }
    if (now === ROLLOVER || this.delivered) return;
    this.delivered = true;
    const key = LAYOUT[now >> 2][now & 3];
    if (key !== null && this.handler) this.handler(key);
  }
}
