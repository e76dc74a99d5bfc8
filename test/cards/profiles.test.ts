import { luhnCheckDigit } from "../../kernel/magstripe";
import { CARD_PROFILE_IDS, cardProfiles, createCard, isMuteApplet, UnknownCardError, EmvCardApplet, TEST_CARD_PIN } from "../../host-sim/cards";

describe("virtual card profiles (issue 6, item 3)", () => {
  it("has exactly the issue's profile ids", () => {
    expect(cardProfiles.map((p) => p.id).sort()).toEqual([
      "amex-online-pin", "chip-broken", "chip-magstripe-201", "expired", "magstripe-only", "mc-cda-offline-pin",
      "mc-dda", "pin-blocked", "revoked-issuer-cert", "visa-cda", "visa-sda",
    ]);
    expect([...CARD_PROFILE_IDS].sort()).toEqual(cardProfiles.map((p) => p.id).sort());
  });

  it.each(cardProfiles.map((p) => [p.id, p.pan]))("%s: the PAN %s carries a valid Luhn check digit (ISO/IEC 7812-1, Annex B)", (_id, pan) => {
    expect(String(luhnCheckDigit(pan.slice(0, -1)))).toBe(pan.slice(-1));
  });

  it("the test card PIN is 1234", () => {
    expect(TEST_CARD_PIN).toBe("1234");
    for (const id of CARD_PROFILE_IDS) expect(createCard(id).pin).toBe("1234");
  });

  it("magstripe-only has a stripe (service code 101) and no chip", () => {
    const card = createCard("magstripe-only");
    expect(card.applet).toBeUndefined();
    expect(card.magstripe!.track2).toMatch(/^;4012888888881881=\d{4}101\d*\?$/);
    expect(card.magstripe!.track1).toMatch(/^%B4012888888881881\^VISA TEST\/CARD\^\d{4}101\d*\?$/);
  });

  it("chip-broken has a mute chip and a stripe with service code 201 (fallback is allowed)", () => {
    const card = createCard("chip-broken");
    expect(card.applet && isMuteApplet(card.applet)).toBe(true);
    expect(card.magstripe!.track2).toMatch(/=\d{4}201/);
  });

  it("chip-magstripe-201 has a working chip and a stripe with service code 201 (ISO/IEC 7813: 2 = chip present)", () => {
    const card = createCard("chip-magstripe-201");
    expect(card.applet).toBeInstanceOf(EmvCardApplet);
    expect(card.magstripe!.track2).toMatch(/^;4761739001010069=3012201/);
  });

  it("every other profile has a working EMV chip", () => {
    for (const p of cardProfiles.filter((x) => !["chip-broken", "magstripe-only"].includes(x.id))) {
      expect(createCard(p.id).applet).toBeInstanceOf(EmvCardApplet);
    }
  });

  it("an unknown id is a typed input error", () => {
    expect(() => createCard("visa-gold")).toThrow(UnknownCardError);
  });
});
