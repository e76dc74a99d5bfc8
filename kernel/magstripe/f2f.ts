// F2F (Aiken biphase) decoding of one track's flux transitions (ISO/IEC 7811-2, recording
// technique): every bit cell begins with a flux transition, and a one has a second transition in
// the middle of its cell. So the intervals between transitions are whole cells (a zero) or pairs
// of half cells (a one). The cell length follows the swipe speed: at 210 bpi it is 79 us at
// 60 ips and 1587 us at 3 ips; at 75 bpi, 222 us to 4444 us.
//
// The decoder here:
// - starts from a bit period measured on the clocking zeros that precede the data (or on the first
//   run of equal intervals, when the swipe started late and some zeros are missing);
// - cuts the stream into cells: 1 interval (a zero) or 2 (a one), or more when noise spikes split
//   them (a spike's pulse splits one interval into three; see CUT_GROUPS). The cut is chosen for
//   the whole stream at once, Viterbi-style: a cell costs the square of its distance from the bit period (the log-likelihood of Gaussian timing jitter), and
//   the decoder keeps, for every interval boundary, the cheapest way to reach it. A jittered zero
//   that alone would pass for half a one is thus decided by what follows: in a run of ones the
//   wrong reading stays in step only until the run ends, and then it pays;
// - tracks the period adaptively along each path (an exponential average, weight 1/4, of each
//   cell that fits), so a swipe that speeds up or slows down by a third stays in lock;
// - is symmetric in time, so a reverse swipe decodes to the same bits in reverse order: the caller
//   reverses them (track-reader.ts).

/** Below this fraction of the bit period an interval is a noise spike, not a half cell. */
const SPIKE_FRACTION = 0.3;
/** A cell further than this fraction from the period is a slip and does not move the period. */
const SLIP_FRACTION = 0.25;
/** A cell further than this fraction from the period is an erasure (9 standard deviations at 5 % jitter). */
const ERASURE_FRACTION = 0.45;
/** A cell whose cost exceeds this (a quarter period off, or a one this unbalanced) is doubtful (5 standard deviations). */
const DOUBT_COST = SLIP_FRACTION * SLIP_FRACTION;
/** Weight of each new cell in the period average. */
const TRACKING_WEIGHT = 0.25;
/** Intervals in a run that counts as clocking zeros when looking for the first period. */
const RUN_LENGTH = 8;
/** How far (relative) each interval of such a run may be from the run's mean. */
const RUN_TOLERANCE = 0.2;

export interface F2fDecode {
  /** One bit per byte, in the order the intervals arrived. */
  bits: Uint8Array;
  /**
   * How sure the decoder is of each bit (same index): CELL_CLEAN, CELL_DOUBTFUL (its cell fit the
   * clock poorly: the bit may be wrong, and so may its neighbours), or CELL_ERASED (its cell was no
   * F2F cell at all, or far longer or shorter than the clock allows: transitions were lost or
   * added there, and the bit count may be off; parity and the LRC cannot see a lost zero-valued
   * character, '0' on tracks 2 and 3 or space on track 1, so a read across an erasure is never
   * trusted).
   */
  quality: Uint8Array;
  /** Number of erased bits. */
  erased: number;
}

export const CELL_CLEAN = 0;
export const CELL_DOUBTFUL = 1;
export const CELL_ERASED = 2;

/**
 * Candidate bit periods to start decoding with: the mean of the first run of equal intervals (the
 * clocking zeros), and twice that, for a swipe that began late, inside the data, on a run of ones.
 * Empty when the stream has no such run (a blank track, or noise).
 */
export function initialBitPeriods(intervalsUs: ArrayLike<number>): number[] {
  const n = intervalsUs.length;
  for (let start = 0; start + RUN_LENGTH <= n; start++) {
    let sum = 0;
    for (let k = 0; k < RUN_LENGTH; k++) sum += intervalsUs[start + k];
    const mean = sum / RUN_LENGTH;
    if (!(mean > 0)) continue;
    let fits = true;
    for (let k = 0; k < RUN_LENGTH && fits; k++) {
      if (Math.abs(intervalsUs[start + k] - mean) > RUN_TOLERANCE * mean) fits = false;
    }
    if (fits) return [mean, 2 * mean];
  }
  return [];
}

/**
 * Weight of the imbalance of a one's two halves in its cost: jitter spreads the difference of the
 * halves as much as their sum, so a pairing of halves from two different cells shows there too.
 */
const BALANCE_WEIGHT = 0.5;
/** Cost of taking one interval as a zero when nothing fits (noise, a lost transition): keeps every boundary reachable. */
const NOISE_COST = 1;

/**
 * Ways to cut a cell. A cell is one flux interval (a zero) or two (a one); a noise spike's pulse
 * splits an interval into three (before, pulse, after), two spikes into five. So a cell is cut as
 * one group of intervals (a zero) or two groups (a one), each group 1, 3 or 5 intervals whose
 * pulses (the 2nd and 4th) are short; up to two spikes in a cell.
 */
const CUT_GROUPS: readonly (readonly number[])[] = [
  [1], [1, 1], [3], [3, 1], [1, 3], [5], [5, 1], [1, 5], [3, 3],
];
const CUT_TAKE = CUT_GROUPS.map((g) => g.reduce((a, b) => a + b, 0));
const CUT_BIT = CUT_GROUPS.map((g) => g.length - 1);

