import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import {
  applicationCryptogram, CCD_AC_DATA, cryptogramInput, deriveAcSessionKey, deriveIccMasterKey,
} from "../../kernel/emv/crypto";
import {
  CapkStore, recoverIccPublicKey, recoverIssuerPublicKey, staticDataToAuthenticate, verifyCombinedSignature,
} from "../../kernel/emv/oda";
import { encodeTlv } from "../../kernel/tlv";
import { SIM_CAPK_FILE, simIssuerKeys } from "../../host-sim/cards";
import { cidOf, firstGenerateAc, secondGenerateAc } from "../issuer/support/chip-session";
import { apdu, dolData, send, value } from "./support/card-terminal";

describe("virtual card: GENERATE AC (Book 3, 6.5.5) with CCD cryptogram version 5", () => {
  it("format 1: '80' || CID || ATC || AC || IAD; the ARQC is the Book 2 MAC over the Table CCD 3 data", () => {
    const s = firstGenerateAc("visa-cda", "000000001234", 0x80);
    expect(s.first.sw).toBe(0x9000);
    expect(s.first.tlv[0].tag).toBe("80");
    expect(toHex(s.response.get("9F27")!)).toBe("80");
    const iad = s.response.get("9F10")!;
    expect(iad.length).toBe(32);
    expect(toHex(iad.subarray(0, 3))).toBe("0FA501"); // CCD format A, cryptogram version 5, DKI 1
    // recompute independently from the issuer master key
    const mk = deriveIccMasterKey(c, simIssuerKeys("visa").imkAc, "4761739001010010", "01");
    const sk = deriveAcSessionKey(c, mk, s.response.get("9F36")!);
    const t = (tag: string) => (s.terminal[tag] ? fromHex(s.terminal[tag]) : undefined);
    const input = cryptogramInput(CCD_AC_DATA, (tag) => (tag === "82" ? s.app.aip : s.response.get(tag) ?? t(tag)));
    expect(toHex(applicationCryptogram(c, sk, input))).toBe(toHex(s.response.get("9F26")!));
  });

  it("CVR byte 1 records the type of the first cryptogram (CCD: '10' ARQC)", () => {
    const s = firstGenerateAc("visa-cda", "000000001234", 0x80);
    expect(s.response.get("9F10")![3] & 0x30).toBe(0x20);
  });

  it("card action analysis: a TC request over the card's offline limit becomes an ARQC", () => {
    expect(toHex(firstGenerateAc("visa-cda", "000000001234", 0x40).response.get("9F27")!)).toBe("80");
    expect(toHex(firstGenerateAc("visa-sda", "000000001234", 0x40).response.get("9F27")!)).toBe("40");
    expect(toHex(firstGenerateAc("visa-sda", "000000005001", 0x40).response.get("9F27")!)).toBe("80");
  });

  it("an AAC request is always answered with an AAC", () => {
    expect(toHex(firstGenerateAc("visa-sda", "000000000100", 0x00).response.get("9F27")!)).toBe("00");
  });

  it("format 2 for the Mastercard profile: '77' with 9F27, 9F36, 9F26, 9F10", () => {
    const s = firstGenerateAc("mc-dda", "000000001234", 0x80);
    expect(s.first.tlv[0].tag).toBe("77");
    expect(s.first.tlv[0].children!.map((x) => x.tag)).toEqual(["9F27", "9F36", "9F26", "9F10"]);
  });

  it("refuses a CDOL1 data length other than the CDOL's, a P1 of 'C0', a third GENERATE AC", () => {
    const s = firstGenerateAc("visa-cda");
    expect(send(s.card.applet!, apdu(0x80, 0xae, 0x40, 0x00, fromHex("00"), 0)).sw).toBe(0x6700);
    const s2 = firstGenerateAc("visa-cda", "000000001234", 0xc0);
    expect(s2.first.sw).toBe(0x6a86);
    secondGenerateAc(s, { "8A": "5A33" }, 0x00);
    expect(secondGenerateAc(s, { "8A": "5A33" }, 0x00).sw).toBe(0x6985);
  });

  it("second GENERATE AC: an ARQC request is refused; unable to go online (ARC Y3) gives a TC within the offline limit only", () => {
    const s = firstGenerateAc("visa-cda");
    expect(secondGenerateAc(s, { "8A": "5933" }, 0x80).sw).toBe(0x6985);
    expect(cidOf(secondGenerateAc(s, { "8A": "5933" }, 0x40))).toBe(0x00); // limit 0: AAC
    const m = firstGenerateAc("mc-cda-offline-pin", "000000001234", 0x80);
    expect(cidOf(secondGenerateAc(m, { "8A": "5933" }, 0x40))).toBe(0x40);
  });

  it("without issuer authentication the card declines an approval (ARC 00 but no ARPC)", () => {
    const s = firstGenerateAc("visa-cda");
    expect(cidOf(secondGenerateAc(s, { "8A": "3030" }, 0x40))).toBe(0x00);
  });

  it("EXTERNAL AUTHENTICATE with a wrong ARPC is '6300' and the card declines", () => {
    const s = firstGenerateAc("visa-cda");
    expect(send(s.card.applet!, apdu(0x00, 0x82, 0x00, 0x00, fromHex("00000000000000003030"))).sw).toBe(0x6300);
    expect(cidOf(secondGenerateAc(s, { "8A": "3030" }, 0x40))).toBe(0x00);
    // and only once per transaction
    expect(send(s.card.applet!, apdu(0x00, 0x82, 0x00, 0x00, fromHex("00000000000000003030"))).sw).toBe(0x6985);
  });
});

