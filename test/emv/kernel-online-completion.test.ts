import { createHash } from "crypto";
import { fromHex, toHex } from "../../kernel/bytes";
import { decodeTlv, findTag } from "../../kernel/tlv";
import { allowedAnswer, cryptogramType } from "../../kernel/emv/generate-ac";
import { parseIssuerScripts } from "../../kernel/emv/issuer-scripts";
import { performTransaction } from "../../kernel/emv/transaction";
import { TSI, newTsi } from "../../kernel/emv/tsi";
import { TVR, newTvr } from "../../kernel/emv/tvr";
import { depsOf, fakes, TEST_PARAMS, testConfig, type Fakes } from "./support/fakes";
import { CDOL1, CDOL2, record1, record2, standardCard } from "./support/standard-card";
import type { TestCardOptions } from "./support/test-card";
import { loadVectors } from "../support/vectors";

const crypto = loadVectors("emv-crypto.json");

async function run(patch: (o: TestCardOptions) => void, setup: (f: Fakes) => void = () => {}, config = testConfig(), params = {}) {
  const card = standardCard(patch);
  const f = fakes(["1234"], [0x38, 0x04, 0x82, 0x3e]);
  setup(f);
  const out = await performTransaction(config, { ...TEST_PARAMS, ...params }, depsOf(card, f));
  return { out, card, f, tvr: newTvr(out.tvr), tsi: newTsi(out.tsi) };
}

function iccTag(iccData: Uint8Array, tag: string): string | undefined {
  const t = findTag(decodeTlv(iccData), tag);
  return t ? toHex(t.value) : undefined;
}

describe("Book 3, 6.5.5.4: the GENERATE AC response", () => {
  it("the Cryptogram Information Data b8-b7 give AAC, TC, ARQC; '11' is RFU", () => {
    expect([0x00, 0x40, 0x80, 0xc0, 0x88].map(cryptogramType)).toEqual(["aac", "tc", "arqc", undefined, "arqc"]);
  });
  it("the card may lower what it was asked for, never raise it", () => {
    expect(allowedAnswer("aac", "tc")).toBe(false);
    expect(allowedAnswer("arqc", "tc")).toBe(false);
    expect(allowedAnswer("arqc", "aac")).toBe(true);
    expect(allowedAnswer("tc", "arqc")).toBe(true);
  });
  it("a TC answered to an ARQC request, or an RFU cryptogram type, terminates the transaction", async () => {
    expect((await run((o) => (o.generateAc = () => ({ cid: 0x40 })))).out.reason).toMatch(/answered tc to a request for arqc/);
    expect((await run((o) => (o.generateAc = () => ({ cid: 0xc0 })))).out.reason).toMatch(/RFU/);
  });
  it("a card error status on GENERATE AC terminates the transaction", async () => {
    expect((await run((o) => (o.generateAc = () => ({ cid: 0x80, sw: "6985" })))).out.kind).toBe("end-application");
  });
  it("format 2 responses are read like format 1", async () => {
    const { out, f } = await run((o) => (o.generateAc = (c) => ({ cid: c.p1 & 0xc0, format: 2, cryptogram: "0102030405060708" })));
    expect(out.kind).toBe("online-approved");
    expect(iccTag(f.issuer.requests[0].iccData, "9F26")).toBe("0102030405060708");
  });
  it("a CDOL asking for the TC Hash Value gets SHA-1 of the default TDOL data, and 'Default TDOL used' is set", async () => {
    const { card, tvr } = await run((o) => (o.records["1/2"] = record2([], undefined, CDOL1 + "9814")));
    expect(tvr.has(TVR.defaultTdolUsed)).toBe(true);
    // Default TDOL 9F0206 5F2A02 9A03 9C01 9505 9F3704, with the TVR as it stood at the first GENERATE AC.
    const tdolData = "000000001234" + "0840" + "250615" + "00" + toHex(tvr.bytes()) + "3804823E";
    const sent = toHex(card.generateAcCalls[0].data);
    expect(sent.slice(-40)).toBe(createHash("sha1").update(Buffer.from(tdolData, "hex")).digest("hex").toUpperCase());
  });
});

describe("the CDOL1 data of the first GENERATE AC, checked with EMV Book 2 A1's published cryptogram", () => {
  const v = crypto.applicationCryptograms[0];
  // The vector's cryptogram input is CDOL1 data (29 bytes) || AIP '5800' || ATC '0001' (Book 2, 8.1.1, Table 25).
  const cdol1Expected = v.data.slice(0, 58);
  it("builds exactly the vector's terminal data and forwards the card's ARQC to the issuer unchanged", async () => {
    const config = testConfig((j) => {
      j.countryCode = "0124";
      j.currencyCode = "0124";
    });
    const { card, f, tvr } = await run((o) => {
      o.aip = "3800"; // DDA, CVM, terminal risk management
      o.records["1/1"] = record1().replace("5F250320", "5F250310");
      o.records["1/2"] = record2([], "00000000000000001F00");
      o.generateAc = (call) => ({
        cid: call.p1 & 0xc0,
        cryptogram: toHex(call.data) + "5800" + "0001" === v.data ? v.cryptogram : "0000000000000000",
      });
    }, () => {}, config, { amount: 2000, date: { year: 2011, month: 3, day: 9 } });
    expect(toHex(card.generateAcCalls[0].data)).toBe(cdol1Expected);
    expect(toHex(tvr.bytes())).toBe("0000008000");
    expect(iccTag(f.issuer.requests[0].iccData, "9F26")).toBe(v.cryptogram);
  });
});

