import { mpos } from "../support/cli";
import { loadVectors } from "../support/vectors";

const v = loadVectors("emv-crypto.json");

describe("mpos emv (issue 6, item 5)", () => {
  it("emv session-key --mk --atc -> {key} (Book 2 A1.3.1 vector)", async () => {
    const t = v.sessionKeys[0];
    const r = await mpos("emv", "session-key", "--mk", t.mk, "--atc", t.atc, "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ key: t.sessionKey });
  });

  it("emv ac --key --data -> {cryptogram}", async () => {
    const t = v.applicationCryptograms[0];
    const r = await mpos("emv", "ac", "--key", t.sessionKey, "--data", t.data, "--json");
    expect(r.json).toEqual({ cryptogram: t.cryptogram });
  });

  it("emv arpc --method 1 --key --arqc --arc -> {arpc}", async () => {
    const t = v.arpcMethod1[0];
    const r = await mpos("emv", "arpc", "--method", "1", "--key", t.sessionKey, "--arqc", t.arqc, "--arc", t.arc, "--json");
    expect(r.json).toEqual({ arpc: t.arpc });
  });

  it("emv arpc --method 2 --key --arqc --csu [--pad] -> {arpc}", async () => {
    const t = v.arpcMethod2[0];
    const r = await mpos("emv", "arpc", "--method", "2", "--key", t.sessionKey, "--arqc", t.arqc, "--csu", t.csu, "--json");
    expect(r.json).toEqual({ arpc: t.arpc });
  });

  it("emv icc-mk --imk --pan --psn [--option] -> {key} (pyemv's published examples)", async () => {
    const imk = "0123456789ABCDEFFEDCBA9876543210";
    expect((await mpos("emv", "icc-mk", "--imk", imk, "--pan", "12345678901234567", "--psn", "01", "--json")).json)
      .toEqual({ key: "73AD54688CEF2934B0979857E3C719F1" });
    expect((await mpos("emv", "icc-mk", "--imk", imk, "--pan", "12345678901234567", "--psn", "01", "--option", "B", "--json")).json)
      .toEqual({ key: "AD406D7F6D7570916D75E5DCAB8CF737" });
  });

  it("prints uppercase hex without --json", async () => {
    const t = v.arpcMethod1[0];
    const r = await mpos("emv", "arpc", "--method", "1", "--key", t.sessionKey.toLowerCase(), "--arqc", t.arqc, "--arc", t.arc);
    expect(r.stdout.trim()).toBe(t.arpc);
  });

  it("bad input exits 2 with {error}: short key, odd hex, unknown option, method mix-ups", async () => {
    const bad = [
      ["emv", "session-key", "--mk", "0011", "--atc", "0001"],
      ["emv", "ac", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--data", "ABC"],
      ["emv", "icc-mk", "--imk", "0123456789ABCDEFFEDCBA9876543210", "--pan", "4111", "--psn", "00"],
      ["emv", "icc-mk", "--imk", "0123456789ABCDEFFEDCBA9876543210", "--pan", "4111111111111111", "--psn", "00", "--option", "C"],
      ["emv", "arpc", "--method", "3", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--arqc", "1234567890ABCDEF"],
      ["emv", "arpc", "--method", "1", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--arqc", "1234567890ABCDEF", "--arc", "0000", "--csu", "00000000"],
      ["emv", "arpc", "--method", "2", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--arqc", "1234567890ABCDEF", "--csu", "00"],
      ["emv", "ac", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--data", "00", "--mac", "1"],
    ];
    for (const argv of bad) {
      const r = await mpos(...argv, "--json");
      expect(r.status).toBe(2);
      expect(typeof r.json.error).toBe("string");
    }
  });
});
