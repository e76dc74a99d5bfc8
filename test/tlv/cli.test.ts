import { mpos } from "../support/cli";
import { loadVectors } from "../support/vectors";

const vectors = loadVectors<{ tlv: { hex: string }[]; dol: { dol: string; data: Record<string, string>; expect: string }[] }>("tlv-dol.json");

describe("mpos decode tlv", () => {
  it("--json: one object, primitive objects with value, constructed with children, dictionary names", async () => {
    const r = await mpos("decode", "tlv", vectors.tlv[0].hex, "--json");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.json).toEqual({
      tlv: [{
        tag: "70", length: 26, name: "READ RECORD Response Message Template",
        children: [
          { tag: "9F39", length: 1, value: "05", name: "Point-of-Service (POS) Entry Mode" },
          { tag: "57", length: 16, value: "40123456789095D2512201197339300F", name: "Track 2 Equivalent Data" },
          { tag: "82", length: 2, value: "5900", name: "Application Interchange Profile" },
        ],
      }],
    });
    // Keys in the documented order: tag, length, then value or name.
    expect(Object.keys(r.json.tlv[0])).toEqual(["tag", "length", "name", "children"]);
    expect(Object.keys(r.json.tlv[0].children[0])).toEqual(["tag", "length", "value", "name"]);
  });

  it("shows the text of an/ans values, uppercase hex, and no name for unknown tags", async () => {
    const r = await mpos("decode", "tlv", "500a56495341204445424954df7f0101", "--json");
    expect(r.json.tlv).toEqual([
      { tag: "50", length: 10, value: "56495341204445424954", name: "Application Label", text: "VISA DEBIT" },
      { tag: "DF7F", length: 1, value: "01" },
    ]);
  });

  it("without --json: an indented tree with names, values and text", async () => {
    const r = await mpos("decode", "tlv", "6F0E8407A0000000031010A503500141");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      "6F | File Control Information (FCI) Template : [14]\n" +
      "  84 | Dedicated File (DF) Name : [7] A0000000031010\n" +
      "  A5 | File Control Information (FCI) Proprietary Template : [3]\n" +
      "    50 | Application Label : [1] 41 \"A\"\n",
    );
  });

  it("--lenient reads 9C80 as length 0; strict refuses it with exit 2", async () => {
    const strict = await mpos("decode", "tlv", "9C80", "--json");
    expect(strict.status).toBe(2);
    expect(strict.json.error).toMatch(/indefinite/);
    const lenient = await mpos("decode", "tlv", "9C80", "--lenient", "--json");
    expect(lenient.status).toBe(0);
    expect(lenient.json).toEqual({ tlv: [{ tag: "9C", length: 0, value: "", name: "Transaction Type" }] });
  });

  it.each([
    ["9F02060000", /9F02 at offset 0 says 6 bytes but 2 remain/],
    ["9F8182838401AA", /longer than 4 bytes/],
    ["9C850000000001FF", /length field of 5 subsequent bytes/],
    ["9C0", /odd length/],
    ["9C0G", /non-hex character at position 3/],
  ])("bad input %s: exit 2 and a clear error", async (hex, message) => {
    const r = await mpos("decode", "tlv", hex, "--json");
    expect(r.status).toBe(2);
    expect(r.json.error).toMatch(message);
    expect(r.stderr).toMatch(/^error: /);
  });

  it("no argument or two arguments is a usage error", async () => {
    expect((await mpos("decode", "tlv", "--json")).status).toBe(2);
    expect((await mpos("decode", "tlv", "9C0101", "9C0101", "--json")).status).toBe(2);
    expect((await mpos("decode", "tlv", "9C0101", "--strict", "--json")).status).toBe(2);
  });
});

describe("mpos dol build", () => {
  it("builds the published DOL data (tlv-dol.json, EMV Book 3 5.4)", async () => {
    const v = vectors.dol[0];
    const pairs = Object.entries(v.data).map(([tag, hex]) => `${tag}=${hex}`);
    const r = await mpos("dol", "build", v.dol, ...pairs, "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ data: v.expect });
    const text = await mpos("dol", "build", v.dol, ...pairs);
    expect(text.stdout).toBe(v.expect + "\n");
  });

  it("tags may be lowercase; absent tags are zeros", async () => {
    const r = await mpos("dol", "build", "9f02069c01", "9c=09", "--json");
    expect(r.json).toEqual({ data: "00000000000009" });
  });

  it.each([
    [["DF01FC9C01"], /more than 252 bytes/],
    [["9F0206", "9F02"], /TAG=HEX/],
    [["9F0206", "9F02=0"], /value of 9F02: hex: odd length/],
    [["9F0206", "9F02=00", "9f02=01"], /9F02 given twice/],
    [["9F0206", "9F0=00"], /tag/],
    [["9F02"], /no length byte/],
    [[], /expected a DOL/],
  ])("bad input %j: exit 2 and a clear error", async (argv, message) => {
    const r = await mpos("dol", "build", ...argv, "--json");
    expect(r.status).toBe(2);
    expect(r.json.error).toMatch(message);
  });
});
