import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { CapkStore, recoverIssuerPublicKey } from "../../kernel/emv/oda";
import type { KernelEngine } from "../../host-sim/xs-engine/kernel-engine";
import { createCard, SIM_CAPK_FILE, SIM_CRL_FILE } from "../../host-sim/cards";
import { loadVectors } from "../support/vectors";
import { onBothEngines, startXs } from "../support/xs";
import { PUBLISHED } from "../cards/support/published-oda-vectors";
import { dolData, readApplication } from "../cards/support/card-terminal";
import { firstGenerateAc } from "../issuer/support/chip-session";
import { encodeTlv } from "../../kernel/tlv";

// EMV Book 2 cryptography and offline data authentication on the real XS engine: the same answers as
// on Node, and the published ones.
describe("emv crypto and ODA services on Node and on XS", () => {
  let xs: KernelEngine;
  beforeAll(async () => { xs = await startXs(); });
  afterAll(async () => { await xs.close(); });

  const v = loadVectors("emv-crypto.json");
  const capkTest = loadVectors("capk-test.json");
  const calls: [string, string, unknown, unknown][] = [
    ["session key (A1.3.1)", "emv.sessionKey", { mk: v.sessionKeys[0].mk, atc: v.sessionKeys[0].atc }, { key: v.sessionKeys[0].sessionKey }],
    ["application cryptogram (A1.2)", "emv.applicationCryptogram",
      { key: v.applicationCryptograms[0].sessionKey, data: v.applicationCryptograms[0].data }, { cryptogram: v.applicationCryptograms[0].cryptogram }],
    ["ARPC method 1", "emv.arpc", { method: 1, key: v.arpcMethod1[0].sessionKey, arqc: v.arpcMethod1[0].arqc, arc: v.arpcMethod1[0].arc },
      { arpc: v.arpcMethod1[0].arpc }],
    ["ARPC method 2", "emv.arpc", { method: 2, key: v.arpcMethod2[0].sessionKey, arqc: v.arpcMethod2[0].arqc, csu: v.arpcMethod2[0].csu },
      { arpc: v.arpcMethod2[0].arpc }],
    ["ICC master key option B (pyemv example)", "emv.iccMasterKey",
      { imk: "0123456789ABCDEFFEDCBA9876543210", pan: "12345678901234567", psn: "01", option: "B" }, { key: "AD406D7F6D7570916D75E5DCAB8CF737" }],
    ["issuer certificate of the Visa test card (published)", "oda.issuerCertificate",
      { capk: capkTest, rid: "A000000003", index: "94", cert: PUBLISHED.visaIssuerCertificate, exponent: "03", pan: "4761739001010119", today: "250506" },
      { ok: true, issuerId: "476173", expiry: "1231", serial: "03DA0A", hashAlgorithm: 1, pkAlgorithm: 1, modulusLength: 176, exponentLength: 1 }],
    ["DDA signature of the Mastercard test card (published)", "oda.dda",
      { iccModulus: PUBLISHED.mcIccModulus, iccExponent: "03", sdad: PUBLISHED.mcSignedDynamicData, ddolData: "8B55633B" },
      { ok: true, iccDynamicNumber: "537EB5E03CC433C8" }],
  ];

  it.each(calls)("%s: identical on both engines and equal to the published value", async (_name, service, args, expected) => {
    const r = await onBothEngines(xs, service, args);
    expect(r.xs).toEqual(r.node);
    expect(r.xs).toEqual(expected);
  });

  it("the EMV known-answer tests pass on XS", async () => {
    const r = await xs.call("emv.kats");
    expect(r.value).toMatchObject({ failed: 0, passed: 4 });
  });

  it("a virtual card's whole ODA chain (issuer and ICC certificates, CDA over a GENERATE AC) gives identical answers", async () => {
    const card = createCard("visa-cda");
    const app = readApplication(card.applet!, "A0000000031010", { "9F1A": "0840", "5F2A": "0840" });
    const d = app.data;
    const issuer = await onBothEngines(xs, "oda.issuerCertificate", {
      capk: [SIM_CAPK_FILE], crl: SIM_CRL_FILE, rid: "A000000003", index: "E1", cert: toHex(d.get("90")!), remainder: toHex(d.get("92")!),
      exponent: toHex(d.get("9F32")!), pan: card.profile.pan, today: "250615",
    });
    expect(issuer.xs).toEqual(issuer.node);
    expect(issuer.xs).toMatchObject({ ok: true });
    const s = firstGenerateAc("visa-cda", "000000001234", 0x90);
    const sd = s.app.data;
    // the issuer modulus comes from the certificate check on Node (the service reports lengths only)
    const ik = recoverIssuerPublicKey(softwareCrypto, {
      capk: CapkStore.fromJson(softwareCrypto, SIM_CAPK_FILE).find(fromHex("A000000003"), 0xe1)!, certificate: sd.get("90")!,
      remainder: sd.get("92"), exponent: sd.get("9F32")!, pan: s.card.profile.pan, today: fromHex("250615"),
    });
    if (!ik.ok) throw new Error(ik.reason);
    const icc = await onBothEngines(xs, "oda.iccCertificate", {
      issuerModulus: toHex(ik.key.modulus), issuerExponent: toHex(ik.key.exponent), cert: toHex(sd.get("9F46")!),
      remainder: toHex(sd.get("9F48")!), exponent: toHex(sd.get("9F47")!), panField: toHex(sd.get("5A")!), today: "250615",
      records: s.app.records.filter((r) => r.oda).map((r) => ({ sfi: r.sfi, record: toHex(r.record) })), sdaTagList: "82", aip: toHex(s.app.aip),
    });
    expect(icc.xs).toEqual(icc.node);
    const iccKey = icc.xs as { ok: true; modulus: string; exponent: string };
    expect(iccKey.ok).toBe(true);
    const t = s.first.tlv[0].children!;
    const cda = await onBothEngines(xs, "oda.cda", {
      iccModulus: iccKey.modulus, iccExponent: iccKey.exponent, sdad: toHex(t.find((x) => x.tag === "9F4B")!.value),
      unpredictableNumber: s.terminal["9F37"], cid: 0x80, pdolData: toHex(s.app.pdolData),
      cdol1Data: toHex(dolData(sd.get("8C")!, s.terminal)),
      responseWithoutSdad: t.filter((x) => x.tag !== "9F4B").map((x) => toHex(encodeTlv(x.tag, x.value))).join(""),
    });
    expect(cda.xs).toEqual(cda.node);
    expect(cda.xs).toMatchObject({ ok: true, cid: 0x80 });
  });
});
