import type { VirtualCard } from "../../host-sim/magstripe/virtual-head";

/** A three-track card on the Visa test PAN (service code 101: magnetic stripe only). */
export const STRIPE_CARD: Required<Omit<VirtualCard, "damage">> = {
  track1: "%B4111111111111111^DOE/JOHN^28121010000000000000?",
  track2: ";4111111111111111=28121010000000000000?",
  track3: ";014111111111111111==978212345678901=?",
};

/** A chip card (service code 201) on the Mastercard test PAN, tracks 1 and 2. */
export const CHIP_CARD: VirtualCard = {
  track1: "%B5555555555554444^SMITH/ANA^29052010000012300000?",
  track2: ";5555555555554444=29052010000012300000?",
};
