import { CELL_CLEAN, CELL_ERASED, decodeF2f, initialBitPeriods } from "../../kernel/magstripe";
import { Prng } from "../../host-sim/magstripe/prng";

// F2F (Aiken biphase, ISO/IEC 7811-2): a transition at every cell boundary, another in the middle
// of a one. The streams here are built from that definition, cell by cell.

/** Intervals of `bits` with the cell length `period(i)` for bit i. */
function f2f(bits: string, period: (i: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits.length; i++) {
    const p = period(i);
    if (bits[i] === "1") out.push(p / 2, p / 2);
    else out.push(p);
  }
  return out;
}

const DATA = "11010" + "10000" + "01000" + "11001" + "00001" + "11111" + "10110"; // ; 1 2 3 0 ? and an LRC-like row
const ZEROS = "0".repeat(20);
const TRACK = ZEROS + DATA + ZEROS;

function decoded(intervals: number[]): string {
  const [period] = initialBitPeriods(intervals);
  return Array.from(decodeF2f(intervals, period).bits).join("");
}

describe("F2F decoding (ISO/IEC 7811-2 recording)", () => {
  it("a steady swipe: zeros are whole cells, ones two halves", () => {
    expect(decoded(f2f(TRACK, () => 1000))).toBe(TRACK);
  });

  it("the first period comes from the clocking zeros", () => {
    const periods = initialBitPeriods(f2f(TRACK, () => 333));
    expect(periods[0]).toBeCloseTo(333, 6);
  });

  it("210 bpi at 60 ips (79 us cells) and 75 bpi at 3 ips (4444 us cells) decode alike", () => {
    expect(decoded(f2f(TRACK, () => 1e6 / (210 * 60)))).toBe(TRACK);
    expect(decoded(f2f(TRACK, () => 1e6 / (75 * 3)))).toBe(TRACK);
  });

  it("tracks a swipe that speeds up by 30 % and one that slows down by 30 % within the track", () => {
    const n = TRACK.length;
    expect(decoded(f2f(TRACK, (i) => 500 / (1 + 0.3 * i / n)))).toBe(TRACK);
    expect(decoded(f2f(TRACK, (i) => 500 / (1 - 0.3 * i / n)))).toBe(TRACK);
  });

  it("follows a swipe whose speed doubles over the track", () => {
    const n = TRACK.length;
    expect(decoded(f2f(TRACK, (i) => 800 / (1 + i / n)))).toBe(TRACK);
  });

  it("5 % per-interval jitter: 50 jittered swipes of 600 random bits decode exactly", () => {
    const rng = new Prng(7);
    for (let s = 0; s < 50; s++) {
      let bits = ZEROS;
      for (let i = 0; i < 600; i++) bits += rng.next() < 0.5 ? "1" : "0";
      bits += ZEROS;
      const intervals = f2f(bits, () => 400).map((d) => d * (1 + 0.05 * rng.gaussian()));
      expect(decoded(intervals)).toBe(bits);
    }
  });

  it("a zero jittered to 80 % of a cell is decided by the cells after it, not read as half a one", () => {
    const intervals = f2f(TRACK, () => 1000);
    const i = 20 + 2 * 2 + 1 + 2; // the zero in ";" (1 1 0 1 0): after four halves
    expect(intervals[i]).toBe(1000);
    intervals[i] = 790;
    expect(decoded(intervals)).toBe(TRACK);
  });

  it("a noise spike that splits an interval in three is merged back, wherever it falls", () => {
    const clean = f2f(TRACK, () => 1000);
    for (let at = 18; at < 45; at++) {
      for (const [before, width] of [[300, 60], [5, 60], [900, 60], [2, 3]]) {
        const d = clean[at];
        if (before + width >= d) continue;
        const spiked = clean.slice(0, at).concat([before, width, d - before - width], clean.slice(at + 1));
        expect(decoded(spiked)).toBe(TRACK);
      }
    }
  });

  it("two spikes in the same interval are merged back too", () => {
    const clean = f2f(TRACK, () => 1000);
    const at = 26;
    const d = clean[at];
    const spiked = clean.slice(0, at).concat([d * 0.3, 40, d * 0.2, 30, d * 0.5 - 70], clean.slice(at + 1));
    expect(decoded(spiked)).toBe(TRACK);
  });

  it("is symmetric in time: the reversed stream decodes to the reversed bits", () => {
    const reversed = f2f(TRACK, (i) => 300 + i).reverse();
    expect(decoded(reversed)).toBe(TRACK.split("").reverse().join(""));
  });

  it("a swipe that starts inside the data, with no clocking zeros: the second period candidate reads it", () => {
    const late = "1111" + "0110" + DATA + ZEROS; // a run of ones first: the first run found is of halves
    const intervals = f2f(late, () => 600);
    const [half, whole] = initialBitPeriods(intervals);
    expect(half).toBeCloseTo(300, 6);
    expect(Array.from(decodeF2f(intervals, whole).bits).join("")).toBe(late);
  });

  it("lost transitions (a gap of three cells) are marked as an erasure, the rest stays clean", () => {
    const intervals = f2f(TRACK, () => 1000);
    const at = 30;
    const gap = intervals.slice(0, at).concat([intervals[at] + intervals[at + 1] + intervals[at + 2]], intervals.slice(at + 3));
    const [period] = initialBitPeriods(gap);
    const r = decodeF2f(gap, period);
    expect(r.erased).toBeGreaterThan(0);
    expect(Array.from(r.quality).indexOf(CELL_ERASED)).toBeGreaterThan(20);
    expect(r.quality[5]).toBe(CELL_CLEAN);
  });

  it("no run of steady intervals: no period, nothing to decode", () => {
    expect(initialBitPeriods([])).toEqual([]);
    expect(initialBitPeriods([100, 900, 40, 1500, 300, 70, 2000, 10, 600])).toEqual([]);
  });
});
