import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { arpcMethod1, deriveAcSessionKey, deriveIccMasterKey } from "../../kernel/emv/crypto";
import { decodeTlv } from "../../kernel/tlv";
import { IssuerHost } from "../../host-sim/issuer";
import { simIssuerKeys as cardIssuerKeys } from "../../host-sim/cards";
import { issueAccounts } from "../../host-sim/issuer";
import { apdu, send } from "../cards/support/card-terminal";
import { chipSensitiveItems, cidOf, firstGenerateAc, requestIccData, secondGenerateAc } from "./support/chip-session";
import { iccData, onlinePin, request } from "./support/online";

const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

function online(id: string, amount = "000000001234", pin?: string, host = new IssuerHost()) {
  const s = firstGenerateAc(id, amount);
  const pinBlock = pin ? onlinePin(pin, s.card.profile.pan) : undefined;
  const req = request(iccData(requestIccData(s)), chipSensitiveItems(s), pinBlock);
  const decision = host.decide(req);
  return { s, decision, host, req };
}

describe("issuer host: authorization of a chip transaction (issue 6, item 4)", () => {
  it("visa-cda, 12.34, online PIN 1234: opens the envelope, verifies ARQC and PIN, approves with ARC 00", () => {
    const { decision } = online("visa-cda", "000000001234", "1234");
    expect(decision).toMatchObject({ arc: "00", approved: true, reason: "approved", decryptedByHost: true, arqcVerified: true, pinVerified: true });
    expect(decision.maskedPan).toBe("476173******0010");
  });

  it("ARPC method 1 (Book 2, A1.2.1): tag 91 = DES3(SK)[ARQC xor ARC] || ARC, and the card accepts it", () => {
    const { s, decision } = online("visa-cda");
    const iad = decision.issuerAuthenticationData!;
    expect(iad.length).toBe(10);
    expect(String.fromCharCode(iad[8], iad[9])).toBe("00");
    // independently: the issuer master key of the card's issuer, the card's PAN and PSN
    const mk = deriveIccMasterKey(c, cardIssuerKeys("visa").imkAc, "4761739001010010", "01");
    const sk = deriveAcSessionKey(c, mk, s.response.get("9F36")!);
    expect(toHex(iad.subarray(0, 8))).toBe(toHex(arpcMethod1(c, sk, s.response.get("9F26")!, ascii("00"))));
    expect(send(s.card.applet!, apdu(0x00, 0x82, 0x00, 0x00, iad)).sw).toBe(0x9000);
    expect(cidOf(secondGenerateAc(s, { "8A": "3030" }))).toBe(0x40); // TC
  });

  it("declines with ARC 51 at 1000.00, and the card then gives an AAC", () => {
    const { s, decision } = online("visa-cda", "000000100000", "1234");
    expect(decision).toMatchObject({ arc: "51", approved: false, reason: "amount-over-limit" });
    expect(send(s.card.applet!, apdu(0x00, 0x82, 0x00, 0x00, decision.issuerAuthenticationData!)).sw).toBe(0x9000);
    expect(cidOf(secondGenerateAc(s, { "8A": "3531" }))).toBe(0x00); // AAC
  });

  it("approves 999.99", () => {
    expect(online("visa-cda", "000000099999", "1234").decision.arc).toBe("00");
  });

  it("a wrong online PIN is ARC 55; the third wrong one in a row is ARC 75", () => {
    const host = new IssuerHost();
    expect(online("visa-cda", "000000001234", "0000", host).decision).toMatchObject({ arc: "55", pinVerified: false });
    expect(online("visa-cda", "000000001234", "1111", host).decision.arc).toBe("55");
    expect(online("visa-cda", "000000001234", "2222", host).decision).toMatchObject({ arc: "75", reason: "pin-tries-exceeded" });
    expect(online("visa-cda", "000000001234", "1234", host).decision.arc).toBe("75");
  });

  it("a right PIN resets the host's count of wrong PINs", () => {
    const host = new IssuerHost();
    online("amex-online-pin", "000000001234", "0000", host);
    online("amex-online-pin", "000000001234", "0000", host);
    expect(online("amex-online-pin", "000000001234", "1234", host).decision.arc).toBe("00");
    expect(online("amex-online-pin", "000000001234", "0000", host).decision.arc).toBe("55");
  });

  it("a TDES DUKPT envelope and an ISO 9564 format 0 PIN block work as well", () => {
    const s = firstGenerateAc("mc-dda");
    const req = request(iccData(requestIccData(s)), chipSensitiveItems(s), onlinePin("1234", s.card.profile.pan, 0), "tdes-dukpt");
    expect(new IssuerHost().decide(req)).toMatchObject({ arc: "00", pinVerified: true });
  });

  it("an ARQC that does not verify (one changed TVR bit) is declined with ARC 05 and no approval", () => {
    const s = firstGenerateAc("visa-cda");
    const data = requestIccData(s);
    data["95"] = fromHex("0000008001");
    const d = new IssuerHost().decide(request(iccData(data), chipSensitiveItems(s)));
    expect(d).toMatchObject({ arc: "05", reason: "cryptogram-invalid", arqcVerified: false });
    expect(d.issuerAuthenticationData).toBeUndefined();
  });

  it("an envelope whose MAC fails is not opened (encrypt-then-MAC)", () => {
    const s = firstGenerateAc("visa-cda");
    const req = request(iccData(requestIccData(s)), chipSensitiveItems(s));
    req.envelope.mac[0] ^= 1;
    expect(new IssuerHost().decide(req)).toMatchObject({ arc: "05", reason: "envelope-invalid", decryptedByHost: false });
  });

  it("a card the issuer never issued is ARC 14", () => {
    const s = firstGenerateAc("visa-cda");
    const req = request(iccData(requestIccData(s)), [{ tag: "5A", value: fromHex("4111111111111111") }]);
    expect(new IssuerHost().decide(req)).toMatchObject({ arc: "14", reason: "unknown-card" });
  });

  it("the kernel's port answers the ARC, tag 91 and no scripts unless asked", async () => {
    const s = firstGenerateAc("visa-cda");
    const r = await new IssuerHost().authorize(request(iccData(requestIccData(s)), chipSensitiveItems(s)));
    expect(r.kind).toBe("response");
    if (r.kind !== "response") return;
    expect(r.arc).toBe("00");
    expect(r.issuerAuthenticationData!.length).toBe(10);
    expect(r.issuerScripts).toBeUndefined();
  });
});