describe("virtual card: CDA (Book 2, 6.6)", () => {
  const store = CapkStore.fromJson(c, SIM_CAPK_FILE);

  function iccKeyOf(s: ReturnType<typeof firstGenerateAc>) {
    const d = s.app.data;
    const issuer = recoverIssuerPublicKey(c, {
      capk: store.find(fromHex("A000000003"), 0xe1)!, certificate: d.get("90")!, remainder: d.get("92"), exponent: d.get("9F32")!,
      pan: s.card.profile.pan, today: fromHex("250615"),
    });
    if (!issuer.ok) throw new Error(issuer.reason);
    const sd = staticDataToAuthenticate(s.app.records.filter((r) => r.oda), { sdaTagList: d.get("9F4A"), aip: s.app.aip });
    if (!sd.ok) throw new Error(sd.reason);
    const icc = recoverIccPublicKey(c, {
      issuerKey: issuer.key, certificate: d.get("9F46")!, remainder: d.get("9F48"), exponent: d.get("9F47")!,
      panField: d.get("5A")!, today: fromHex("250615"), staticData: sd.data,
    });
    if (!icc.ok) throw new Error(icc.reason);
    return icc.key;
  }

  it("an ARQC with CDA requested: format 2 with 9F4B; the signature verifies over PDOL, CDOL1 data and the response", () => {
    const s = firstGenerateAc("visa-cda", "000000001234", 0x90);
    const t = s.first.tlv[0];
    expect(t.tag).toBe("77");
    expect(t.children!.map((x) => x.tag)).toEqual(["9F27", "9F36", "9F4B", "9F10"]);
    const responseWithoutSdad = new Uint8Array(t.children!.filter((x) => x.tag !== "9F4B").flatMap((x) => Array.from(encodeTlv(x.tag, x.value))));
    const cdol1Data = dolData(s.app.data.get("8C")!, s.terminal);
    const r = verifyCombinedSignature(c, {
      iccKey: iccKeyOf(s), sdad: value(s.first.tlv, "9F4B")!, unpredictableNumber: fromHex(s.terminal["9F37"]), cid: 0x80,
      pdolData: s.app.pdolData, cdol1Data, responseWithoutSdad,
    });
    expect(r.ok).toBe(true);
    // the cryptogram from the signature is the one the issuer verifies
    const mk = deriveIccMasterKey(c, simIssuerKeys("visa").imkAc, s.card.profile.pan, "01");
    const sk = deriveAcSessionKey(c, mk, value(s.first.tlv, "9F36")!);
    const tv = (tag: string) => (s.terminal[tag] ? fromHex(s.terminal[tag]) : undefined);
    const input = cryptogramInput(CCD_AC_DATA, (tag) => (tag === "82" ? s.app.aip : value(s.first.tlv, tag) ?? tv(tag)));
    expect(r.ok && toHex(r.cryptogram)).toBe(toHex(applicationCryptogram(c, sk, input)));
  });

  it("an AAC carries no CDA signature (Book 3, 6.5.5.4)", () => {
    const s = firstGenerateAc("visa-cda", "000000001234", 0x10);
    expect(value(s.first.tlv, "9F4B")).toBeUndefined();
    expect(toHex(s.response.get("9F27")!)).toBe("00");
  });

  it("the CVR says CDA was performed", () => {
    const s = firstGenerateAc("visa-cda", "000000001234", 0x90);
    expect(value(s.first.tlv, "9F10")![3] & 0x08).toBe(0x08);
  });
});
