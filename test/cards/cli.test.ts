import { mpos } from "../support/cli";

describe("mpos sim cards (issue 6, item 5)", () => {
  it("lists every profile with its interfaces, masked PAN only", async () => {
    const r = await mpos("sim", "cards", "--json");
    expect(r.status).toBe(0);
    const ids = r.json.cards.map((c: { id: string }) => c.id);
    expect(ids).toContain("visa-cda");
    expect(ids.length).toBe(11);
    const visa = r.json.cards.find((c: { id: string }) => c.id === "visa-cda");
    expect(visa).toMatchObject({ id: "visa-cda", interfaces: ["contact", "contactless", "magstripe"], maskedPan: "476173******0010", oda: "cda" });
    expect(visa.cvmList).toEqual(["online-pin", "signature", "no-cvm"]);
    expect(r.stdout).not.toMatch(/4761739001010010/);
    expect(r.json.cards.find((c: { id: string }) => c.id === "magstripe-only")).toMatchObject({ chip: "none", interfaces: ["magstripe"] });
  });

  it("refuses options it does not know", async () => {
    expect((await mpos("sim", "cards", "--all", "x", "--json")).status).toBe(2);
  });
});
