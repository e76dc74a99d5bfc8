import { concat, fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import {
  CapkStore, CertificateRevocationList, recoverIccPublicKey, recoverIssuerPublicKey, staticDataToAuthenticate,
  verifyDynamicSignature, verifySignedStaticData,
} from "../../kernel/emv/oda";
import { createCard, SIM_CAPK_FILE, SIM_CRL_FILE } from "../../host-sim/cards";
import { loadVectors } from "../support/vectors";
import { apdu, readApplication, send, type ReadApplication } from "./support/card-terminal";

const store = CapkStore.fromJson(c, loadVectors("capk-test.json"), SIM_CAPK_FILE);
const crl = CertificateRevocationList.fromJson(SIM_CRL_FILE);
const TODAY = fromHex("250615");

const AIDS: Record<string, string> = { visa: "A0000000031010", mastercard: "A0000000041010", amex: "A00000002501" };

function read(id: string): { app: ReadApplication; pan: string } {
  const card = createCard(id);
  return { app: readApplication(card.applet!, AIDS[card.profile.scheme]), pan: card.profile.pan };
}

function issuerKey(app: ReadApplication, pan: string) {
  const d = app.data;
  const rid = app.fci.tlv[0].children![0].value.subarray(0, 5); // tag 84, the DF name
  const capk = store.find(rid, d.get("8F")![0]);
  return recoverIssuerPublicKey(c, { capk: capk!, certificate: d.get("90")!, remainder: d.get("92"), exponent: d.get("9F32")!, pan, today: TODAY, crl });
}

function staticData(app: ReadApplication) {
  const r = staticDataToAuthenticate(app.records.filter((x) => x.oda), { sdaTagList: app.data.get("9F4A"), aip: app.aip });
  if (!r.ok) throw new Error(r.reason);
  return r.data;
}

describe("virtual cards: certificates under the simulator's test CA (Book 2, 5-6)", () => {
  it.each(["visa-cda", "visa-sda", "mc-dda", "mc-cda-offline-pin", "amex-online-pin", "pin-blocked", "chip-magstripe-201"])(
    "%s: the issuer certificate recovers under CA index 'E1' of the card's RID",
    (id) => {
      const { app, pan } = read(id);
      expect(app.data.get("8F")).toEqual(Uint8Array.of(0xe1));
      const r = issuerKey(app, pan);
      expect(r.ok && r.key.issuerId).toBe(pan.slice(0, 6));
      expect(r.ok && r.key.modulus.length).toBe(144);
    },
  );

  it.each(["visa-cda", "mc-dda", "mc-cda-offline-pin", "amex-online-pin", "pin-blocked"])(
    "%s: the ICC certificate recovers with the static data of the ODA record and the AIP",
    (id) => {
      const { app, pan } = read(id);
      const issuer = issuerKey(app, pan);
      if (!issuer.ok) throw new Error(issuer.reason);
      const r = recoverIccPublicKey(c, {
        issuerKey: issuer.key, certificate: app.data.get("9F46")!, remainder: app.data.get("9F48"),
        exponent: app.data.get("9F47")!, panField: app.data.get("5A")!, today: TODAY, staticData: staticData(app),
      });
      expect(r.ok && r.key.modulus.length).toBe(128);
      if (id === "amex-online-pin") expect(r.ok && toHex(r.key.exponent)).toBe("010001");
    },
  );

  it("revoked-issuer-cert: the issuer certificate's serial is on the simulator's revocation list", () => {
    const { app, pan } = read("revoked-issuer-cert");
    expect(issuerKey(app, pan)).toEqual({ ok: false, reason: "certificate-revoked" });
  });

  it("expired: the ICC certificate expires with the card (12/2023)", () => {
    const { app, pan } = read("expired");
    const issuer = issuerKey(app, pan);
    if (!issuer.ok) throw new Error(issuer.reason);
    const r = recoverIccPublicKey(c, {
      issuerKey: issuer.key, certificate: app.data.get("9F46")!, remainder: app.data.get("9F48"),
      exponent: app.data.get("9F47")!, panField: app.data.get("5A")!, today: TODAY, staticData: staticData(app),
    });
    expect(r).toEqual({ ok: false, reason: "certificate-expired" });
  });

  it("visa-sda: the Signed Static Application Data (tag 93) verifies and gives the DAC", () => {
    const { app, pan } = read("visa-sda");
    const issuer = issuerKey(app, pan);
    if (!issuer.ok) throw new Error(issuer.reason);
    const r = verifySignedStaticData(c, issuer.key, app.data.get("93")!, staticData(app));
    expect(r.ok && toHex(r.dataAuthenticationCode)).toBe("DAC1");
  });

  it("mc-dda: INTERNAL AUTHENTICATE signs the DDOL data (Book 2, 6.5)", () => {
    const card = createCard("mc-dda");
    const app = readApplication(card.applet!, AIDS.mastercard);
    const issuer = issuerKey(app, card.profile.pan);
    if (!issuer.ok) throw new Error(issuer.reason);
    const icc = recoverIccPublicKey(c, {
      issuerKey: issuer.key, certificate: app.data.get("9F46")!, remainder: app.data.get("9F48"),
      exponent: app.data.get("9F47")!, panField: app.data.get("5A")!, today: TODAY, staticData: staticData(app),
    });
    if (!icc.ok) throw new Error(icc.reason);
    expect(toHex(app.data.get("9F49")!)).toBe("9F3704");
    const un = fromHex("CAFEBABE");
    const r = send(card.applet!, apdu(0x00, 0x88, 0x00, 0x00, un, 0));
    expect(r.sw).toBe(0x9000);
    expect(r.tlv[0].tag).toBe("80");
    const v = verifyDynamicSignature(c, icc.key, r.tlv[0].value, un);
    expect(v.ok && v.iccDynamicNumber.length).toBe(8);
    expect(verifyDynamicSignature(c, icc.key, r.tlv[0].value, fromHex("CAFEBABF")).ok).toBe(false);
  });

  it("the static data changes when a signed record would: the ICC certificate no longer verifies", () => {
    const { app, pan } = read("visa-cda");
    const issuer = issuerKey(app, pan);
    if (!issuer.ok) throw new Error(issuer.reason);
    const changed = concat(staticData(app).slice(0, -2), fromHex("3C00"));
    const r = recoverIccPublicKey(c, {
      issuerKey: issuer.key, certificate: app.data.get("9F46")!, remainder: app.data.get("9F48"),
      exponent: app.data.get("9F47")!, panField: app.data.get("5A")!, today: TODAY, staticData: changed,
    });
    expect(r).toEqual({ ok: false, reason: "hash-mismatch" });
  });
});
