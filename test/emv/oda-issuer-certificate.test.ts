import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { CapkStore, CertificateRevocationList, recover, recoverIssuerPublicKey } from "../../kernel/emv/oda";
import simCapk from "../../host-sim/cards/keys/sim-capk.json";
import { loadVectors } from "../support/vectors";
import { PUBLISHED } from "../cards/support/published-oda-vectors";
import { issuerCertificate, simKey } from "../cards/support/book2-signer";

const store = CapkStore.fromJson(c, loadVectors("capk-test.json"), simCapk);
const visa94 = store.find(fromHex("A000000003"), 0x94)!;
const mcF1 = store.find(fromHex("A000000004"), 0xf1)!;
const simVisa = store.find(fromHex("A000000003"), 0xe1)!;
const TODAY = fromHex("250506");

function published(overrides: Partial<Parameters<typeof recoverIssuerPublicKey>[1]> = {}) {
  return recoverIssuerPublicKey(c, {
    capk: visa94,
    certificate: fromHex(PUBLISHED.visaIssuerCertificate),
    exponent: fromHex("03"),
    pan: "4761739001010119",
    today: TODAY,
    ...overrides,
  });
}

describe("EMV Book 2, 5.3: retrieval of the issuer public key (published test-card data)", () => {
  it("recovers the Visa test issuer key under CA A000000003/94 with all fields of Table 6", () => {
    const r = published();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.key.issuerId).toBe("476173");
    expect(r.key.expiry).toBe("1231");
    expect(toHex(r.key.serial)).toBe("03DA0A");
    expect(r.key.hashAlgorithm).toBe(1);
    expect(r.key.pkAlgorithm).toBe(1);
    expect(toHex(r.key.modulus)).toBe(PUBLISHED.visaIssuerModulus);
    expect(toHex(r.key.exponent)).toBe("03");
  });

  it("recovers the Mastercard test issuer key under CA A000000004/F1 (a key shorter than NCA - 36)", () => {
    const r = recoverIssuerPublicKey(c, {
      capk: mcF1, certificate: fromHex(PUBLISHED.mcIssuerCertificate), exponent: fromHex("03"),
      pan: "5413330089020011", today: TODAY,
    });
    expect(r.ok && toHex(r.key.modulus)).toBe(PUBLISHED.mcIssuerModulus);
    expect(r.ok && r.key.expiry).toBe("1227");
  });

  it("step 1: a certificate not as long as the CA modulus fails", () => {
    expect(published({ capk: mcF1 })).toEqual({ ok: false, reason: "length-mismatch" });
  });

  it("steps 2-3: a certificate recovered under the wrong key has no 'BC' trailer", () => {
    const cert = fromHex(PUBLISHED.visaIssuerCertificate);
    cert[cert.length - 1] ^= 0x01;
    expect(published({ certificate: cert })).toEqual({ ok: false, reason: "recovery-trailer" });
  });

  it("steps 5-7: the hash covers the Issuer Public Key Exponent (tag 9F32): 010001 instead of 03 fails", () => {
    expect(published({ exponent: fromHex("010001") })).toEqual({ ok: false, reason: "hash-mismatch" });
  });

  it("step 8: the issuer identifier must be the leading digits of the PAN", () => {
    expect(published({ pan: "4761749001010119" })).toEqual({ ok: false, reason: "issuer-id-mismatch" });
  });

  it("step 9: valid through the last day of the expiry month, expired the day after", () => {
    expect(published({ today: fromHex("311231") }).ok).toBe(true);
    expect(published({ today: fromHex("320101") })).toEqual({ ok: false, reason: "certificate-expired" });
  });

  it("step 10: RID || index || serial on the revocation list fails", () => {
    const crl = CertificateRevocationList.fromJson({ entries: [{ rid: "A000000003", index: "94", serial: "03DA0A" }] });
    expect(published({ crl })).toEqual({ ok: false, reason: "certificate-revoked" });
  });

  it("Book 2, 11.2.2: a CA public key is not used after its own expiry date", () => {
    expect(published({ capk: { ...visa94, expiry: fromHex("250505") } })).toEqual({ ok: false, reason: "capk-expired" });
    expect(published({ capk: { ...visa94, expiry: fromHex("250506") } }).ok).toBe(true);
  });

  it("step 12: a remainder the certificate does not call for is refused", () => {
    expect(published({ remainder: fromHex("00") })).toEqual({ ok: false, reason: "remainder-mismatch" });
  });

  it("recovery returns the whole block '6A' ... 'BC' (Annex A2.1)", () => {
    const r = recover(c, visa94, fromHex(PUBLISHED.visaIssuerCertificate));
    expect(r.ok && r.recovered[0]).toBe(0x6a);
    expect(r.ok && r.recovered[r.recovered.length - 1]).toBe(0xbc);
  });
});

