import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import {
  arpcMethod1, arpcMethod2, decodeCardStatusUpdate, EmvCryptoError, encodeCardStatusUpdate,
  issuerAuthenticationDataMethod1, issuerAuthenticationDataMethod2, verifyIssuerAuthentication,
} from "../../kernel/emv/crypto";
import { loadVectors } from "../support/vectors";

const v = loadVectors("emv-crypto.json");

describe("EMV Book 2, A1.2.1: ARPC method 1", () => {
  it.each(v.arpcMethod1 as any[])("ARPC = DES3(SK)[ARQC xor (ARC || '00' x 6)] (ARC $arc)", (t) => {
    expect(toHex(arpcMethod1(c, fromHex(t.sessionKey), fromHex(t.arqc), fromHex(t.arc)))).toBe(t.arpc);
  });

  it("the card accepts tag 91 = ARPC || ARC and reads the ARC back (Book 3, 6.5.4)", () => {
    const t = v.arpcMethod1[0];
    const iad = issuerAuthenticationDataMethod1(fromHex(t.arpc), fromHex(t.arc));
    const r = verifyIssuerAuthentication(c, 1, fromHex(t.sessionKey), fromHex(t.arqc), iad);
    expect(r.ok && r.method === 1 && toHex(r.arc)).toBe(t.arc);
  });

  it("the card refuses an ARPC for another ARC, and issuer authentication data of the wrong length", () => {
    const t = v.arpcMethod1[0];
    const forged = issuerAuthenticationDataMethod1(fromHex(t.arpc), fromHex("3030"));
    expect(verifyIssuerAuthentication(c, 1, fromHex(t.sessionKey), fromHex(t.arqc), forged)).toEqual({ ok: false, reason: "arpc-mismatch" });
    expect(verifyIssuerAuthentication(c, 1, fromHex(t.sessionKey), fromHex(t.arqc), new Uint8Array(9))).toEqual({ ok: false, reason: "length" });
  });

  it("refuses an ARC that is not 2 bytes and an ARQC that is not 8", () => {
    const t = v.arpcMethod1[0];
    expect(() => arpcMethod1(c, fromHex(t.sessionKey), fromHex(t.arqc), fromHex("00"))).toThrow(EmvCryptoError);
    expect(() => arpcMethod1(c, fromHex(t.sessionKey), fromHex("1234"), fromHex("0000"))).toThrow(/ARQC/);
  });
});

describe("EMV Book 2, A1.2.2: ARPC method 2", () => {
  it.each(v.arpcMethod2 as any[])("ARPC = leftmost 4 bytes of MAC(SK)[ARQC || CSU || proprietary data] (CSU $csu)", (t) => {
    expect(toHex(arpcMethod2(c, fromHex(t.sessionKey), fromHex(t.arqc), fromHex(t.csu), fromHex(t.proprietaryData)))).toBe(t.arpc);
  });

  it("the card accepts tag 91 = ARPC || CSU and reads the CSU back", () => {
    const t = v.arpcMethod2[0];
    const iad = issuerAuthenticationDataMethod2(fromHex(t.arpc), fromHex(t.csu));
    const r = verifyIssuerAuthentication(c, 2, fromHex(t.sessionKey), fromHex(t.arqc), iad);
    expect(r.ok && r.method === 2 && toHex(r.csu)).toBe(t.csu);
  });

  it("the card refuses a CSU changed after the ARPC was computed", () => {
    const t = v.arpcMethod2[0];
    const iad = issuerAuthenticationDataMethod2(fromHex(t.arpc), fromHex("00800000"));
    expect(verifyIssuerAuthentication(c, 2, fromHex(t.sessionKey), fromHex(t.arqc), iad).ok).toBe(false);
  });

  it("refuses proprietary authentication data over 8 bytes", () => {
    const t = v.arpcMethod2[0];
    expect(() => arpcMethod2(c, fromHex(t.sessionKey), fromHex(t.arqc), fromHex(t.csu), new Uint8Array(9))).toThrow(EmvCryptoError);
  });
});

describe("Card Status Update (Book 3 CCD): bit layout", () => {
  it("byte 2 b8 approves, b6 blocks the application, b5 with byte 1 b4-b1 sets the PIN Try Counter", () => {
    expect(toHex(encodeCardStatusUpdate({ approveOnline: true }))).toBe("00800000");
    expect(toHex(encodeCardStatusUpdate({ applicationBlock: true }))).toBe("00200000");
    expect(toHex(encodeCardStatusUpdate({ updatePinTryCounter: true, pinTryCounter: 3 }))).toBe("03100000");
    expect(decodeCardStatusUpdate(fromHex("83940000"))).toMatchObject({
      proprietaryDataIncluded: true, pinTryCounter: 3, approveOnline: true, updatePinTryCounter: true, createdByProxy: true,
    });
  });
});
