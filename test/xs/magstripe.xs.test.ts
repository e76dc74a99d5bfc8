import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { exampleSwipeFlux } from "../../host-sim/magstripe/read-rate";
import { Prng } from "../../host-sim/magstripe/prng";
import { simulateSwipe } from "../../host-sim/magstripe/virtual-head";
import { randomCard } from "../../host-sim/magstripe/test-cards";
import { onBothEngines, startXs } from "../support/xs";

// The magnetic stripe decoder gives the same answers on the real XS engine as on Node.
describe("magstripe services on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  function fluxOf(seed: number, direction: "forward" | "reverse") {
    const rng = new Prng(seed);
    const swipe = simulateSwipe(randomCard(rng), { speedIps: rng.uniform(3, 60), acceleration: rng.uniform(-0.3, 0.3),
      direction, jitter: 0.05, spikesPerTrack: 1 }, rng);
    return { tracks: swipe.tracks.map((t) => ({ track: t.track, intervalsUs: t.kind === "flux" ? Array.from(t.intervalsUs) : [] })) };
  }

  it("magstripe.decodeFlux: swipes in both directions decode identically on both engines", async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const flux = fluxOf(seed, seed % 2 ? "forward" : "reverse");
      const { node, xs: onXs } = await onBothEngines(xs, "magstripe.decodeFlux", flux);
      expect(onXs).toEqual(node);
      expect((node as { tracks: { ok: boolean }[] }).tracks.every((t) => t.ok)).toBe(true);
    }
  });

  it("magstripe.decodeFlux: a bad read is the same bad read on XS", async () => {
    const flux = exampleSwipeFlux(2);
    flux.tracks[1].intervalsUs = flux.tracks[1].intervalsUs.slice(0, 120);
    const { node, xs: onXs } = await onBothEngines(xs, "magstripe.decodeFlux", flux);
    expect(onXs).toEqual(node);
  });

  it("magstripe.decodeTrack and magstripe.serviceCode agree", async () => {
    for (const args of [{ text: "%B4111111111111111^DOE/JOHN^2812101?" }, { text: ";5555555555554444=2905201123?" },
      { text: ";014111111111111111==978?", track: 3 }]) {
      const { node, xs: onXs } = await onBothEngines(xs, "magstripe.decodeTrack", args);
      expect(onXs).toEqual(node);
    }
    const { node, xs: onXs } = await onBothEngines(xs, "magstripe.serviceCode", { serviceCode: "201", chipFailed: true });
    expect(onXs).toEqual(node);
    expect(node).toMatchObject({ decision: { kind: "read", fallback: true } });
  });

  it("bad input is the same typed error on XS", async () => {
    await expect(xs.call("magstripe.decodeTrack", { text: ";12=?" })).rejects.toMatchObject({ name: "MagstripeError", code: "magstripe-format" });
    await expect(xs.call("magstripe.decodeFlux", { tracks: [{ track: 1, intervalsUs: [-1] }] }))
      .rejects.toMatchObject({ code: "magstripe-input" });
  });

  it("reports the XS compute of decoding one three-track swipe", async () => {
    const r = await xs.call("magstripe.decodeFlux", exampleSwipeFlux());
    expect(r.meter!.compute).toBeGreaterThan(0);
  });
});
