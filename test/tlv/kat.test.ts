import { readFileSync } from "fs";
import { join } from "path";
import { runSelfTests } from "../../kernel/selftest/selftest";
import { tlvKats } from "../../kernel/selftest/kat-tlv";
import type { CryptoProvider } from "../../kernel/crypto/provider";
import { loadVectors } from "../support/vectors";

describe("power-on known-answer tests of the TLV codec (kernel/selftest/kat-tlv.ts)", () => {
  it("all pass on a good build, with unique names", () => {
    const report = runSelfTests({} as CryptoProvider, tlvKats);
    expect(report.tests.filter((t) => !t.ok)).toEqual([]);
    expect(report.passed).toBe(tlvKats.length);
    expect(new Set(tlvKats.map((k) => k.name)).size).toBe(tlvKats.length);
  });

  it("use the published values of tlv-dol.json, not values computed by the code", () => {
    const source = readFileSync(join(__dirname, "../../kernel/selftest/kat-tlv.ts"), "utf8");
    const v = loadVectors<{ tlv: { hex: string }[]; dol: { dol: string; data: Record<string, string>; expect: string }[] }>("tlv-dol.json");
    for (const t of v.tlv) expect(source).toContain(`"${t.hex}"`);
    expect(source).toContain(`"${v.dol[0].dol}"`);
    expect(source).toContain(`"${v.dol[0].expect}"`);
    for (const [tag, hex] of Object.entries(v.dol[0].data)) expect(source).toContain(`"${tag}": "${hex}"`);
  });
});
