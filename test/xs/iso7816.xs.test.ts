import { readFileSync } from "fs";
import { join } from "path";
import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { CONTACT_BENCH_APDUS } from "../../host-sim/icc/bench";
import { onBothEngines, startXs } from "../support/xs";

// The level-1 engines (ATR, T=0, T=1) and the virtual ICC run inside the XS engine and answer
// exactly what they answer on Node, faults and modeled line time included.

const real = JSON.parse(readFileSync(join(__dirname, "..", "iso7816", "real-atrs.json"), "utf8")) as { atrs: { hex: string }[] };

describe("iso7816 services on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  it("decodes the real ATRs identically", async () => {
    for (const { hex } of real.atrs) {
      for (const reset of ["cold", "warm"]) {
        const r = await onBothEngines(xs, "iso7816.decodeAtr", { hex, reset });
        expect(r.xs).toEqual(r.node);
      }
    }
  });

  for (const protocol of [0, 1] as const) {
    it(`T=${protocol}: an EMV transaction's APDUs give the same responses and the same modeled time`, async () => {
      const r = await onBothEngines(xs, "iso7816.exchange", { protocol, apdus: CONTACT_BENCH_APDUS });
      expect(r.xs).toEqual(r.node);
      expect((r.xs as { apdus: number }).apdus).toBe(CONTACT_BENCH_APDUS.length);
    });
  }

  it("T=0 faults the terminal must survive: NULL storm, repetitions, slow card within the tolerance", async () => {
    const faults = [
      { kind: "null-storm", count: 20 },
      { kind: "parity", direction: "to-terminal", apdu: 2, char: 3, times: 3 },
      { kind: "slow", apdu: 3, marginEtu: 480 },
    ];
    const r = await onBothEngines(xs, "iso7816.exchange", { protocol: 0, apdus: CONTACT_BENCH_APDUS.slice(0, 4), faults, processingUs: 20000 });
    expect(r.xs).toEqual(r.node);
  });

  it("T=1 faults the terminal must survive: EDC errors up to RESYNCH, WTX storm, card IFS request", async () => {
    const faults = [
      { kind: "edc", apdu: 1, times: 3 },
      { kind: "wtx-storm", apdu: 2, count: 10 },
      { kind: "ifs-request", apdu: 3, ifsc: 32 },
      { kind: "parity", direction: "to-card", apdu: 4, char: 4, times: 1 },
    ];
    const r = await onBothEngines(xs, "iso7816.exchange", { protocol: 1, apdus: CONTACT_BENCH_APDUS, faults });
    expect(r.xs).toEqual(r.node);
  });

  it("faults past the limits end in the same typed errors on XS", async () => {
    const cases: [unknown, string][] = [
      [{ protocol: 0, apdus: ["00B2010C01"], faults: [{ kind: "mute", apdu: 1 }] }, "card-mute"],
      [{ protocol: 1, apdus: ["00B2010C10"], faults: [{ kind: "remove", apdu: 1, afterChars: 6 }] }, "card-removed"],
      [{ protocol: 1, apdus: ["00B2010C01"], faults: [{ kind: "edc", apdu: 1, block: "all", times: 100 }] }, "protocol"],
      [{ protocol: 0, apdus: ["00B2010C01"], atr: "3B602500", warmAtr: "3C600000" }, "protocol"],
    ];
    for (const [args, code] of cases) {
      await expect(xs.call("iso7816.exchange", args)).rejects.toMatchObject({ code });
    }
  });

  it("reports XS compute per APDU exchanged for T=0 and T=1", async () => {
    const apdus = [...CONTACT_BENCH_APDUS, ...CONTACT_BENCH_APDUS];
    for (const protocol of [0, 1]) {
      const base = await xs.call("iso7816.exchange", { protocol, apdus: [] });
      const full = await xs.call("iso7816.exchange", { protocol, apdus });
      const perApdu = (full.meter!.compute - base.meter!.compute) / apdus.length;
      expect(perApdu).toBeGreaterThan(0);
      // eslint-disable-next-line no-console
      console.log(`iso7816 T=${protocol}: ${Math.round(perApdu)} XS compute per APDU`);
    }
  });
});
