import { formatReadRateTable, measureReadRate, exampleSwipeFlux } from "../../host-sim/magstripe/read-rate";

// The read-rate benchmark at test-suite size (`npm run bench` runs 10,000 swipes).

describe("read rate over generated swipes (3-60 ips, +/-30 % acceleration, 5 % jitter, both directions)", () => {
  const result = measureReadRate({ swipes: 500, seed: 2024 });

  it("never reads wrong data", () => {
    expect(result.wrongData).toBe(0);
    for (const row of result.rows) expect(row.wrongData).toBe(0);
  });

  it("reads every track of at least 99 % of the swipes in every speed band and direction", () => {
    expect(result.rows).toHaveLength(10);
    for (const row of result.rows) {
      expect(row.swipes).toBe(50);
      expect(row.worstTrackRate).toBeGreaterThanOrEqual(0.99);
    }
    expect(result.tracksRead / result.tracksTried).toBeGreaterThanOrEqual(0.998);
  });

  it("prints a table, one row per band and direction", () => {
    const table = formatReadRateTable(result);
    expect(table).toMatch(/3-5 ips\s+forward/);
    expect(table).toMatch(/40-60 ips\s+reverse/);
    expect(table).toMatch(/wrong data 0/);
  });

  it("repeats exactly with the same seed", () => {
    const again = measureReadRate({ swipes: 40, seed: 5 });
    expect(measureReadRate({ swipes: 40, seed: 5 })).toEqual(again);
  });

  it("gives a three-track example swipe for timing the decoder", () => {
    const flux = exampleSwipeFlux();
    expect(flux.tracks.map((t) => t.track)).toEqual([1, 2, 3]);
    expect(flux.tracks.every((t) => t.intervalsUs.length > 200)).toBe(true);
  });
});
