import { toHex } from "../../kernel/bytes";
import { cardProfiles, personalize, simIccKey } from "../../host-sim/cards";
import { contactlessImage } from "../../host-sim/picc/personalization";
import { contactlessProfiles, findContactlessProfile } from "../../host-sim/picc/profiles";

// EMV Book 2, 6.1: the ICC private key is the card's own (the ICC Public Key Certificate binds it to
// one PAN). A phone wallet's token is a card of its own: it must not sign with another card's key.

describe("ICC key pairs: one per card (Book 2, 6.1)", () => {
  it("mc-wallet signs with its own ICC key, not mc-dda's", () => {
    const image = contactlessImage(findContactlessProfile("mc-wallet")!);
    expect(toHex(image.iccKey!.modulus)).toBe(toHex(simIccKey("mc-wallet").modulus));
    expect(toHex(image.iccKey!.modulus)).not.toBe(toHex(simIccKey("mc-dda").modulus));
  });

  it("no two PANs of the simulator, contact or contactless, share an ICC key", () => {
    const panOfModulus = new Map<string, string>();
    const images = [
      ...cardProfiles.filter((p) => p.chip === "emv" && p.application?.iccKey !== undefined).map((p) => ({ pan: p.pan, image: personalize(p) })),
      ...contactlessProfiles.filter((p) => p.odaKey !== undefined).map((p) => ({ pan: p.card.pan, image: contactlessImage(p) })),
    ];
    expect(images.length).toBeGreaterThan(8);
    for (const { pan, image } of images) {
      const modulus = toHex(image.iccKey!.modulus);
      expect(panOfModulus.get(modulus) ?? pan).toBe(pan);
      panOfModulus.set(modulus, pan);
    }
  });
});
