import type { CardInterface, Prompt } from "../../kernel/protocol";

// The mix of the soak on the device's firmware (`mpos soak --firmware`): what a phone and its
// cardholders do at one reader over a day, each kind a payment the phone starts over BLE with the
// card the cardholder then presents and what they do at the reader's prompts. Cards are the
// simulator's (host-sim/cards, host-sim/picc); the test card PIN is 1234. Like the kernel soak's
// mix (mix.ts), the kinds cycle in a fixed order weighted by `weight` (soakSchedule), so a run of N
// transactions is the same on XS and on Node.

export interface FirmwareSoakKind {
  name: string;
  weight: number;
  /** Amount in minor units (below or above the cards' offline and contactless limits). */
  amount: number;
  cardInterface: CardInterface;
  /** The card presented (absent: none comes, the reader times out waiting for it). */
  card?: string;
  /** PINs the cardholder types at each PIN prompt, in order (none: the PIN pad times out). */
  pins?: string[];
  /** The phone cancels the payment at this prompt. */
  cancelAt?: Prompt;
  /** The cardholder pulls the card out at this prompt. */
  removeAt?: Prompt;
}

export const FIRMWARE_SOAK_MIX: readonly FirmwareSoakKind[] = [
  // Contact: CDA with online PIN, online approval with ARPC.
  { name: "contact online-pin", weight: 3, amount: 1234, cardInterface: "contact", card: "visa-cda", pins: ["1234"] },
  // Contact: SDA, signature.
  { name: "contact signature", weight: 1, amount: 2500, cardInterface: "contact", card: "visa-sda" },
  // Contact: offline enciphered PIN; approved offline or online as the terminal's risk management draws.
  { name: "contact offline-pin", weight: 2, amount: 4000, cardInterface: "contact", card: "mc-cda-offline-pin", pins: ["1234"] },
  // Contact: an expired card, declined offline.
  { name: "contact declined", weight: 1, amount: 1500, cardInterface: "contact", card: "expired", pins: ["1234"] },
  // Contact: the issuer declines the amount online.
  { name: "contact online-declined", weight: 1, amount: 100000, cardInterface: "contact", card: "visa-cda", pins: ["1234"] },
  // Contact: the phone cancels during PIN entry.
  { name: "contact cancelled", weight: 1, amount: 990, cardInterface: "contact", card: "visa-cda", cancelAt: "enterPin" },
  // Contact: the cardholder pulls the card while the reader is online: the issuer's approval is reversed.
  { name: "contact card pulled", weight: 1, amount: 1234, cardInterface: "contact", card: "visa-cda", pins: ["1234"], removeAt: "pleaseWait" },
  // Contact: the cardholder never inserts the card: the reader times out.
  { name: "contact timeout", weight: 1, amount: 500, cardInterface: "contact" },
  // Contactless: qVSDC card, offline approval under the limit.
  { name: "contactless card", weight: 3, amount: 1200, cardInterface: "contactless", card: "visa-cda" },
  // Contactless: a phone wallet, online with CDCVM.
  { name: "contactless wallet", weight: 2, amount: 8800, cardInterface: "contactless", card: "visa-wallet" },
  // Contactless: Mastercard kernel 2.
  { name: "contactless mastercard", weight: 1, amount: 3000, cardInterface: "contactless", card: "mc-cda-offline-pin" },
  // Magnetic stripe: a stripe-only card, online.
  { name: "magstripe", weight: 2, amount: 2000, cardInterface: "magstripe", card: "magstripe-only" },
  // Magnetic stripe: a chip card swiped (ISO/IEC 7813 service code 2xx): the reader refuses the stripe.
  { name: "magstripe chip-card", weight: 1, amount: 700, cardInterface: "magstripe", card: "chip-magstripe-201" },
];
