import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto } from "../../kernel/crypto";
import { CapkStore, CertificateRevocationList } from "../../kernel/emv/oda";
import { createOdaEnvironment } from "../../kernel/emv/oda-environment";
import { chooseOdaMethod } from "../../kernel/emv/offline-data-authentication";
import { performTransaction } from "../../kernel/emv/transaction";
import { TSI } from "../../kernel/emv/tsi";
import { TVR, newTvr } from "../../kernel/emv/tvr";
import { newTsi } from "../../kernel/emv/tsi";
import { createCard, SIM_CAPK_FILE, SIM_CRL_FILE } from "../../host-sim/cards";
import { depsOf, fakes, TEST_PARAMS, testConfig, type Fakes } from "./support/fakes";
import { standardCard } from "./support/standard-card";
import { loadVectors } from "../support/vectors";

function tvrOf(bytes: Uint8Array) {
  return newTvr(bytes);
}

async function run(aip: string, setup: (f: Fakes) => void = () => {}, config = testConfig(), extra: (o: any) => void = () => {}) {
  const card = standardCard((o) => {
    o.aip = aip;
    extra(o);
  });
  const f = fakes(["1234"]);
  setup(f);
  const out = await performTransaction(config, TEST_PARAMS, depsOf(card, f));
  return { out, card, f, tvr: tvrOf(out.tvr), tsi: newTsi(out.tsi) };
}

describe("Book 3, 10.3: choosing the offline data authentication method", () => {
  it("takes CDA over DDA over SDA when both card (AIP) and terminal (9F33 byte 3) support it", () => {
    const all = fromHex("60F8C8");
    expect(chooseOdaMethod(fromHex("7900"), all)).toBe("cda");
    expect(chooseOdaMethod(fromHex("7800"), all)).toBe("dda");
    expect(chooseOdaMethod(fromHex("5800"), all)).toBe("sda");
    expect(chooseOdaMethod(fromHex("7900"), fromHex("60F8C0"))).toBe("dda"); // terminal without CDA
    expect(chooseOdaMethod(fromHex("1800"), all)).toBe("none");
  });

  it("with no method in common: 'Offline data authentication was not performed', TSI bit not set", async () => {
    const { tvr, tsi } = await run("1800");
    expect(tvr.has(TVR.offlineDataAuthenticationNotPerformed)).toBe(true);
    expect(tsi.has(TSI.offlineDataAuthenticationPerformed)).toBe(false);
  });
});

describe("Book 3, 10.3 with Book 2, 5: SDA", () => {
  it("sets 'SDA selected'; success leaves no failure bit and stores the Data Authentication Code", async () => {
    const { tvr, tsi } = await run("5800");
    expect(tvr.names()).toContain("SDA selected");
    expect(tvr.has(TVR.sdaFailed)).toBe(false);
    expect(tsi.has(TSI.offlineDataAuthenticationPerformed)).toBe(true);
  });

  it("failure sets 'SDA failed'; failure for missing data also 'ICC data missing'", async () => {
    const failed = await run("5800", (f) => (f.oda.sda = { ok: false }));
    expect(failed.tvr.has(TVR.sdaFailed)).toBe(true);
    expect(failed.tvr.has(TVR.iccDataMissing)).toBe(false);
    const missing = await run("5800", (f) => (f.oda.sda = { ok: false, missing: true }));
    expect(missing.tvr.has(TVR.sdaFailed) && missing.tvr.has(TVR.iccDataMissing)).toBe(true);
    expect(missing.tsi.has(TSI.offlineDataAuthenticationPerformed)).toBe(true);
  });
});

describe("Book 3, 10.3 with Book 2, 6.5: DDA", () => {
  it("sends INTERNAL AUTHENTICATE with the card's DDOL data, else the terminal's default DDOL", async () => {
    const withDdol = await run("7800", () => {}, testConfig(), (o) => (o.records["1/2"] = o.records["1/2"].replace(/^70([0-9A-F]{2})/, (_m: string, l: string) =>
      "70" + (parseInt(l, 16) + 8).toString(16).toUpperCase() + "9F4905" + "9F37049C01")));
    const ia = withDdol.card.log.find((l) => l.command.startsWith("0088"));
    expect(ia?.command).toBe("008800000511223344" + "00" + "00");
    const byDefault = await run("7800");
    expect(byDefault.card.log.find((l) => l.command.startsWith("0088"))?.command).toBe("00880000041122334400");
    expect(byDefault.tvr.has(TVR.ddaFailed)).toBe(false);
  });

  it("a DDOL without the Unpredictable Number makes DDA fail without asking the card (Book 2, 6.5.1)", async () => {
    const config = testConfig((j) => (j.applications[0].defaultDdol = "9F0206"));
    const { tvr, card } = await run("7800", () => {}, config);
    expect(tvr.has(TVR.ddaFailed)).toBe(true);
    expect(card.log.some((l) => l.command.startsWith("0088"))).toBe(false);
  });

  it("a signature that does not verify sets 'DDA failed'; an ICC key that cannot be recovered too", async () => {
    expect((await run("7800", (f) => (f.oda.dda = { ok: false }))).tvr.has(TVR.ddaFailed)).toBe(true);
    const noKey = await run("7800", (f) => (f.oda.iccKey = { ok: false, missing: true }));
    expect(noKey.tvr.has(TVR.ddaFailed) && noKey.tvr.has(TVR.iccDataMissing)).toBe(true);
  });

  it("INTERNAL AUTHENTICATE answered with an error status terminates the transaction (Book 3, 6.5.9.4)", async () => {
    const { out } = await run("7800", () => {}, testConfig(), (o) => (o.internalAuthenticate = { sw: "6985", response: "" }));
    expect(out.kind).toBe("end-application");
  });
});

