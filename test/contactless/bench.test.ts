import { benchContactless } from "../../host-sim/picc/bench-contactless";
import { startXs } from "../support/xs";

// Issue 7: the bench reports the modeled tap time and the XS compute per tap.
describe("contactless bench figures", () => {
  it("reports, per tap, the modeled time in the field (qVSDC with fDDA within 250 ms) and the XS compute", async () => {
    const xs = await startXs();
    try {
      const results = await benchContactless(xs);
      const fdda = results.filter((r) => r.name.includes("fDDA"));
      expect(fdda.map((r) => r.engine).sort()).toEqual(["node", "xs"]);
      for (const r of fdda) expect(r.value!).toBeLessThanOrEqual(250);
      for (const r of results.filter((x) => x.engine === "xs")) expect(r.compute!).toBeGreaterThan(0);
    } finally {
      await xs.close();
    }
  });
});
