import { runBench } from "../../host-sim/bench/run-bench";

// The bench's report shape (issue 2, item 8; issue 12, item 5). Speed goals are judged by
// `npm run bench`, never by a timed test: this checks only that every figure is there and named.
describe("mpos bench report", () => {
  it("names each figure by kind, measures XS with the meter and peers with a ratio", async () => {
    const results = await runBench({ only: "foundation" });
    const names = new Set(results.map((r) => r.name.split(" ")[0]));
    expect([...names].sort()).toEqual(["aes-128", "sha-1", "sha-256", "tdes", "tlv"]);
    for (const r of results) {
      expect(["node", "xs"]).toContain(r.engine);
      if (r.engine === "xs") expect(r.compute).toBeGreaterThan(0);
      else expect(r.compute).toBeNull();
      expect(r.ms).toBeGreaterThanOrEqual(0);
    }
    const peers = results.filter((r) => r.peer !== null).map((r) => r.peer);
    expect(peers.sort()).toEqual(["ber-tlv", "node-tlv"]);
    for (const r of results.filter((x) => x.peer !== null)) expect(r.ratio).toBeGreaterThan(0);
  });

  it("measures DUKPT beside the npm dukpt package", async () => {
    const results = await runBench({ only: "security" });
    expect(results.find((r) => r.peer === "dukpt")).toMatchObject({ engine: "node", ratio: expect.any(Number) });
    expect(results.filter((r) => r.name.startsWith("dukpt") && r.engine === "xs").length).toBe(3);
  });
});
