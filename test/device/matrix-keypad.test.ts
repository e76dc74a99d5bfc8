// The driver is typed against Moddable's declarations of the two modules it imports (tsconfig.json
// has Node's types, not Moddable's); jest runs it on the fakes below.
/// <reference path="../../node_modules/@moddable/typings/embedded_io/_common.d.ts" />
/// <reference path="../../node_modules/@moddable/typings/embedded_io/digital.d.ts" />
/// <reference path="../../node_modules/@moddable/typings/timer.d.ts" />
import type { Key } from "../../hal/keypad";
import { MatrixKeypad } from "../../hal/esp32/keypad";
import { clock, COLUMNS, deliverInterrupts, FakeDigital, matrix, press, release, ROWS } from "./matrix-keypad-fakes";

// Issue 10, the keypad of the ESP32 (hal/esp32/keypad.ts) against fakes of Moddable's
// `embedded:io/digital` (a 4 x 4 key matrix with column interrupts) and `timer`: an idle keypad runs
// no timer (the chip may sleep, the columns wake it), a key's falling edge starts the scan, the key
// is reported after two equal scans, and once every key is up the driver waits on an edge again.

jest.mock("embedded:io/digital", () => ({ __esModule: true, default: require("./matrix-keypad-fakes").FakeDigital }), { virtual: true });
jest.mock("timer", () => ({ __esModule: true, default: require("./matrix-keypad-fakes").FakeTimerModule }), { virtual: true });

const SCAN_MS = 10;

function keypad(): { keys: Key[]; pad: MatrixKeypad } {
  const keys: Key[] = [];
  const pad = new MatrixKeypad({ rows: ROWS, columns: COLUMNS });
  pad.onKey((k) => keys.push(k));
  return { keys, pad };
}

const rowsAllHeldLow = () => matrix.rowLevels.every((l) => l === 0);

beforeEach(() => {
  matrix.reset();
  clock.reset();
});

describe("MatrixKeypad on the ESP32: scan only while a key is down", () => {
  it("idle: every row held low, every column waits on a falling edge with a pull-up, no timer runs", () => {
    keypad();
    clock.advance(1000);
    expect(clock.timers.size).toBe(0);
    expect(clock.mostActive).toBe(0);
    expect(rowsAllHeldLow()).toBe(true);
    for (const column of matrix.columns) {
      expect(column).toMatchObject({ mode: FakeDigital.InputPullUp, edge: FakeDigital.Falling });
    }
  });

  it("a key's edge starts the scan; the key is reported after two equal scans; all keys up: no timer, rows held low", () => {
    const { keys } = keypad();
    press(1, 1); // "5"
    expect(deliverInterrupts()).toBe(1);
    expect(clock.timers.size).toBe(1);
    clock.advance(SCAN_MS);
    expect(keys).toEqual([]); // one scan is not a press yet (debounce)
    clock.advance(SCAN_MS);
    expect(keys).toEqual(["5"]);
    clock.advance(10 * SCAN_MS);
    expect(keys).toEqual(["5"]); // held: reported once
    release(1, 1);
    clock.advance(2 * SCAN_MS);
    expect(clock.timers.size).toBe(0);
    expect(rowsAllHeldLow()).toBe(true);

    press(2, 3); // "enter": the next edge scans again
    clock.advance(2 * SCAN_MS);
    expect(keys).toEqual(["5", "enter"]);
    release(2, 3);
    clock.advance(2 * SCAN_MS);
    expect(clock.timers.size).toBe(0);
  });

  it("the column edges the scan itself makes while a key is down start no second scan", () => {
    const { keys } = keypad();
    press(0, 0);
    clock.advance(5 * SCAN_MS);
    release(0, 0);
    clock.advance(5 * SCAN_MS);
    expect(keys).toEqual(["1"]);
    expect(clock.mostActive).toBe(1);
    expect(clock.timers.size).toBe(0);
  });

  it("a contact that bounces on release is not a second press (two scans without a key end the scan)", () => {
    const { keys } = keypad();
    press(3, 1); // "0"
    clock.advance(2 * SCAN_MS);
    release(3, 1);
    clock.advance(SCAN_MS);
    press(3, 1); // bounce
    clock.advance(SCAN_MS);
    release(3, 1);
    clock.advance(3 * SCAN_MS);
    expect(keys).toEqual(["0"]);
    expect(clock.timers.size).toBe(0);
  });

  it("two keys down at once (roll-over) deliver nothing until one is released", () => {
    const { keys } = keypad();
    press(0, 1);
    press(1, 2);
    clock.advance(5 * SCAN_MS);
    expect(keys).toEqual([]);
    release(1, 2);
    clock.advance(2 * SCAN_MS);
    expect(keys).toEqual(["2"]);
  });

  it("without a handler an edge starts no scan (it only wakes the chip); the idle state stays timer-free", () => {
    const pad = new MatrixKeypad({ rows: ROWS, columns: COLUMNS });
    press(0, 3);
    deliverInterrupts();
    clock.advance(100);
    expect(clock.mostActive).toBe(0);
    release(0, 3);
    pad.onKey(() => undefined);
    expect(clock.timers.size).toBe(0);
  });

  it("a key still down when a handler is registered belongs to the previous prompt: not delivered, the next press is", () => {
    const pad = new MatrixKeypad({ rows: ROWS, columns: COLUMNS });
    press(2, 0); // "7", pressed before the prompt
    const keys: Key[] = [];
    pad.onKey((k) => keys.push(k));
    clock.advance(10 * SCAN_MS);
    expect(keys).toEqual([]);
    release(2, 0);
    clock.advance(2 * SCAN_MS);
    expect(clock.timers.size).toBe(0);
    press(2, 0);
    clock.advance(2 * SCAN_MS);
    expect(keys).toEqual(["7"]);
  });

  it("a handler that ends the prompt from inside the key stops the scan", () => {
    const pad = new MatrixKeypad({ rows: ROWS, columns: COLUMNS });
    const keys: Key[] = [];
    pad.onKey((k) => { keys.push(k); pad.onKey(null); });
    press(0, 3);
    clock.advance(5 * SCAN_MS);
    expect(keys).toEqual(["cancel"]);
    expect(clock.timers.size).toBe(0);
    expect(rowsAllHeldLow()).toBe(true);
  });

  it("a matrix other than 4 x 4, or a scan period out of range, is refused", () => {
    expect(() => new MatrixKeypad({ rows: ROWS.slice(1), columns: COLUMNS })).toThrow(RangeError);
    expect(() => new MatrixKeypad({ rows: ROWS, columns: COLUMNS, scanMs: 0 })).toThrow(RangeError);
  });
});
