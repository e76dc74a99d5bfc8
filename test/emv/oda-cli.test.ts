import { mpos } from "../support/cli";
import { PUBLISHED } from "../cards/support/published-oda-vectors";
import { createCard } from "../../host-sim/cards";
import { readApplication } from "../cards/support/card-terminal";
import { toHex } from "../../kernel/bytes";

describe("mpos oda issuer-cert (issue 6, item 5)", () => {
  const args = ["oda", "issuer-cert", "--rid", "A000000003", "--index", "94", "--cert", PUBLISHED.visaIssuerCertificate,
    "--exponent", "03", "--pan", "4761739001010119", "--date", "250506"];

  it("recovers the published Visa test issuer certificate under CA A000000003/94 of capk-test.json", async () => {
    const r = await mpos(...args, "--json");
    expect(r.status).toBe(0);
    expect(r.json).toEqual({
      ok: true, issuerId: "476173", expiry: "1231", serial: "03DA0A", hashAlgorithm: 1, pkAlgorithm: 1, modulusLength: 176, exponentLength: 1,
    });
  });

  it("answers {ok:false, reason} for a certificate that fails a check (exit status 0: the command ran)", async () => {
    const r = await mpos(...args.map((a) => (a === "250506" ? "320101" : a)), "--json");
    expect(r.json).toEqual({ ok: false, reason: "certificate-expired" });
    expect(r.status).toBe(0);
    const other = await mpos(...args.map((a) => (a === "4761739001010119" ? "5413330089020011" : a)), "--json");
    expect(other.json).toEqual({ ok: false, reason: "issuer-id-mismatch" });
    const unknown = await mpos(...args.map((a) => (a === "94" ? "93" : a)), "--json");
    expect(unknown.json).toEqual({ ok: false, reason: "capk-missing" });
  });

  it("recovers a virtual card's issuer certificate under the simulator's test CA, with its remainder", async () => {
    const card = createCard("mc-dda");
    const d = readApplication(card.applet!, "A0000000041010").data;
    const r = await mpos("oda", "issuer-cert", "--rid", "A000000004", "--index", "E1", "--cert", toHex(d.get("90")!),
      "--remainder", toHex(d.get("92")!), "--exponent", toHex(d.get("9F32")!), "--pan", card.profile.pan, "--date", "250101", "--json");
    expect(r.json).toMatchObject({ ok: true, issuerId: "541333", modulusLength: 144 });
  });

  it("the simulator's revocation list applies by default: revoked-issuer-cert fails", async () => {
    const card = createCard("revoked-issuer-cert");
    const d = readApplication(card.applet!, "A0000000031010").data;
    const r = await mpos("oda", "issuer-cert", "--rid", "A000000003", "--index", "E1", "--cert", toHex(d.get("90")!),
      "--remainder", toHex(d.get("92")!), "--exponent", "03", "--pan", card.profile.pan, "--date", "250101", "--json");
    expect(r.json).toEqual({ ok: false, reason: "certificate-revoked" });
  });

  it("bad input exits 2: a 4-byte RID, a date that is not YYMMDD, a missing --cert", async () => {
    for (const argv of [
      args.map((a) => (a === "A000000003" ? "A0000000" : a)),
      args.map((a) => (a === "250506" ? "2505" : a)),
      args.filter((a, i) => a !== "--cert" && args[i - 1] !== "--cert"),
    ]) {
      const r = await mpos(...argv, "--json");
      expect(r.status).toBe(2);
      expect(typeof r.json.error).toBe("string");
    }
  });
});
