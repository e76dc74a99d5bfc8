// The simulator's virtual cards: profiles, chip applets behind the virtual ICC, magnetic stripes,
// and the test CA keys and revocation list a terminal needs to accept them.

import type { RandomSource } from "../../hal/random";
import { InputError } from "../../kernel/errors";
import type { IccApplet } from "../icc/applet";
import { EmvCardApplet } from "./emv-applet";
import { magneticStripe, type MagneticStripe } from "./magstripe";
import { MuteApplet } from "./mute-applet";
import { personalize } from "./personalization";
import { cardProfiles, findCardProfile, type CardProfile } from "./profiles";

export { cardProfiles, findCardProfile, CARD_PROFILE_IDS, CVM, CVM_APPLY_NEXT, CVM_CONDITION } from "./profiles";
export type { CardProfile, CardProfileId, CardInterface, ChipApplication, CvmRule, Scheme } from "./profiles";
export { EmvCardApplet } from "./emv-applet";
export type { EmvAppletOptions } from "./emv-applet";
export { MuteApplet, isMuteApplet } from "./mute-applet";
export { personalize, PSE_NAME } from "./personalization";
export type { IccImage } from "./personalization";
export { SIM_CAPK_FILE, SIM_CRL_FILE, simIssuerKeys, simCaKeys, simIccKey } from "./keys";
export type { IssuerKeys, IssuerKeyId } from "./keys";
export { magneticStripe } from "./magstripe";
export type { MagneticStripe } from "./magstripe";

/** The PIN of every test card. */
export const TEST_CARD_PIN = "1234";

export interface VirtualCard {
  profile: CardProfile;
  /** The chip: absent for a stripe-only card, a MuteApplet for a broken chip. */
  applet?: IccApplet;
  magstripe?: MagneticStripe;
  pin: string;
}

/** An unknown card profile id (code "unknown-card"). */
export class UnknownCardError extends InputError {
  constructor(id: string) {
    super("unknown-card", `no card profile "${id}" (known: ${cardProfiles.map((p) => p.id).join(", ")})`);
    this.name = "UnknownCardError";
  }
}

/** A fresh card (ATC, PIN Try Counter and blocks as personalized) of the profile `id`. */
export function createCard(id: string, options: { random?: RandomSource } = {}): VirtualCard {
  const profile = findCardProfile(id);
  if (!profile) throw new UnknownCardError(id);
  const card: VirtualCard = { profile, pin: TEST_CARD_PIN };
  if (profile.chip === "emv") card.applet = new EmvCardApplet(personalize(profile), { random: options.random, pin: TEST_CARD_PIN });
  else if (profile.chip === "mute") card.applet = new MuteApplet();
  if (profile.interfaces.includes("magstripe")) card.magstripe = magneticStripe(profile);
  return card;
}
