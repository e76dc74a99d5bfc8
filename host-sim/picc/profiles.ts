import { findCardProfile, type CardProfile, type ChipApplication } from "../cards";

// The contactless side of the simulator's cards and phones. A card profile of host-sim/cards with
// the "contactless" interface gets a contactless applet here, personalized from the same PAN,
// dates, issuer keys and ICC key (host-sim/picc/personalization.ts); the two phone wallets carry a
// payment token of their own (a token PAN on a token BIN, keyed by the same issuer) and verify
// their owner on the device (CDCVM). Contactless parameters are the issuer's choices for the
// contactless interface (EMV Contactless Books C-2 and C-3 leave them to the issuer).

export type ContactlessKernelId = 2 | 3;

export interface ContactlessProfile {
  id: string;
  description: string;
  formFactor: "card" | "phone";
  kernel: ContactlessKernelId;
  /** The card data: a host-sim/cards profile, or a wallet's token profile of the same shape. */
  card: CardProfile;
  /** ISO/IEC 14443 type. */
  technology: "A" | "B";
  /** Contactless offline spending limit of the card's own risk management, minor units. */
  offlineLimitMinor: number;
  /** The device verifies its owner (a phone): CDCVM. */
  cdcvm: boolean;
  /** Kernel 3: the card signs fDDA when it approves offline. Kernel 2: CDA. */
  odaKey?: string;
  /** TA(1) of the ATS: the bit rates the chip can do. */
  bitRates: number;
  /** Frame waiting integer of the ATS. */
  fwi: number;
}

/** Mastercard token CVM list: none needed for a phone (on-device CVM). The token has its own ICC key pair. */
const TOKEN_MC: ChipApplication = {
  aid: "A0000000041010", label: "MASTERCARD", preferredName: "MASTERCARD", priority: 1,
  issuerKeys: "mastercard", iccKey: "mc-wallet", oda: "cda", issuerCertificateSerial: "0B2C02",
  responseFormat: 2, arpcMethod: 2, issuerAuthentication: "second-generate-ac",
  cvmList: [], iacDenial: "0000000000", iacOnline: "F45084800C", iacDefault: "F45084800C",
  applicationVersion: "0002", offlineLimitMinor: 0, pinTryLimit: 3, pinTryCounter: 3,
};

const TOKEN_VISA: ChipApplication = {
  aid: "A0000000031010", label: "VISA", preferredName: "VISA", priority: 1,
  issuerKeys: "visa", oda: "none", issuerCertificateSerial: "0A1B02",
  responseFormat: 2, arpcMethod: 1, issuerAuthentication: "external-authenticate",
  cvmList: [], iacDenial: "0000000000", iacOnline: "0000000000", iacDefault: "0000000000",
  applicationVersion: "0096", offlineLimitMinor: 0, pinTryLimit: 3, pinTryCounter: 3,
};

const walletCard = (id: string, scheme: "visa" | "mastercard", pan: string, application: ChipApplication): CardProfile =>
  ({
    // A wallet is not one of host-sim/cards' profiles; its token profile has the same shape.
    id: id as CardProfile["id"],
    description: `${scheme} token in a phone wallet`,
    scheme, interfaces: ["contactless"], chip: "emv", pan, panSequenceNumber: "00",
    expiry: "291130", effective: "240101", cardholderName: "", serviceCode: "201",
    issuerCountry: "0840", currency: "0840", application,
  });

function card(id: string): CardProfile {
  const p = findCardProfile(id);
  if (!p) throw new Error(`host-sim/cards has no profile ${id}`);
  return p;
}

export const contactlessProfiles: readonly ContactlessProfile[] = [
  {
    id: "visa-cda", description: "Visa credit card, qVSDC with fDDA, approves offline up to 50.00",
    formFactor: "card", kernel: 3, card: card("visa-cda"), technology: "A", offlineLimitMinor: 5000, cdcvm: false,
    odaKey: "visa-cda", bitRates: 0x33, fwi: 8,
  },
  {
    id: "mc-cda-offline-pin", description: "Mastercard card, M/Chip with CDA, approves offline up to 100.00",
    formFactor: "card", kernel: 2, card: card("mc-cda-offline-pin"), technology: "A", offlineLimitMinor: 10000, cdcvm: false,
    odaKey: "mc-cda-offline-pin", bitRates: 0x33, fwi: 8,
  },
  {
    id: "visa-wallet", description: "Visa token in a phone: always online, CDCVM on the phone",
    formFactor: "phone", kernel: 3, card: walletCard("visa-wallet", "visa", "4895370001010013", TOKEN_VISA),
    technology: "A", offlineLimitMinor: 0, cdcvm: true, bitRates: 0x00, fwi: 8,
  },
  {
    id: "mc-wallet", description: "Mastercard token in a phone: CDA, CDCVM on the phone (on-device CVM)",
    formFactor: "phone", kernel: 2, card: walletCard("mc-wallet", "mastercard", "5223450001010013", TOKEN_MC),
    technology: "A", offlineLimitMinor: 0, cdcvm: true, odaKey: "mc-wallet", bitRates: 0x00, fwi: 8,
  },
];

export function findContactlessProfile(id: string): ContactlessProfile | undefined {
  return contactlessProfiles.find((p) => p.id === id);
}

/** The wallets' token profiles, for the issuer host's accounts. */
export function walletCardProfiles(): CardProfile[] {
  return contactlessProfiles.filter((p) => p.formFactor === "phone").map((p) => p.card);
}