/** The sum of a group of `size` intervals at `start`, or -1 when they cannot be one interval split by spikes. */
function groupSum(v: ArrayLike<number>, start: number, size: number, short: number): number {
  if (size === 1) return v[start] < short ? -1 : v[start];
  let sum = 0;
  for (let k = 0; k < size; k++) {
    const d = v[start + k];
    if ((k & 1) === 1 && d >= short) return -1;
    sum += d;
  }
  return sum;
}

function cutCost(v: ArrayLike<number>, b: number, cut: number, period: number, short: number): number {
  if (b + CUT_TAKE[cut] > v.length) return Infinity;
  const groups = CUT_GROUPS[cut];
  const first = groupSum(v, b, groups[0], short);
  if (first < 0) return Infinity;
  if (groups.length === 1) {
    const e = (first - period) / period;
    return e * e;
  }
  const second = groupSum(v, b + groups[0], groups[1], short);
  if (second < 0) return Infinity;
  const e = (first + second - period) / period;
  const imbalance = (first - second) / period;
  return e * e + BALANCE_WEIGHT * imbalance * imbalance;
}

/** Decodes the intervals (microseconds between successive flux transitions) of one track into bits. */
export function decodeF2f(intervalsUs: ArrayLike<number>, initialPeriodUs: number): F2fDecode {
  const n = intervalsUs.length;
  // For every interval boundary b (before interval b; n is the end): the cheapest cost to reach it,
  // the period along that path, and the cut that ended there.
  const NOISE_CUT = CUT_TAKE.length;
  const cost = new Float64Array(n + 1).fill(Infinity);
  const period = new Float64Array(n + 1);
  const via = new Int8Array(n + 1).fill(-1);
  const cellCost = new Float64Array(n + 1);
  cost[0] = 0;
  period[0] = initialPeriodUs;
  // Relaxes boundary `end` from boundary `b` by a cell of length `sum` and cost `c` (cut `cut`).
  const relax = (b: number, end: number, cut: number, c: number, sum: number): void => {
    if (cost[b] + c >= cost[end]) return;
    const p = period[b];
    cost[end] = cost[b] + c;
    via[end] = cut;
    cellCost[end] = c;
    period[end] = Math.abs(sum - p) <= SLIP_FRACTION * p ? p + TRACKING_WEIGHT * (sum - p) : p;
  };
  for (let b = 0; b < n; b++) {
    const here = cost[b];
    if (here === Infinity) continue;
    const p = period[b];
    const short = SPIKE_FRACTION * p;
    // The two plain cuts, inline (they are nearly all of the work): a zero, and a one.
    const v0 = intervalsUs[b];
    const v1 = b + 1 < n ? intervalsUs[b + 1] : Infinity;
    if (v0 >= short) {
      const e0 = (v0 - p) / p;
      relax(b, b + 1, 0, e0 * e0, v0);
      if (v1 >= short && v1 !== Infinity) {
        const e1 = (v0 + v1 - p) / p;
        const imbalance = (v0 - v1) / p;
        relax(b, b + 2, 1, e1 * e1 + BALANCE_WEIGHT * imbalance * imbalance, v0 + v1);
      }
    }
    // Cuts past the first two need a spike's pulse among the next intervals; most boundaries have none.
    if (v1 < short || (b + 2 < n && intervalsUs[b + 2] < short) || (b + 3 < n && intervalsUs[b + 3] < short) ||
        (b + 4 < n && intervalsUs[b + 4] < short)) {
      for (let cut = 2; cut < CUT_TAKE.length; cut++) {
        const c = cutCost(intervalsUs, b, cut, p, short);
        if (c === Infinity) continue;
        let sum = 0;
        for (let k = b; k < b + CUT_TAKE[cut]; k++) sum += intervalsUs[k];
        relax(b, b + CUT_TAKE[cut], cut, c, sum);
      }
    }
    if (here + NOISE_COST < cost[b + 1]) {
      cost[b + 1] = here + NOISE_COST;
      via[b + 1] = NOISE_CUT;
      cellCost[b + 1] = NOISE_COST;
      period[b + 1] = p;
    }
  }
  // Walk back from the end along the cheapest path, grading each bit by how well its cell fit.
  let cells = 0;
  for (let b = n; b > 0; b -= via[b] === NOISE_CUT ? 1 : CUT_TAKE[via[b]]) cells++;
  const bits = new Uint8Array(cells);
  const quality = new Uint8Array(cells);
  let erased = 0;
  let k = cells;
  for (let b = n; b > 0;) {
    const c = via[b];
    const start = b - (c === NOISE_CUT ? 1 : CUT_TAKE[c]);
    k--;
    bits[k] = c === NOISE_CUT ? 0 : CUT_BIT[c];
    let sum = 0;
    for (let j = start; j < b; j++) sum += intervalsUs[j];
    const p = period[start];
    if (c === NOISE_CUT || Math.abs(sum - p) > ERASURE_FRACTION * p) {
      quality[k] = CELL_ERASED;
      erased++;
    } else if (cellCost[b] > DOUBT_COST) {
      quality[k] = CELL_DOUBTFUL;
    }
    b = start;
  }
  return { bits, quality, erased };
}
