import { fromHex, toHex } from "../../kernel/bytes";
import { softwareCrypto as c } from "../../kernel/crypto";
import { encipherOfflinePin } from "../../kernel/emv/oda";
import { createCard, simIccKey } from "../../host-sim/cards";
import { apdu, readApplication, send, value } from "./support/card-terminal";

const BLOCK_1234 = fromHex("241234FFFFFFFFFF");
const BLOCK_0000 = fromHex("240000FFFFFFFFFF");
const seeded = { fill: (b: Uint8Array) => b.fill(0x77) };

function ready(id: string) {
  const card = createCard(id);
  readApplication(card.applet!, card.profile.scheme === "mastercard" ? "A0000000041010" : "A0000000031010");
  return card.applet!;
}
const verifyPlain = (applet: ReturnType<typeof ready>, block: Uint8Array) => send(applet, apdu(0x00, 0x20, 0x00, 0x80, block)).sw;
const ptc = (applet: ReturnType<typeof ready>) => toHex(value(send(applet, apdu(0x80, 0xca, 0x9f, 0x17, undefined, 0)).tlv, "9F17")!);

describe("virtual card: offline plaintext PIN (Book 3, 6.5.12)", () => {
  it("the right PIN is '9000'", () => {
    expect(verifyPlain(ready("mc-cda-offline-pin"), BLOCK_1234)).toBe(0x9000);
  });

  it("each wrong PIN is '63Cx' with x tries left; at 0 the PIN is blocked ('6983') even for the right PIN", () => {
    const applet = ready("mc-cda-offline-pin");
    expect(ptc(applet)).toBe("03");
    expect(verifyPlain(applet, BLOCK_0000)).toBe(0x63c2);
    expect(verifyPlain(applet, BLOCK_0000)).toBe(0x63c1);
    expect(verifyPlain(applet, BLOCK_0000)).toBe(0x63c0);
    expect(ptc(applet)).toBe("00");
    expect(verifyPlain(applet, BLOCK_1234)).toBe(0x6983);
  });

  it("the right PIN restores the PIN Try Counter to the limit", () => {
    const applet = ready("mc-cda-offline-pin");
    verifyPlain(applet, BLOCK_0000);
    expect(ptc(applet)).toBe("02");
    verifyPlain(applet, BLOCK_1234);
    expect(ptc(applet)).toBe("03");
  });

  it("pin-blocked: GET DATA 9F17 is 0 and VERIFY answers '6983'", () => {
    const applet = ready("pin-blocked");
    expect(ptc(applet)).toBe("00");
    expect(verifyPlain(applet, BLOCK_1234)).toBe(0x6983);
  });

  it("a block that is not a well-formed format 2 block counts as a wrong PIN", () => {
    expect(verifyPlain(ready("mc-cda-offline-pin"), fromHex("141234FFFFFFFFFF"))).toBe(0x63c2);
    expect(verifyPlain(ready("mc-cda-offline-pin"), fromHex("2412340FFFFFFFFF"))).toBe(0x63c2);
  });

  it("the PIN Try Counter survives a reset (it is the card's, not the transaction's)", () => {
    const card = createCard("mc-cda-offline-pin");
    readApplication(card.applet!, "A0000000041010");
    verifyPlain(card.applet!, BLOCK_0000);
    card.applet!.reset("cold");
    readApplication(card.applet!, "A0000000041010");
    expect(ptc(card.applet!)).toBe("02");
  });
});

describe("virtual card: offline enciphered PIN (Book 2, 7.2; GET CHALLENGE, Book 3, 6.5.6)", () => {
  const key = simIccKey("mc-cda-offline-pin");
  const pub = { modulus: key.modulus, exponent: key.exponent };

  function challenge(applet: ReturnType<typeof ready>): Uint8Array {
    const r = send(applet, apdu(0x00, 0x84, 0x00, 0x00, undefined, 0));
    expect(r.sw).toBe(0x9000);
    expect(r.data.length).toBe(8);
    return r.data;
  }
  const verifyEnc = (applet: ReturnType<typeof ready>, data: Uint8Array) => send(applet, apdu(0x00, 0x20, 0x00, 0x88, data)).sw;

  it("the PIN enciphered with the ICC public key and the card's challenge is accepted", () => {
    const applet = ready("mc-cda-offline-pin");
    const un = challenge(applet);
    expect(verifyEnc(applet, encipherOfflinePin(c, pub, BLOCK_1234, un, seeded))).toBe(0x9000);
  });

  it("a wrong enciphered PIN counts against the PIN Try Counter", () => {
    const applet = ready("mc-cda-offline-pin");
    const un = challenge(applet);
    expect(verifyEnc(applet, encipherOfflinePin(c, pub, BLOCK_0000, un, seeded))).toBe(0x63c2);
  });

  it("a replayed encipherment (old challenge) and one without GET CHALLENGE are refused ('6985')", () => {
    const applet = ready("mc-cda-offline-pin");
    const un = challenge(applet);
    const data = encipherOfflinePin(c, pub, BLOCK_1234, un, seeded);
    expect(verifyEnc(applet, data)).toBe(0x9000);
    expect(verifyEnc(applet, data)).toBe(0x6985);
    challenge(applet);
    expect(verifyEnc(applet, data)).toBe(0x6985);
  });

  it("enciphered under another key: the recovered header is not '7F', refused", () => {
    const applet = ready("mc-cda-offline-pin");
    const un = challenge(applet);
    const other = simIccKey("mc-dda");
    expect(verifyEnc(applet, encipherOfflinePin(c, { modulus: other.modulus, exponent: other.exponent }, BLOCK_1234, un, seeded))).toBe(0x6985);
  });

  it("VERIFY before GET PROCESSING OPTIONS is '6985'; P2 other than 80/88 is '6A86'", () => {
    const card = createCard("mc-cda-offline-pin");
    send(card.applet!, apdu(0x00, 0xa4, 0x04, 0x00, fromHex("A0000000041010"), 0));
    expect(verifyPlain(card.applet!, BLOCK_1234)).toBe(0x6985);
    expect(send(card.applet!, apdu(0x00, 0x20, 0x00, 0x81, BLOCK_1234)).sw).toBe(0x6a86);
  });
});
