import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { recover, recoverIccPinEnciphermentKey, recoverIccPublicKey } from "../../kernel/emv/oda";
import { PUBLISHED } from "../cards/support/published-oda-vectors";
import { iccCertificate, simKey } from "../cards/support/book2-signer";

const TODAY = fromHex("250506");

describe("EMV Book 2, 6.4: the ICC public key certificate (published test-card data)", () => {
  const visaIssuer = { modulus: fromHex(PUBLISHED.visaIssuerModulus), exponent: fromHex("03") };

  it("recovers the Table 14 fields of the Visa test card's certificate", () => {
    const r = recover(c, visaIssuer, fromHex(PUBLISHED.visaIccCertificate));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const x = r.recovered;
    expect(x[1]).toBe(0x04);
    expect(toHex(x.subarray(2, 12))).toBe("4761739001010119FFFF");
    expect(toHex(x.subarray(12, 14))).toBe("1222");
    expect(toHex(x.subarray(14, 17))).toBe("000001");
    expect([x[17], x[18], x[19], x[20]]).toEqual([1, 1, 176, 1]);
    // the leftmost NI - 42 bytes of the key, then (after the hash) the key's remainder is tag 9F48
    expect(toHex(x.subarray(21, 21 + 176 - 42))).toBe(PUBLISHED.visaIccModulus.slice(0, (176 - 42) * 2));
    expect(PUBLISHED.visaIccModulus.endsWith(PUBLISHED.visaIccRemainder)).toBe(true);
  });

  it("steps 5-7: the hash covers the static data to be authenticated, so none given fails", () => {
    const r = recoverIccPublicKey(c, {
      issuerKey: visaIssuer, certificate: fromHex(PUBLISHED.visaIccCertificate), remainder: fromHex(PUBLISHED.visaIccRemainder),
      exponent: fromHex("03"), panField: fromHex("4761739001010119"), today: fromHex("221201"), staticData: new Uint8Array(0),
    });
    expect(r).toEqual({ ok: false, reason: "hash-mismatch" });
  });
});

describe("EMV Book 2, 6.4: ICC certificates signed by a test-side signer", () => {
  const issuer = simKey("issuers", "visa");
  const icc = simKey("iccs", "visa-cda");
  const issuerKey = { modulus: fromHex(issuer.modulus), exponent: fromHex(issuer.exponent) };
  const staticData = "5A0847617390010101195F24033012315F25032001019F0702FF00";
  const base = { issuer, icc, pan: "4761739001010119FFFF", expiry: "1230", serial: "000042", staticData };
  const check = (cert: ReturnType<typeof iccCertificate>, over: object = {}) =>
    recoverIccPublicKey(c, {
      issuerKey, certificate: fromHex(cert.certificate), remainder: fromHex(cert.remainder), exponent: fromHex(cert.exponent),
      panField: fromHex("4761739001010119"), today: TODAY, staticData: fromHex(staticData), ...over,
    });

  it("steps 1-11: recovers the ICC key, leftmost NI - 42 bytes joined with the remainder (tag 9F48)", () => {
    const cert = iccCertificate(base);
    expect(cert.remainder.length / 2).toBe(128 - (144 - 42));
    const r = check(cert);
    expect(r.ok && toHex(r.key.modulus)).toBe(icc.modulus);
    expect(r.ok && r.key.expiry).toBe("1230");
  });

  it("steps 5-7: a changed byte of the static data fails the hash", () => {
    const other = fromHex(staticData);
    other[5] ^= 1;
    expect(check(iccCertificate(base), { staticData: other })).toEqual({ ok: false, reason: "hash-mismatch" });
  });

  it("step 8: the PAN in the certificate must equal tag 5A, 'F' padding included", () => {
    expect(check(iccCertificate(base), { panField: fromHex("4761739001010127") })).toEqual({ ok: false, reason: "pan-mismatch" });
    const odd = iccCertificate({ ...base, pan: "476173900101011FFFFF" });
    expect(check(odd, { panField: fromHex("476173900101011F") }).ok).toBe(true);
  });

  it("step 9: an ICC certificate that expired last month fails", () => {
    expect(check(iccCertificate({ ...base, expiry: "0425" }))).toEqual({ ok: false, reason: "certificate-expired" });
    expect(check(iccCertificate({ ...base, expiry: "0525" })).ok).toBe(true);
  });

  it("a remainder of the wrong length is refused before hashing", () => {
    const cert = iccCertificate(base);
    expect(check({ ...cert, remainder: cert.remainder.slice(2) })).toEqual({ ok: false, reason: "remainder-mismatch" });
  });

  it("Book 2, 7.1: the ICC PIN Encipherment Public Key certificate covers no static data", () => {
    const cert = iccCertificate({ ...base, staticData: "" });
    const r = recoverIccPinEnciphermentKey(c, {
      issuerKey, certificate: fromHex(cert.certificate), remainder: fromHex(cert.remainder), exponent: fromHex(cert.exponent),
      panField: fromHex("4761739001010119"), today: TODAY,
    });
    expect(r.ok && toHex(r.key.modulus)).toBe(icc.modulus);
  });
});