describe("Book 3, 10.9: issuer authentication, with EMV Book 2 A1's published ARPCs", () => {
  const m1 = crypto.arpcMethod1[0];
  const m2 = crypto.arpcMethod2[0];

  it("EXTERNAL AUTHENTICATE with the Issuer Authentication Data when the AIP says so (ARPC method 1 || ARC)", async () => {
    const iad = m1.arpc + m1.arc;
    const { card, tvr, tsi, out } = await run((o) => {
      o.aip = "5C00";
      o.acceptIad = iad;
      o.generateAc = (c) => ({ cid: c.p1 & 0xc0, cryptogram: m1.arqc });
    }, (f) => (f.issuer.answer = { kind: "response", arc: "00", issuerAuthenticationData: fromHex(iad) }));
    expect(card.externalAuthenticateCalls).toEqual([iad]);
    expect(tvr.has(TVR.issuerAuthenticationFailed)).toBe(false);
    expect(tsi.has(TSI.issuerAuthenticationPerformed)).toBe(true);
    expect(out.kind).toBe("online-approved");
  });

  it("a card that does not accept the ARPC ('6300'): 'Issuer authentication failed'", async () => {
    const bad = "F5E6F44147E2F1B1" + m1.arc;
    const { tvr, tsi } = await run((o) => {
      o.aip = "5C00";
      o.acceptIad = m1.arpc + m1.arc;
    }, (f) => (f.issuer.answer = { kind: "response", arc: "00", issuerAuthenticationData: fromHex(bad) }));
    expect(tvr.has(TVR.issuerAuthenticationFailed)).toBe(true);
    expect(tsi.has(TSI.issuerAuthenticationPerformed)).toBe(true);
  });

  it("without the AIP bit, the Issuer Authentication Data (ARPC method 2 || CSU) reaches the card in CDOL2 ('91')", async () => {
    const iad = m2.arpc + m2.csu;
    const { card } = await run((o) => {
      o.records["1/2"] = record2([], undefined, CDOL1, CDOL2.replace("910A", "9108"));
    }, (f) => (f.issuer.answer = { kind: "response", arc: "00", issuerAuthenticationData: fromHex(iad) }));
    expect(card.externalAuthenticateCalls).toEqual([]);
    // CDOL2 = 8A 02 | 9F02 06 | 9F03 06 | 9F1A 02 | 95 05 | 5F2A 02 | 9A 03 | 9C 01 | 9F37 04 | 91 08
    const second = toHex(card.generateAcCalls[1].data);
    expect(second.slice(0, 4)).toBe("3030");
    expect(second.slice(-16)).toBe(iad);
  });

  it("Issuer Authentication Data outside 8-16 bytes counts as no answer (unable to go online)", async () => {
    const { out } = await run(() => {}, (f) => (f.issuer.answer = { kind: "response", arc: "00", issuerAuthenticationData: fromHex("0102") }));
    expect(out.arc).toMatch(/^[YZ]3$/);
  });
});

