import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { mpos } from "../support/cli";
import { exampleSwipeFlux } from "../../host-sim/magstripe/read-rate";
import { Prng } from "../../host-sim/magstripe/prng";
import { simulateSwipe } from "../../host-sim/magstripe/virtual-head";
import { STRIPE_CARD } from "./fixtures";

describe("mpos decode track", () => {
  it("track 1: the fields as JSON", async () => {
    const r = await mpos("decode", "track", STRIPE_CARD.track1, "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ track: { number: 1, formatCode: "B", pan: "4111111111111111", name: "DOE/JOHN",
      expiry: "2812", serviceCode: "101", discretionary: "0000000000000", luhn: true } });
  });

  it("track 2, without sentinels (as in EMV tag 57's image)", async () => {
    const r = await mpos("decode", "track", "378282246310005=2601201", "--json");
    expect(r.json.track).toMatchObject({ number: 2, pan: "378282246310005", name: null, expiry: "2601", serviceCode: "201", luhn: true });
  });

  it("track 3 when asked", async () => {
    const r = await mpos("decode", "track", STRIPE_CARD.track3, "--track", "3", "--json");
    expect(r.json.track).toMatchObject({ number: 3, formatCode: "01", pan: "4111111111111111", expiry: null });
  });

  it("a Luhn failure is reported, not refused", async () => {
    const r = await mpos("decode", "track", ";4111111111111112=2812101?", "--json");
    expect(r.json.track.luhn).toBe(false);
  });

  it("a malformed track: exit 2, an error that names the rule and not the data", async () => {
    const r = await mpos("decode", "track", ";41111111111111111111=2812101?", "--json");
    expect(r.status).toBe(2);
    expect(r.json.error).toMatch(/PAN/);
    expect(r.json.error).not.toContain("4111");
  });

  it("a human-readable form without --json", async () => {
    const r = await mpos("decode", "track", STRIPE_CARD.track2);
    expect(r.stdout).toMatch(/service code\s+101/);
  });
});

describe("mpos decode flux", () => {
  const dir = mkdtempSync(join(tmpdir(), "mpos-flux-"));

  it("decodes each track of a swipe file", async () => {
    const swipe = simulateSwipe(STRIPE_CARD, { speedIps: 12, direction: "reverse", jitter: 0.05 }, new Prng(4));
    const file = join(dir, "swipe.json");
    writeFileSync(file, JSON.stringify({ tracks: swipe.tracks.map((t) => ({ track: t.track,
      intervalsUs: t.kind === "flux" ? Array.from(t.intervalsUs) : [] })) }));
    const r = await mpos("decode", "flux", file, "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ tracks: [
      { track: 1, ok: true, data: STRIPE_CARD.track1, direction: "reverse", errors: 0 },
      { track: 2, ok: true, data: STRIPE_CARD.track2, direction: "reverse", errors: 0 },
      { track: 3, ok: true, data: STRIPE_CARD.track3, direction: "reverse", errors: 0 },
    ] });
  });

  it("a bad read is ok:false with a reason", async () => {
    const file = join(dir, "blank.json");
    const example = exampleSwipeFlux(3);
    writeFileSync(file, JSON.stringify({ tracks: [{ track: 1, intervalsUs: [] }, { track: 2, intervalsUs: example.tracks[2].intervalsUs }] }));
    const r = await mpos("decode", "flux", file, "--json");
    expect(r.json.tracks[0]).toEqual({ track: 1, ok: false, reason: "blank" });
    expect(r.json.tracks[1].ok).toBe(false);
  });

  it("a missing file, bad JSON or a bad shape: exit 2 with an error", async () => {
    expect((await mpos("decode", "flux", join(dir, "nope.json"), "--json")).status).toBe(2);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    expect((await mpos("decode", "flux", bad, "--json")).json.error).toMatch(/not valid JSON/);
    const shape = join(dir, "shape.json");
    writeFileSync(shape, JSON.stringify({ tracks: [{ track: 4, intervalsUs: [] }] }));
    const r = await mpos("decode", "flux", shape, "--json");
    expect(r.status).toBe(2);
    writeFileSync(shape, JSON.stringify({ tracks: [{ track: 1, intervalsUs: [1, "x"] }] }));
    expect((await mpos("decode", "flux", shape, "--json")).status).toBe(2);
  });
});