describe("Book 3, 10.3 with Book 2, 6.6: CDA", () => {
  it("asks for a CDA signature in GENERATE AC (P1 b5) and takes the cryptogram from the verified signature", async () => {
    const { card, f, tvr, tsi } = await run("7900", () => {}, testConfig(), (o) => (o.generateAc = (call: { p1: number }) => ({ cid: call.p1 & 0xc0, format: 2, extra: "9F4B04AABBCCDD" })));
    expect(card.generateAcCalls[0].p1).toBe(0x80 | 0x10);
    expect(f.oda.cdaInputs).toHaveLength(2); // first and second GENERATE AC
    expect(tvr.has(TVR.cdaFailed)).toBe(false);
    expect(tsi.has(TSI.offlineDataAuthenticationPerformed)).toBe(true);
    expect(toHex(f.issuer.requests[0].iccData)).toContain("9F2608CDA0CDA0CDA0CDA0");
  });

  it("an ICC key that cannot be recovered sets 'CDA failed' before GENERATE AC, which then asks for no signature", async () => {
    const { card, tvr } = await run("7900", (f) => (f.oda.iccKey = { ok: false }));
    expect(tvr.has(TVR.cdaFailed)).toBe(true);
    expect(card.generateAcCalls[0].p1 & 0x10).toBe(0);
  });

  it("an ARQC whose signature fails is not sent online: 'CDA failed', the card gets an AAC, the transaction is declined", async () => {
    const { out, f, card } = await run("7900", (x) => (x.oda.cda = { ok: false }), testConfig(),
      (o) => (o.generateAc = (call: { p1: number }) => ({ cid: call.p1 & 0xc0, format: 2, extra: "9F4B04AABBCCDD" })));
    expect(out.kind).toBe("declined");
    expect(tvrOf(out.tvr).has(TVR.cdaFailed)).toBe(true);
    expect(f.issuer.requests).toHaveLength(0);
    expect(card.generateAcCalls[1].p1).toBe(0x00);
  });

  it("a TC or ARQC answered without its signature fails CDA (Book 2, 6.6.2)", async () => {
    const { out, f } = await run("7900", () => {}, testConfig(), (o) => (o.generateAc = (call: { p1: number }) => ({ cid: call.p1 & 0xc0, format: 2 })));
    expect(tvrOf(out.tvr).has(TVR.cdaFailed)).toBe(true);
    expect(out.kind).toBe("declined");
    expect(f.issuer.requests).toHaveLength(0);
  });

  it("an AAC is never signed: no signature is checked for it", async () => {
    const { f, out } = await run("7900", () => {}, testConfig(), (o) => (o.generateAc = () => ({ cid: 0x00 })));
    expect(out.kind).toBe("declined");
    expect(f.oda.cdaInputs).toHaveLength(0);
  });
});

describe("Book 2 with real keys: the simulator's cards against its CA public key file", () => {
  const c = softwareCrypto;
  const env = () => createOdaEnvironment(c, CapkStore.fromJson(c, SIM_CAPK_FILE), CertificateRevocationList.fromJson(SIM_CRL_FILE));

  async function realCard(id: string) {
    const card = createCard(id);
    card.applet!.reset("cold");
    const transport = { transmit: async (cmd: Uint8Array) => card.applet!.process(cmd) };
    const f = fakes(["1234"]);
    const deps = depsOf(transport, f);
    deps.oda = env();
    const out = await performTransaction(testConfig(), TEST_PARAMS, deps);
    return tvrOf(out.tvr);
  }

  it("CDA, SDA and DDA cards authenticate: no failure bit", async () => {
    for (const id of ["visa-cda", "visa-sda", "mc-dda"]) {
      const tvr = await realCard(id);
      expect([id, tvr.has(TVR.cdaFailed) || tvr.has(TVR.sdaFailed) || tvr.has(TVR.ddaFailed)]).toEqual([id, false]);
    }
  });

  it("an issuer certificate on the revocation list fails ODA (Book 2, 5.3 step 10)", async () => {
    expect((await realCard("revoked-issuer-cert")).has(TVR.cdaFailed)).toBe(true);
  });

  it("without the CA public key of the card's index, ODA fails (Book 2, 5.2)", async () => {
    const card = createCard("visa-cda");
    card.applet!.reset("cold");
    const deps = depsOf({ transmit: async (cmd: Uint8Array) => card.applet!.process(cmd) }, fakes(["1234"]));
    deps.oda = createOdaEnvironment(c, CapkStore.fromJson(c, loadVectors("capk-test.json")));
    const out = await performTransaction(testConfig(), TEST_PARAMS, deps);
    expect(tvrOf(out.tvr).has(TVR.cdaFailed)).toBe(true);
  });
});