describe("Book 3, 10.9 and 10.11: the issuer's decision and completion", () => {
  it("an approval code asks the card for a TC in the second GENERATE AC: online-approved", async () => {
    const { card, out } = await run(() => {});
    expect(card.generateAcCalls.map((c) => c.p1)).toEqual([0x80, 0x40]);
    expect(out.kind).toBe("online-approved");
    expect(out.arc).toBe("00");
    expect(out.cid).toBe(0x40);
  });

  it("a decline (ARC '51') asks for an AAC: online-declined", async () => {
    const { card, out } = await run(() => {}, (f) => (f.issuer.answer = { kind: "response", arc: "51" }));
    expect(card.generateAcCalls[1].p1).toBe(0x00);
    expect(out.kind).toBe("online-declined");
    expect(out.messages[out.messages.length - 1]).toBe("declined");
  });

  it("the card may still decline after an approval (AAC to a TC request): online-declined", async () => {
    const { out } = await run((o) => (o.generateAc = (_c, n) => ({ cid: n === 1 ? 0x80 : 0x00 })));
    expect(out.kind).toBe("online-declined");
  });

  it("unable to go online: the Default action codes decide, ARC 'Y3' approves and 'Z3' declines (Book 4, 6.3.6)", async () => {
    // TVR 'floor limit exceeded' is in TAC-Default (DC4000A800): declined.
    const declined = await run(() => {}, (f) => (f.issuer.answer = { kind: "unable-to-go-online" }));
    expect(declined.out.kind).toBe("declined");
    expect(declined.out.arc).toBe("Z3");
    expect(declined.card.generateAcCalls[1].p1).toBe(0x00);
    const config = testConfig((j) => (j.applications[0].tacDefault = "0000000000"));
    const approved = await run((o) => (o.records["1/2"] = record2().replace("9F0D05DC4000A800", "9F0D050000000000")),
      (f) => (f.issuer.answer = { kind: "unable-to-go-online" }), config);
    expect(approved.out.kind).toBe("approved");
    expect(approved.out.arc).toBe("Y3");
  });

  it("offline outcomes of the first GENERATE AC: TC approved ('Y1'), AAC declined ('Z1')", async () => {
    const offline = testConfig((j) => (j.applications[0].floorLimit = 100000));
    const noCvm = (o: TestCardOptions) => (o.records["1/2"] = record2([], "00000000000000001F00"));
    const tc = await run((o) => {
      noCvm(o);
      o.generateAc = (c) => ({ cid: c.p1 & 0xc0 });
    }, () => {}, offline);
    expect(tc.card.generateAcCalls[0].p1).toBe(0x40);
    expect([tc.out.kind, tc.out.arc]).toEqual(["approved", "Y1"]);
    expect(tc.f.issuer.requests).toHaveLength(0);
    const aac = await run((o) => (o.generateAc = () => ({ cid: 0x00 })), () => {}, offline);
    expect([aac.out.kind, aac.out.arc]).toEqual(["declined", "Z1"]);
  });
});

describe("Book 3, 10.10: issuer script processing", () => {
  const script = (template: string, id: string, ...commands: string[]) => {
    const body = (id ? "9F1804" + id : "") + commands.map((c) => "86" + (c.length / 2).toString(16).padStart(2, "0").toUpperCase() + c).join("");
    return template + (body.length / 2).toString(16).padStart(2, "0").toUpperCase() + body;
  };
  const BLOCK = "841E000008AABBCCDDEEFF0011"; // APPLICATION BLOCK with a MAC
  const PIN_CHANGE = "8424000208AABBCCDDEEFF0011";

  it("runs '71' before and '72' after the final GENERATE AC, and reports each in Issuer Script Results", async () => {
    const scripts = script("71", "00000001", BLOCK) + script("72", "00000002", PIN_CHANGE);
    const { card, out, tsi, tvr } = await run((o) => (o.scriptSw = { "841E": "9000", "8424": "9000" }),
      (f) => (f.issuer.answer = { kind: "response", arc: "00", issuerScripts: fromHex(scripts) }));
    const order = card.log.map((l) => l.command.slice(0, 4));
    expect(order.indexOf("841E")).toBeLessThan(order.lastIndexOf("80AE"));
    expect(order.indexOf("8424")).toBeGreaterThan(order.lastIndexOf("80AE"));
    expect(toHex(out.issuerScriptResults!)).toBe("2000000001" + "2000000002");
    expect(tsi.has(TSI.scriptProcessingPerformed)).toBe(true);
    expect(tvr.has(TVR.scriptFailedBeforeFinalGenerateAc) || tvr.has(TVR.scriptFailedAfterFinalGenerateAc)).toBe(false);
  });

  it("a command answered with SW1 other than '90', '62', '63' stops its script: failed, with its sequence number", async () => {
    const scripts = script("71", "0000000A", BLOCK, BLOCK.replace("841E", "8418"), PIN_CHANGE) + script("72", "", PIN_CHANGE);
    const { out, tvr, card } = await run((o) => (o.scriptSw = { "841E": "6283", "8418": "6985", "8424": "6A80" }),
      (f) => (f.issuer.answer = { kind: "response", arc: "00", issuerScripts: fromHex(scripts) }));
    expect(toHex(out.issuerScriptResults!)).toBe("120000000A" + "1100000000");
    expect(tvr.has(TVR.scriptFailedBeforeFinalGenerateAc)).toBe(true);
    expect(tvr.has(TVR.scriptFailedAfterFinalGenerateAc)).toBe(true);
    // The third command of the first script was never sent.
    expect(card.log.filter((l) => l.command.startsWith("8424")).length).toBe(1);
  });

  it("a script template that cannot be parsed is not sent and counts as failed", () => {
    const parsed = parseIssuerScripts(fromHex("7104" + "9F1801AA" + script("72", "00000003", BLOCK)));
    expect(parsed.map((s) => [s.template, s.wellFormed])).toEqual([["71", false], ["72", true]]);
    expect(parseIssuerScripts(fromHex("71FF00"))).toEqual([{ template: "71", commands: [], wellFormed: false }]);
  });
});
