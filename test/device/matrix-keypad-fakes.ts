// Fakes of the Moddable modules hal/esp32/keypad.ts uses, for test/device/matrix-keypad.test.ts:
// `embedded:io/digital` over a 4 x 4 key matrix (a column reads low when a key of a row driven low
// is down; a falling column with `onReadable` posts one delivery, as Moddable's digitalbank.c does,
// coalesced until it is delivered) and `timer` on a clock the test advances.

export const ROWS = [39, 40, 41, 42];
export const COLUMNS = [47, 0, 15, 16];

type Callback = () => void;

class Matrix {
  rowLevels: (0 | 1)[] = [1, 1, 1, 1];
  readonly rowWrites: (0 | 1)[][] = [[], [], [], []];
  readonly down = new Set<number>();
  readonly columns: (FakeDigital | null)[] = [null, null, null, null];
  readonly posted: Callback[] = [];
  private levels: (0 | 1)[] = [1, 1, 1, 1];

  reset(): void {
    this.rowLevels = [1, 1, 1, 1];
    for (const w of this.rowWrites) w.length = 0;
    this.down.clear();
    this.columns.fill(null);
    this.posted.length = 0;
    this.levels = [1, 1, 1, 1];
  }

  columnLevel(c: number): 0 | 1 {
    for (let r = 0; r < 4; r++) if (this.rowLevels[r] === 0 && this.down.has(r * 4 + c)) return 0;
    return 1;
  }

  /** Recomputes the columns after a row or a key changed; a falling edge interrupts. */
  settle(): void {
    for (let c = 0; c < 4; c++) {
      const level = this.columnLevel(c);
      const column = this.columns[c];
      if (this.levels[c] === 1 && level === 0 && column) column.interrupt();
      this.levels[c] = level;
    }
  }
}

export const matrix = new Matrix();

export class FakeDigital {
  static readonly Input = "input";
  static readonly InputPullUp = "input-pull-up";
  static readonly InputPullDown = "input-pull-down";
  static readonly InputPullUpDown = "input-pull-up-down";
  static readonly Output = "output";
  static readonly OutputOpenDrain = "output-open-drain";
  static readonly Rising = 1;
  static readonly Falling = 2;

  readonly pin: number;
  readonly mode: string;
  readonly edge: number | undefined;
  private readonly onReadable: Callback | undefined;
  private triggered = false;

  constructor(options: { pin: number; mode: string; edge?: number; onReadable?: Callback }) {
    this.pin = options.pin;
    this.mode = options.mode;
    this.edge = options.edge;
    this.onReadable = options.onReadable;
    const c = COLUMNS.indexOf(options.pin);
    if (c >= 0) matrix.columns[c] = this;
  }

  write(value: 0 | 1): void {
    const r = ROWS.indexOf(this.pin);
    if (r < 0 || this.mode !== FakeDigital.OutputOpenDrain) throw new Error(`fake digital: GPIO ${this.pin} is not a row`);
    matrix.rowLevels[r] = value;
    matrix.rowWrites[r].push(value);
    matrix.settle();
  }

  read(): 0 | 1 {
    const c = COLUMNS.indexOf(this.pin);
    if (c < 0 || this.mode !== FakeDigital.InputPullUp) throw new Error(`fake digital: GPIO ${this.pin} is not a column`);
    return matrix.columnLevel(c);
  }

  close(): void {}

  interrupt(): void {
    if (!this.onReadable || this.edge !== FakeDigital.Falling || this.triggered) return;
    this.triggered = true;
    matrix.posted.push(() => {
      this.triggered = false;
      this.onReadable?.();
    });
  }
}

interface FakeTimer {
  callback: Callback;
  dueMs: number;
  everyMs: number | null;
}

class Clock {
  nowMs = 0;
  readonly timers = new Set<FakeTimer>();
  /** The most timers that ran at once. */
  mostActive = 0;

  reset(): void {
    this.nowMs = 0;
    this.timers.clear();
    this.mostActive = 0;
  }

  add(callback: Callback, afterMs: number, everyMs: number | null): FakeTimer {
    const t = { callback, dueMs: this.nowMs + afterMs, everyMs };
    this.timers.add(t);
    this.mostActive = Math.max(this.mostActive, this.timers.size);
    return t;
  }

  /** Moves time on by `ms`, running each timer when due and the GPIO interrupts it causes. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      deliverInterrupts();
      let next: FakeTimer | null = null;
      for (const t of this.timers) if (t.dueMs <= end && (next === null || t.dueMs < next.dueMs)) next = t;
      if (next === null) break;
      this.nowMs = next.dueMs;
      if (next.everyMs === null) this.timers.delete(next);
      else next.dueMs += next.everyMs;
      next.callback();
    }
    this.nowMs = end;
  }
}

export const clock = new Clock();

export const FakeTimerModule = {
  set: (callback: Callback, ms = 0) => clock.add(callback, ms, null),
  repeat: (callback: Callback, ms: number) => clock.add(callback, ms, ms),
  clear: (timer: FakeTimer | null | undefined) => { if (timer) clock.timers.delete(timer); },
};

/** Runs the interrupt deliveries posted so far (Moddable delivers them between other callbacks). */
export function deliverInterrupts(): number {
  let n = 0;
  while (matrix.posted.length > 0) {
    matrix.posted.shift()!();
    n++;
  }
  return n;
}

/** A key goes down (row r, column c of the layout) or up; its column falls if its row is driven. */
export function press(r: number, c: number): void {
  matrix.down.add(r * 4 + c);
  matrix.settle();
}

export function release(r: number, c: number): void {
  matrix.down.delete(r * 4 + c);
  matrix.settle();
}
