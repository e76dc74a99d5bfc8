import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { transactionDataHashInput, verifyCombinedSignature, verifyDynamicSignature } from "../../kernel/emv/oda";
import { PUBLISHED } from "../cards/support/published-oda-vectors";
import { sha1Hex, signedDynamicData, simKey } from "../cards/support/book2-signer";

const mcIcc = { modulus: fromHex(PUBLISHED.mcIccModulus), exponent: fromHex("03") };
const UN = fromHex("8B55633B");

describe("EMV Book 2, 6.5: Dynamic Data Authentication", () => {
  it("verifies the Mastercard test card's signature over the Unpredictable Number (published)", () => {
    const r = verifyDynamicSignature(c, mcIcc, fromHex(PUBLISHED.mcSignedDynamicData), UN);
    expect(r.ok && toHex(r.iccDynamicNumber)).toBe("537EB5E03CC433C8");
  });

  it("step 7: other terminal dynamic data fails the hash", () => {
    expect(verifyDynamicSignature(c, mcIcc, fromHex(PUBLISHED.mcSignedDynamicData), fromHex("8B55633C")))
      .toEqual({ ok: false, reason: "hash-mismatch" });
  });

  it("step 2: a corrupted signature does not recover to a 'BC' trailer", () => {
    const sdad = fromHex(PUBLISHED.mcSignedDynamicData);
    sdad[95] ^= 1;
    expect(verifyDynamicSignature(c, mcIcc, sdad, UN)).toEqual({ ok: false, reason: "recovery-trailer" });
  });

  const icc = simKey("iccs", "mc-dda");
  const iccKey = { modulus: fromHex(icc.modulus), exponent: fromHex(icc.exponent) };

  it("the ICC Dynamic Number is 2 to 8 bytes; a longer length byte is refused", () => {
    const ok = signedDynamicData(icc, "0411223344", "01020304");
    expect(verifyDynamicSignature(c, iccKey, fromHex(ok), fromHex("01020304"))).toMatchObject({ ok: true });
    const bad = signedDynamicData(icc, "09112233445566778899", "01020304");
    expect(verifyDynamicSignature(c, iccKey, fromHex(bad), fromHex("01020304"))).toEqual({ ok: false, reason: "dynamic-data" });
  });
});

describe("EMV Book 2, 6.6: Combined DDA / Application Cryptogram Generation", () => {
  it("published signature: CID '00' and AAC 55B6408DBC985131 recovered; the hash code needs the PDOL/CDOL data", () => {
    const base = {
      iccKey: mcIcc, sdad: fromHex(PUBLISHED.mcSignedDynamicData), unpredictableNumber: UN,
      pdolData: new Uint8Array(0), cdol1Data: new Uint8Array(0), responseWithoutSdad: new Uint8Array(0),
    };
    // step 5: the CID inside the signature must equal the CID of the response
    expect(verifyCombinedSignature(c, { ...base, cid: 0x80 })).toEqual({ ok: false, reason: "cid-mismatch" });
    // steps 9-11: without the transaction data the published hash code cannot match
    expect(verifyCombinedSignature(c, { ...base, cid: 0x00 })).toEqual({ ok: false, reason: "transaction-data-hash" });
  });

  const icc = simKey("iccs", "visa-cda");
  const iccKey = { modulus: fromHex(icc.modulus), exponent: fromHex(icc.exponent) };
  const pdol = "0000000012340840";
  const cdol1 = "0000000012340000000000000840000000000008402505060012345678";
  const response = "9F2701809F360200079F100706010A03A00000";
  const arqc = "1122334455667788";

  function signCda(cid: string, tdhcInput: string[]): string {
    const dynamic = "08" + "A1A2A3A4A5A6A7A8" + cid + arqc + sha1Hex(...tdhcInput);
    return signedDynamicData(icc, dynamic, "12345678");
  }
  const input = (sdad: string, over: object = {}) => ({
    iccKey, sdad: fromHex(sdad), unpredictableNumber: fromHex("12345678"), cid: 0x80,
    pdolData: fromHex(pdol), cdol1Data: fromHex(cdol1), responseWithoutSdad: fromHex(response), ...over,
  });

  it("6.6.1: the hash code covers PDOL data || CDOL1 data || the response objects except 9F4B", () => {
    expect(toHex(transactionDataHashInput(input("")))).toBe(pdol + cdol1 + response);
    const r = verifyCombinedSignature(c, input(signCda("80", [pdol, cdol1, response])));
    expect(r.ok && toHex(r.cryptogram)).toBe(arqc);
    expect(r.ok && toHex(r.iccDynamicNumber)).toBe("A1A2A3A4A5A6A7A8");
  });

  it("second GENERATE AC: CDOL2 data joins the hash code input after CDOL1", () => {
    const cdol2 = "3030" + "0000000000";
    const r = verifyCombinedSignature(c, input(signCda("40", [pdol, cdol1, cdol2, response]), { cid: 0x40, cdol2Data: fromHex(cdol2) }));
    expect(r.ok).toBe(true);
  });

  it("steps 9-11: an amount changed in the CDOL1 data after signing fails the hash code", () => {
    const sdad = signCda("80", [pdol, cdol1, response]);
    const changed = fromHex(cdol1);
    changed[5] ^= 1;
    expect(verifyCombinedSignature(c, input(sdad, { cdol1Data: changed }))).toEqual({ ok: false, reason: "transaction-data-hash" });
  });

  it("step 7: a signature over another Unpredictable Number fails", () => {
    const sdad = signCda("80", [pdol, cdol1, response]);
    expect(verifyCombinedSignature(c, input(sdad, { unpredictableNumber: fromHex("12345679") })))
      .toEqual({ ok: false, reason: "hash-mismatch" });
  });
});
