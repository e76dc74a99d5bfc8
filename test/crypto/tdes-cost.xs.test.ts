import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { ESP32_XS_UNITS_PER_MS } from "../../host-sim/bench/goals";
import { kilobyteHex } from "../../host-sim/bench/fixtures";
import { xsOperation } from "../../host-sim/bench/measure";
import { startXs } from "../support/xs";

// Issue 12: what DES costs the XS engine the reader runs, in its deterministic compute meter, held
// where the bench measures it (host-sim/bench/operations.ts). A regression of the cipher's inner
// loop shows here before it shows in a tap.

/** The DUKPT budget of host-sim/bench/goals.ts: 100 ms of the 500 ms tap on the ESP32. */
const DUKPT_BUDGET_UNITS = 100 * ESP32_XS_UNITS_PER_MS;

describe("DES cost on the XS engine", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  it("TDES CBC over 1 KB (384 DES stages of 16 rounds) within 760,000 compute units", async () => {
    // The bit-table DES this replaced cost 1,675,339; the rounds alone take 8 table lookups of
    // about 9 instructions each, 442,000 of the total.
    const { compute } = await xsOperation(xs, "tdes.cbc", kilobyteHex(), 5);
    expect(compute).toBeLessThanOrEqual(760_000);
  });

  it("TDES DUKPT host derivation (10 counter bits) within the reader's DUKPT budget", async () => {
    const { compute } = await xsOperation(xs, "dukpt.tdes.host", "FFFF9876543210E003FF", 5);
    expect(compute).toBeLessThanOrEqual(DUKPT_BUDGET_UNITS);
  });

  it("a TDES DUKPT device transaction (keys, PIN block, envelope) within the reader's DUKPT budget", async () => {
    const { compute } = await xsOperation(xs, "dukpt.tdes.device", "4761739001010010D29122011143804400000F", 5);
    expect(compute).toBeLessThanOrEqual(DUKPT_BUDGET_UNITS);
  });
});
