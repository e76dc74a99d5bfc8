import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { recover, staticDataToAuthenticate, verifySignedStaticData } from "../../kernel/emv/oda";
import { PUBLISHED } from "../cards/support/published-oda-vectors";
import { signedDynamicData, signedStaticData, simKey } from "../cards/support/book2-signer";

describe("EMV Book 2, 5.4: Signed Static Application Data", () => {
  it("recovers format '03', the Data Authentication Code and the hash of the Visa test card (published)", () => {
    const issuerKey = { modulus: fromHex(PUBLISHED.visaIssuerModulus), exponent: fromHex("03") };
    const r = recover(c, issuerKey, fromHex(PUBLISHED.visaSignedStaticData));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const x = r.recovered;
    expect([x[1], x[2]]).toEqual([0x03, 0x01]);
    expect(toHex(x.subarray(3, 5))).toBe("DAC0");
    expect(toHex(x.subarray(x.length - 21, x.length - 1))).toBe("4E2821974D704E338E7218F887763F7BDCE2B814");
    expect(x.subarray(5, x.length - 21).every((b) => b === 0xbb)).toBe(true);
  });

  const issuer = simKey("issuers", "visa");
  const issuerKey = { modulus: fromHex(issuer.modulus), exponent: fromHex(issuer.exponent) };
  const staticData = "5A0847617390010101195F240330123182023900";

  it("steps 1-7: verifies and returns the Data Authentication Code (tag 9F45)", () => {
    const ssad = signedStaticData(issuer, "DAC1", staticData);
    const r = verifySignedStaticData(c, issuerKey, fromHex(ssad), fromHex(staticData));
    expect(r.ok && toHex(r.dataAuthenticationCode)).toBe("DAC1");
  });

  it("step 7: static data changed after signing (e.g. the AIP) fails", () => {
    const ssad = signedStaticData(issuer, "DAC1", staticData);
    const changed = fromHex(staticData.replace("3900", "5900"));
    expect(verifySignedStaticData(c, issuerKey, fromHex(ssad), changed)).toEqual({ ok: false, reason: "hash-mismatch" });
  });

  it("step 1: signed data not as long as the issuer modulus fails", () => {
    const ssad = signedStaticData(issuer, "DAC1", staticData);
    expect(verifySignedStaticData(c, issuerKey, fromHex(ssad).slice(1), fromHex(staticData)))
      .toEqual({ ok: false, reason: "length-mismatch" });
  });

  it("step 4: a signature of another format (dynamic data, '05') is refused", () => {
    const other = signedDynamicData(issuer, "0211223344", staticData);
    expect(verifySignedStaticData(c, issuerKey, fromHex(other), fromHex(staticData))).toEqual({ ok: false, reason: "format" });
  });
});

describe("EMV Book 3, 10.3: the static data to be authenticated", () => {
  const rec = (hex: string, sfi: number) => ({ sfi, record: fromHex(hex) });

  it("SFI 1-10: the value of the '70' template only, tag and length left out", () => {
    const r = staticDataToAuthenticate([rec("70035A0112", 2), rec("7081025F01", 3)]);
    expect(r.ok && toHex(r.data)).toBe("5A01125F01");
  });

  it("SFI 11-30: the whole record, tag and length included", () => {
    const r = staticDataToAuthenticate([rec("70035A0112", 11)]);
    expect(r.ok && toHex(r.data)).toBe("70035A0112");
  });

  it("SFI 1-10: a record not coded as one '70' template fails ODA", () => {
    expect(staticDataToAuthenticate([rec("71035A0112", 1)])).toEqual({ ok: false, reason: "static-data" });
    expect(staticDataToAuthenticate([rec("70045A0112", 1)])).toEqual({ ok: false, reason: "static-data" });
    expect(staticDataToAuthenticate([rec("70035A011200", 1)])).toEqual({ ok: false, reason: "static-data" });
  });

  it("the Static Data Authentication Tag List '82' appends the AIP value; any other tag fails", () => {
    const r = staticDataToAuthenticate([rec("70035A0112", 1)], { sdaTagList: fromHex("82"), aip: fromHex("3900") });
    expect(r.ok && toHex(r.data)).toBe("5A01123900");
    expect(staticDataToAuthenticate([], { sdaTagList: fromHex("9F36"), aip: fromHex("3900") })).toEqual({ ok: false, reason: "sda-tag-list" });
  });
});