describe("issuer host: ARPC method 2 with a Card Status Update (Book 2, A1.2.2)", () => {
  it("mc-dda: tag 91 = ARPC (4) || CSU (4); in CDOL2 the card authenticates the issuer and approves", () => {
    const { s, decision } = online("mc-dda", "000000001234", "1234");
    const iad = decision.issuerAuthenticationData!;
    expect(iad.length).toBe(8);
    expect(toHex(iad.subarray(4, 8))).toBe("00800000"); // CSU: issuer approves online
    const second = secondGenerateAc(s, { "8A": "3030", "91": toHex(iad) });
    expect(cidOf(second)).toBe(0x40);
  });

  it("mc-dda at 1000.00: the CSU says decline and the card gives an AAC whatever the terminal asks", () => {
    const { s, decision } = online("mc-dda", "000000100000", "1234");
    expect(toHex(decision.issuerAuthenticationData!.subarray(4, 8))).toBe("00000000");
    expect(cidOf(secondGenerateAc(s, { "8A": "3030", "91": toHex(decision.issuerAuthenticationData!) }))).toBe(0x00);
  });

  it("a forged CSU fails issuer authentication: AAC", () => {
    const { s, decision } = online("mc-dda", "000000100000", "1234");
    const iad = decision.issuerAuthenticationData!.slice();
    iad[5] = 0x80;
    expect(cidOf(secondGenerateAc(s, { "8A": "3030", "91": toHex(iad) }))).toBe(0x00);
  });
});

describe("issuer host: magnetic stripe authorization", () => {
  it("opens raw track 2 (DF8F02) and approves with the online PIN; no ARPC without a chip", () => {
    const track2 = ";4012888888881881=3012101140000?";
    const req = request(iccData({ "9F02": fromHex("000000001234"), "5F2A": fromHex("0840"), "9A": fromHex("250615") }),
      [{ tag: "DF8F02", value: ascii(track2) }], onlinePin("1234", "4012888888881881"));
    const d = new IssuerHost().decide(req);
    expect(d).toMatchObject({ arc: "00", entry: "magstripe", pinVerified: true });
    expect(d.issuerAuthenticationData).toBeUndefined();
  });

  it("an expired card's stripe is ARC 54", () => {
    const req = request(iccData({ "9F02": fromHex("000000001234"), "9A": fromHex("250615") }),
      [{ tag: "DF8F02", value: ascii(";4761739001010036=2312201140000?") }]);
    expect(new IssuerHost().decide(req)).toMatchObject({ arc: "54", reason: "card-expired" });
  });
});

describe("issuer host: keys", () => {
  it("holds, for every card it issued, the issuer keys the card was personalized with and a PVV, never the PIN", () => {
    const accounts = issueAccounts(c);
    const visa = accounts.get("4761739001010010")!;
    expect(toHex(visa.keys.imkAc)).toBe(toHex(cardIssuerKeys("visa").imkAc));
    expect(visa.pvv).toMatch(/^[0-9]{4}$/);
    expect(JSON.stringify(Object.keys(visa))).not.toMatch(/"pin"/);
    expect(accounts.get("4761739001010051")!.keys.id).toBe("visa-revoked");
  });

  it("the scripts of the response are BER-TLV templates 71/72 with 9F18 and 86 (Book 3, 10.10)", () => {
    const host = new IssuerHost();
    host.queueScript("4761739001010010", { command: "application-block" });
    host.queueScript("4761739001010010", { command: "pin-unblock", template: "71" });
    const { decision } = online("visa-cda", "000000001234", undefined, host);
    const nodes = decodeTlv(decision.issuerScripts!);
    expect(nodes.map((n) => n.tag)).toEqual(["71", "72"]);
    for (const n of nodes) expect(n.children!.map((x) => x.tag)).toEqual(["9F18", "86"]);
  });
});