describe("EMV Book 2, 5.3: issuer certificates signed by a test-side signer", () => {
  const ca = simKey("ca", "A000000003");
  const issuer = simKey("issuers", "visa");
  const base = { ca, issuer, issuerId: "476173FF", expiry: "1230", serial: "00AB01" };
  const check = (cert: ReturnType<typeof issuerCertificate>, pan = "4761739001010119") =>
    recoverIssuerPublicKey(c, {
      capk: simVisa, certificate: fromHex(cert.certificate), remainder: fromHex(cert.remainder),
      exponent: fromHex(cert.exponent), pan, today: TODAY,
    });

  it("joins the leftmost NCA - 36 bytes and the Issuer Public Key Remainder (tag 92) into the modulus", () => {
    const cert = issuerCertificate(base);
    expect(cert.remainder.length / 2).toBe(144 - (176 - 36));
    const r = check(cert);
    expect(r.ok && toHex(r.key.modulus)).toBe(issuer.modulus);
  });

  it("a missing remainder is missing ICC data (Book 3, 10.3), not a hash failure", () => {
    const cert = issuerCertificate(base);
    const r = recoverIssuerPublicKey(c, {
      capk: simVisa, certificate: fromHex(cert.certificate), exponent: fromHex("03"), pan: "4761739001010119", today: TODAY,
    });
    expect(r).toEqual({ ok: false, reason: "data-missing" });
  });

  it("step 3: header other than '6A' fails", () => {
    expect(check(issuerCertificate({ ...base, tamper: (x) => { x[0] = 0x6b; } }))).toEqual({ ok: false, reason: "recovery-header" });
  });

  it("step 4: format other than '02' fails", () => {
    expect(check(issuerCertificate({ ...base, format: 0x04 }))).toEqual({ ok: false, reason: "format" });
  });

  it("step 6: a hash algorithm other than '01' fails", () => {
    expect(check(issuerCertificate({ ...base, hashAlgorithm: 2 }))).toEqual({ ok: false, reason: "hash-algorithm" });
  });

  it("step 7: one flipped bit of the signed key fails the hash", () => {
    expect(check(issuerCertificate({ ...base, tamper: (x) => { x[40] ^= 1; } }))).toEqual({ ok: false, reason: "hash-mismatch" });
  });

  it("step 8: an issuer identifier of 3 to 8 digits matches a PAN prefix; 'F' padding must be trailing", () => {
    expect(check(issuerCertificate({ ...base, issuerId: "476FFFFF" })).ok).toBe(true);
    expect(check(issuerCertificate({ ...base, issuerId: "47617390" })).ok).toBe(true);
    expect(check(issuerCertificate({ ...base, issuerId: "47FFFFFF" }))).toEqual({ ok: false, reason: "issuer-id-mismatch" });
    expect(check(issuerCertificate({ ...base, issuerId: "476F73FF" }))).toEqual({ ok: false, reason: "issuer-id-mismatch" });
  });

  it("step 9: a malformed expiry month is not shown valid", () => {
    expect(check(issuerCertificate({ ...base, expiry: "1330" }))).toEqual({ ok: false, reason: "certificate-expired" });
  });

  it("step 11: a public key algorithm other than '01' (RSA) fails", () => {
    expect(check(issuerCertificate({ ...base, pkAlgorithm: 2 }))).toEqual({ ok: false, reason: "pk-algorithm" });
  });
});
