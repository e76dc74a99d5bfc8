import { mpos } from "../support/cli";

describe("mpos decode atr", () => {
  it("decodes a real T=1 card's ATR as the issue's JSON shape", async () => {
    // Visa credit card, pcsc-tools smartcard_list.txt line 14395
    const r = await mpos("decode", "atr", "3BE900008131FE45454D5620303320200699", "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({
      atr: {
        convention: "direct", protocols: [1], Fi: 372, Di: 1, N: 0, ifsc: 254, bwi: 4, cwi: 5,
        historical: "454D56203033202006", tck: "99", tckValid: true, emv: true, problems: [],
      },
    });
  });

  it("joins words, reports the EMV problems, and judges warm resets on request", async () => {
    const cold = await mpos("decode", "atr", "3F", "65", "25", "08", "43", "04", "6C", "90", "00", "--json");
    expect(cold.json.atr).toMatchObject({ convention: "inverse", protocols: [0], N: 8, ifsc: null, tck: null, tckValid: null, emv: false });
    expect(cold.json.atr.problems).toEqual(["TB1 '25' after a cold reset; the terminal accepts only '00' (EMV Book 1, 8.3.3.2)"]);
    const warm = await mpos("decode", "atr", "3F65250843046C9000", "--reset", "warm", "--json");
    expect(warm.json.atr.emv).toBe(true);
  });

  it("a wrong TCK is a problem, not an error", async () => {
    const r = await mpos("decode", "atr", "3BE900008131FE45454D5620303320200698", "--json");
    expect(r.status).toBe(0);
    expect(r.json.atr).toMatchObject({ tck: "98", tckValid: false, emv: false });
    expect(r.json.atr.problems.length).toBe(1);
  });

  it("prints a readable summary without --json", async () => {
    const r = await mpos("decode", "atr", "3B6500002063CB6B00");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/protocols\s+T=0/);
    expect(r.stdout).toMatch(/EMV\s+accepted/);
  });

  it("bad input exits 2 with one JSON error object", async () => {
    for (const argv of [["3B6500002063"], ["3B6"], ["3A00"], []]) {
      const r = await mpos("decode", "atr", ...argv, "--json");
      expect(r.status).toBe(2);
      expect(Object.keys(r.json)).toEqual(["error"]);
    }
    expect((await mpos("decode", "atr", "3B00", "--reset", "hot", "--json")).status).toBe(2);
  });
});
