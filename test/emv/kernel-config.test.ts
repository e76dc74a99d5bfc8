import { toHex } from "../../kernel/bytes";
import { EmvConfigError } from "../../kernel/emv/errors";
import { loadTerminalConfig } from "../../kernel/emv/terminal-config";
import { TEST_CONFIG_JSON } from "./support/fakes";

function withPatch(patch: (j: any) => void): unknown {
  const j = JSON.parse(JSON.stringify(TEST_CONFIG_JSON));
  patch(j);
  return j;
}

describe("terminal configuration as data, checked at load (issue 6, item 2)", () => {
  it("loads terminal type, capabilities, country and currency, and per AID its parameters", () => {
    const c = loadTerminalConfig(TEST_CONFIG_JSON);
    expect(c.terminalType).toBe(0x22);
    expect(toHex(c.capabilities)).toBe("60F8C8");
    expect(toHex(c.additionalCapabilities)).toBe("6000A03001");
    expect(toHex(c.countryCode)).toBe("0840");
    expect(toHex(c.currencyCode)).toBe("0840");
    expect(c.currencyExponent).toBe(2);
    const visa = c.applications[0];
    expect(toHex(visa.aid)).toBe("A0000000031010");
    expect(visa.applicationVersions.map(toHex)).toEqual(["0096"]);
    expect([toHex(visa.tacDenial), toHex(visa.tacOnline), toHex(visa.tacDefault)]).toEqual(["0010000000", "DC4004F800", "DC4000A800"]);
    expect(visa.randomSelection).toEqual({ threshold: 0, targetPercent: 0, maxTargetPercent: 0 });
    expect(toHex(visa.defaultDdol)).toBe("9F3704");
    expect(toHex(visa.defaultTdol!)).toBe("9F02065F2A029A039C0195059F3704");
    expect(c.applications[1].defaultTdol).toBeUndefined();
  });

  const bad: [string, (j: any) => void, RegExp][] = [
    ["a Terminal Type not in Book 4, Annex A1", (j) => (j.terminalType = "27"), /terminalType/],
    ["Terminal Capabilities not 3 bytes", (j) => (j.capabilities = "60F8"), /capabilities must be 3 bytes/],
    ["Additional Terminal Capabilities not 5 bytes", (j) => (j.additionalCapabilities = "6000A030"), /additionalCapabilities/],
    ["a country code that is not 4 digits", (j) => (j.countryCode = "840"), /countryCode/],
    ["a currency exponent out of range", (j) => (j.currencyExponent = 7), /currencyExponent/],
    ["no application", (j) => (j.applications = []), /applications/],
    ["an AID shorter than a RID", (j) => (j.applications[0].aid = "A00000"), /aid must be 5-16 bytes/],
    ["an AID listed twice", (j) => j.applications.push(j.applications[0]), /appears twice/],
    ["a TAC not 5 bytes", (j) => (j.applications[0].tacOnline = "DC4004F8"), /tacOnline/],
    ["a negative floor limit", (j) => (j.applications[0].floorLimit = -1), /floorLimit/],
    ["a target percentage above 99", (j) => (j.applications[0].randomSelection = { threshold: 0, targetPercent: 100, maxTargetPercent: 100 }), /targetPercent/],
    ["a maximum target below the target", (j) => (j.applications[0].randomSelection = { threshold: 0, targetPercent: 50, maxTargetPercent: 20 }), /maxTargetPercent/],
    ["a threshold at or above the floor limit", (j) => {
      j.applications[0].floorLimit = 1000;
      j.applications[0].randomSelection = { threshold: 1000, targetPercent: 10, maxTargetPercent: 20 };
    }, /threshold must be below the floor limit/],
    ["a default DDOL that is not a DOL", (j) => (j.applications[0].defaultDdol = "9F"), /defaultDdol/],
    ["an application version that is not 2 bytes", (j) => (j.applications[0].applicationVersion = "96"), /applicationVersions/],
    ["a terminal id longer than an8", (j) => (j.terminalId = "TERMINAL01"), /terminalId/],
  ];
  for (const [what, patch, message] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      let error: unknown;
      try {
        loadTerminalConfig(withPatch(patch));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EmvConfigError);
      expect((error as Error).message).toMatch(message);
    });
  }
});
