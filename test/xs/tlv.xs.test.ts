import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { mpos } from "../support/cli";
import { loadVectors } from "../support/vectors";
import { onBothEngines, startXs } from "../support/xs";

const vectors = loadVectors<{
  tlv: { hex: string; lenient?: boolean }[];
  dol: { dol: string; data: Record<string, string>; expect: string }[];
}>("tlv-dol.json");

// The TLV codec and DOL building give the same answers on the real XS engine as on Node.
describe("tlv services on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  it("tlv.decode: every published vector, identical on both engines and to `mpos decode tlv --json`", async () => {
    for (const v of vectors.tlv) {
      const args = { hex: v.hex, lenient: v.lenient === true };
      const { node, xs: onXs } = await onBothEngines(xs, "tlv.decode", args);
      expect(onXs).toEqual(node);
      const cli = await mpos("decode", "tlv", v.hex, ...(v.lenient ? ["--lenient"] : []), "--json");
      expect(cli.json).toEqual(node);
    }
  });

  it("tlv.decode: names, text and deep templates are the same on XS", async () => {
    const hex = "6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A00000000310108701" + "01" + "500141";
    const { node, xs: onXs } = await onBothEngines(xs, "tlv.decode", { hex });
    expect(onXs).toEqual(node);
    expect(JSON.stringify(onXs)).toContain("File Control Information (FCI) Issuer Discretionary Data");
  });

  it("tlv.dolBuild: the published DOL data on XS", async () => {
    const v = vectors.dol[0];
    const { node, xs: onXs } = await onBothEngines(xs, "tlv.dolBuild", { dol: v.dol, data: v.data });
    expect(node).toEqual({ data: v.expect });
    expect(onXs).toEqual(node);
  });

  it("bad input is the same typed error on XS", async () => {
    await expect(xs.call("tlv.decode", { hex: "9F02060000" })).rejects.toMatchObject({ name: "TlvError", code: "tlv-value-past-end" });
    await expect(xs.call("tlv.decode", { hex: "9C80" })).rejects.toMatchObject({ code: "tlv-indefinite-length" });
    await expect(xs.call("tlv.dolBuild", { dol: "DF01FC9C01", data: {} })).rejects.toMatchObject({ code: "dol-too-long" });
    await expect(xs.call("tlv.decode", {})).rejects.toMatchObject({ code: "tlv-request" });
  });
});
