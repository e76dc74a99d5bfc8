import type { MagstripeTrack } from "../../hal/magstripe-head";
import { readSwipe } from "../../kernel/magstripe";
import { Prng } from "./prng";
import { randomCard } from "./test-cards";
import { simulateSwipe } from "./virtual-head";

// The read-rate benchmark of issue 4: many generated swipes of made-up three-track cards at
// speeds from 3 to 60 ips, acceleration up to +/-30 % within the swipe, 5 % jitter per interval,
// both directions; each track decoded by the kernel and compared with what was recorded.
// A track that reads good with data other than what was recorded is wrong data (the goal: none,
// ever). `npm run bench` runs 10,000 swipes; the test suite a few hundred.

export interface ReadRateOptions {
  swipes: number;
  seed: number;
  /** Relative standard deviation of each interval; default 0.05. */
  jitter?: number;
  /** Largest relative speed change within a swipe, either sign; default 0.3. */
  maxAcceleration?: number;
  /** Expected noise spikes per track; default 0.2. */
  spikesPerTrack?: number;
  /** Speed bands in ips, each [from, to); default 3-5, 5-10, 10-20, 20-40, 40-60. */
  bands?: [number, number][];
}

export interface ReadRateRow {
  band: string;
  direction: "forward" | "reverse";
  swipes: number;
  /** Tracks read good, per track. */
  track1: number;
  track2: number;
  track3: number;
  /** Swipes with all three tracks good. */
  allTracks: number;
  /** The lowest of the three per-track read rates in this row (0 to 1). */
  worstTrackRate: number;
  /** Tracks read good with data other than recorded. */
  wrongData: number;
}

export interface ReadRateResult {
  rows: ReadRateRow[];
  swipes: number;
  /** Tracks read over all rows. */
  tracksRead: number;
  tracksTried: number;
  wrongData: number;
  /** The lowest per-track read rate of any row (0 to 1). */
  worstRate: number;
  settings: Required<Omit<ReadRateOptions, "bands">> & { bands: [number, number][] };
}

const DEFAULT_BANDS: [number, number][] = [[3, 5], [5, 10], [10, 20], [20, 40], [40, 60]];
const TRACKS: MagstripeTrack[] = [1, 2, 3];

/** Runs the benchmark; swipes are spread evenly over the bands and the two directions. */
export function measureReadRate(options: ReadRateOptions): ReadRateResult {
  const settings = {
    swipes: options.swipes, seed: options.seed, jitter: options.jitter ?? 0.05,
    maxAcceleration: options.maxAcceleration ?? 0.3, spikesPerTrack: options.spikesPerTrack ?? 0.2,
    bands: options.bands ?? DEFAULT_BANDS,
  };
  const rng = new Prng(settings.seed);
  const rows: ReadRateRow[] = [];
  for (const [from, to] of settings.bands) {
    for (const direction of ["forward", "reverse"] as const) {
      rows.push({ band: `${from}-${to} ips`, direction, swipes: 0, track1: 0, track2: 0, track3: 0, allTracks: 0,
        worstTrackRate: 1, wrongData: 0 });
    }
  }
  for (let i = 0; i < settings.swipes; i++) {
    const rowIndex = i % rows.length;
    const row = rows[rowIndex];
    const [from, to] = settings.bands[Math.floor(rowIndex / 2)];
    const card = randomCard(rng);
    const motion = {
      speedIps: rng.uniform(from, to),
      acceleration: rng.uniform(-settings.maxAcceleration, settings.maxAcceleration),
      direction: row.direction,
      jitter: settings.jitter,
      spikesPerTrack: settings.spikesPerTrack,
    };
    const read = readSwipe(simulateSwipe(card, motion, rng, TRACKS));
    row.swipes++;
    let good = 0;
    for (const t of read.tracks) {
      if (!t.ok) continue;
      const recorded = t.track === 1 ? card.track1 : t.track === 2 ? card.track2 : card.track3;
      const text = t.data.text();
      t.data.zeroize();
      if (text !== recorded) { row.wrongData++; continue; }
      good++;
      if (t.track === 1) row.track1++;
      else if (t.track === 2) row.track2++;
      else row.track3++;
    }
    if (good === 3) row.allTracks++;
  }
  let tracksRead = 0;
  let wrongData = 0;
  let worstRate = 1;
  for (const row of rows) {
    row.worstTrackRate = row.swipes === 0 ? 1 : Math.min(row.track1, row.track2, row.track3) / row.swipes;
    tracksRead += row.track1 + row.track2 + row.track3;
    wrongData += row.wrongData;
    worstRate = Math.min(worstRate, row.worstTrackRate);
  }
  return { rows, swipes: settings.swipes, tracksRead, tracksTried: 3 * settings.swipes, wrongData, worstRate, settings };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "-" : `${((100 * part) / whole).toFixed(2)} %`;
}

/** The result as a text table, one row per speed band and direction. */
export function formatReadRateTable(result: ReadRateResult): string {
  const header = ["speed", "direction", "swipes", "track 1", "track 2", "track 3", "all three", "wrong data"];
  const lines = result.rows.map((r) => [r.band, r.direction, String(r.swipes), percent(r.track1, r.swipes),
    percent(r.track2, r.swipes), percent(r.track3, r.swipes), percent(r.allTracks, r.swipes), String(r.wrongData)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const s = result.settings;
  return [
    `magstripe read rate: ${result.swipes} swipes, jitter ${s.jitter * 100} %, acceleration up to +/-${s.maxAcceleration * 100} %, ` +
      `${s.spikesPerTrack} noise spikes per track, seed ${s.seed}`,
    fmt(header),
    ...lines.map(fmt),
    `tracks read ${percent(result.tracksRead, result.tracksTried)}, worst row ${percent(result.worstRate, 1)}, wrong data ${result.wrongData}`,
  ].join("\n");
}

/** One three-track swipe (a fixed made-up card at 30 ips, forward) for timing the decoder, e.g. on XS. */
export function exampleSwipeFlux(seed = 1): { tracks: { track: MagstripeTrack; intervalsUs: number[] }[] } {
  const rng = new Prng(seed);
  const card = randomCard(rng);
  const swipe = simulateSwipe(card, { speedIps: 30, acceleration: 0.1, jitter: 0.05 }, rng, TRACKS);
  return { tracks: swipe.tracks.map((t) => ({ track: t.track, intervalsUs: t.kind === "flux" ? Array.from(t.intervalsUs) : [] })) };
}
