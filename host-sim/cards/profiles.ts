// The virtual cards of the simulator, as data. Every chip card is personalized from its profile
// (personalization.ts) with real keys: its issuer's and its own RSA keys from keys/sim-keys.json,
// ICC master keys derived from its issuer's master keys. The test card PIN is 1234.
// PANs are made-up test numbers on the payment systems' test ranges, with valid check digits.

export const CARD_PROFILE_IDS = [
  "visa-cda", "visa-sda", "mc-dda", "mc-cda-offline-pin", "amex-online-pin", "expired", "pin-blocked",
  "revoked-issuer-cert", "chip-broken", "magstripe-only", "chip-magstripe-201",
] as const;
export type CardProfileId = (typeof CARD_PROFILE_IDS)[number];

export type CardInterface = "contact" | "contactless" | "magstripe";
export type Scheme = "visa" | "mastercard" | "amex";
export type OdaMethod = "sda" | "dda" | "cda" | "none";

/** CVM codes, EMV Book 3, Annex C3 (Table 39): the method (b6-b1) of the CVM Code. */
export const CVM = {
  failCvm: 0x00,
  offlinePlaintextPin: 0x01,
  onlinePin: 0x02,
  offlinePlaintextPinAndSignature: 0x03,
  offlineEncipheredPin: 0x04,
  offlineEncipheredPinAndSignature: 0x05,
  signature: 0x1e,
  noCvm: 0x1f,
} as const;
/** Book 3, Annex C3: b7 of the CVM Code, "apply succeeding CV Rule if this CVM is unsuccessful". */
export const CVM_APPLY_NEXT = 0x40;
/** Book 3, Annex C3 (Table 40): CVM Condition Codes used here. */
export const CVM_CONDITION = { always: 0x00, ifTerminalSupports: 0x03 } as const;

export interface CvmRule {
  method: number;
  condition: number;
  applyNext: boolean;
}

export interface ChipApplication {
  aid: string;
  label: string;
  preferredName: string;
  priority: number;
  /** Key ids in keys/sim-keys.json. */
  issuerKeys: "visa" | "visa-revoked" | "mastercard" | "amex";
  iccKey?: string;
  oda: OdaMethod;
  /** Certificate Serial Number of the issuer certificate (Book 2, Table 6). */
  issuerCertificateSerial: string;
  /** Response format of GET PROCESSING OPTIONS and GENERATE AC (Book 3, 6.5.8.4 and 6.5.5.4). */
  responseFormat: 1 | 2;
  /** ARPC method (Book 2, 8.2) and where the card receives it (Book 3, 10.9). */
  arpcMethod: 1 | 2;
  issuerAuthentication: "external-authenticate" | "second-generate-ac";
  pdol?: string;
  cvmList: CvmRule[];
  iacDenial: string;
  iacOnline: string;
  iacDefault: string;
  applicationVersion: string;
  /** The card's own risk limit: a TC is given only up to this amount (minor units), else an ARQC. */
  offlineLimitMinor: number;
  pinTryLimit: number;
  pinTryCounter: number;
}

export interface CardProfile {
  id: CardProfileId;
  description: string;
  scheme: Scheme;
  interfaces: CardInterface[];
  /** "emv": a working chip; "mute": a chip that never answers reset; "none": no chip. */
  chip: "emv" | "mute" | "none";
  pan: string;
  panSequenceNumber: string;
  /** YYMMDD. */
  expiry: string;
  effective: string;
  cardholderName: string;
  serviceCode: string;
  /** ISO 3166 / ISO 4217 numeric, 4 digits as EMV codes them. */
  issuerCountry: string;
  currency: string;
  application?: ChipApplication;
}

const rules = (...list: [number, number, boolean][]): CvmRule[] =>
  list.map(([method, condition, applyNext]) => ({ method, condition, applyNext }));
const S = CVM_CONDITION.ifTerminalSupports;

const VISA = {
  aid: "A0000000031010", label: "VISA CREDIT", preferredName: "VISA CREDIT", priority: 1,
  issuerKeys: "visa" as const, issuerCertificateSerial: "0A1B01",
  responseFormat: 1 as const, arpcMethod: 1 as const, issuerAuthentication: "external-authenticate" as const,
  pdol: "9F1A025F2A02",
  // Visa's usual issuer action codes: decline nothing offline, go online on ODA failure, expiry,
  // online PIN, floor limit and velocity (Book 3, 10.7).
  iacDenial: "0010000000", iacOnline: "DC4004F800", iacDefault: "DC4000A800",
  applicationVersion: "0096", offlineLimitMinor: 0, pinTryLimit: 3, pinTryCounter: 3,
};
const VISA_CVM = rules([CVM.onlinePin, S, true], [CVM.signature, S, true], [CVM.noCvm, S, false]);

const MASTERCARD = {
  aid: "A0000000041010", label: "MASTERCARD", preferredName: "MASTERCARD", priority: 1,
  issuerKeys: "mastercard" as const, issuerCertificateSerial: "0B2C01",
  responseFormat: 2 as const, arpcMethod: 2 as const, issuerAuthentication: "second-generate-ac" as const,
  iacDenial: "0000000000", iacOnline: "F45084800C", iacDefault: "F45084800C",
  applicationVersion: "0002", pinTryLimit: 3, pinTryCounter: 3,
};

const visaChip = (pan: string, extra: Partial<CardProfile> = {}): Omit<CardProfile, "id" | "description" | "application"> => ({
  scheme: "visa", interfaces: ["contact", "magstripe"], chip: "emv", pan, panSequenceNumber: "01",
  expiry: "301231", effective: "200101", cardholderName: "VISA TEST/CARD", serviceCode: "201",
  issuerCountry: "0840", currency: "0840", ...extra,
});

export const cardProfiles: readonly CardProfile[] = [
  {
    id: "visa-cda", description: "Visa credit, CDA, online PIN preferred, online-only card risk",
    ...visaChip("4761739001010010"), interfaces: ["contact", "contactless", "magstripe"],
    application: { ...VISA, iccKey: "visa-cda", oda: "cda", cvmList: VISA_CVM },
  },
  {
    id: "visa-sda", description: "Visa credit, SDA only, signature, approves offline up to 50.00",
    ...visaChip("4761739001010028"),
    application: {
      ...VISA, oda: "sda", offlineLimitMinor: 5000,
      cvmList: rules([CVM.signature, S, true], [CVM.noCvm, S, false]),
    },
  },
  {
    id: "mc-dda", description: "Mastercard, DDA, online PIN, ARPC method 2 in the second GENERATE AC",
    scheme: "mastercard", interfaces: ["contact", "magstripe"], chip: "emv", pan: "5413330089010012", panSequenceNumber: "00",
    expiry: "301231", effective: "200101", cardholderName: "MASTERCARD TEST/CARD", serviceCode: "201",
    issuerCountry: "0840", currency: "0840",
    application: {
      ...MASTERCARD, iccKey: "mc-dda", oda: "dda", offlineLimitMinor: 0,
      cvmList: rules([CVM.onlinePin, S, true], [CVM.signature, S, true], [CVM.noCvm, S, false]),
    },
  },
  {
    id: "mc-cda-offline-pin", description: "Mastercard, CDA, offline enciphered PIN (then plaintext), approves offline up to 100.00",
    scheme: "mastercard", interfaces: ["contact", "contactless", "magstripe"], chip: "emv", pan: "5413330089010020",
    panSequenceNumber: "01", expiry: "301231", effective: "200101", cardholderName: "MASTERCARD TEST/CARD", serviceCode: "201",
    issuerCountry: "0840", currency: "0840",
    application: {
      ...MASTERCARD, iccKey: "mc-cda-offline-pin", oda: "cda", offlineLimitMinor: 10000,
      cvmList: rules(
        [CVM.offlineEncipheredPin, S, true], [CVM.offlinePlaintextPin, S, true], [CVM.onlinePin, S, true],
        [CVM.signature, S, true], [CVM.noCvm, S, false],
      ),
    },
  },
  {
    id: "amex-online-pin", description: "American Express, DDA, online PIN, ICC key exponent 65537",
    scheme: "amex", interfaces: ["contact", "magstripe"], chip: "emv", pan: "374245455400126", panSequenceNumber: "00",
    expiry: "301231", effective: "200101", cardholderName: "AMEX TEST/CARD", serviceCode: "201",
    issuerCountry: "0840", currency: "0840",
    application: {
      aid: "A00000002501", label: "AMERICAN EXPRESS", preferredName: "AMERICAN EXPRESS", priority: 1,
      issuerKeys: "amex", iccKey: "amex-online-pin", issuerCertificateSerial: "0C3D01", oda: "dda",
      responseFormat: 1, arpcMethod: 1, issuerAuthentication: "external-authenticate", pdol: "9F3501",
      iacDenial: "0000000000", iacOnline: "DC4004F800", iacDefault: "DC4000A800",
      applicationVersion: "0001", offlineLimitMinor: 0, pinTryLimit: 3, pinTryCounter: 3,
      cvmList: rules([CVM.onlinePin, S, true], [CVM.signature, S, true], [CVM.noCvm, S, false]),
    },
  },
  {
    id: "expired", description: "Visa credit, CDA, expired 12/2023: its issuer declines expired cards offline",
    ...visaChip("4761739001010036", { expiry: "231231", effective: "190101" }),
    application: { ...VISA, iccKey: "expired", oda: "cda", cvmList: VISA_CVM, iacDenial: "0050000000", iacOnline: "DC0004F800" },
  },
  {
    id: "pin-blocked", description: "Visa credit, CDA, offline PIN first with the PIN Try Counter at 0; declines offline when the PIN is blocked",
    ...visaChip("4761739001010044"),
    application: {
      ...VISA, iccKey: "pin-blocked", oda: "cda", pinTryCounter: 0, iacDenial: "0010200000",
      cvmList: rules([CVM.offlinePlaintextPin, S, true], [CVM.signature, S, true], [CVM.noCvm, S, false]),
    },
  },
  {
    id: "revoked-issuer-cert", description: "Visa credit, CDA, its issuer certificate serial is on the simulator's revocation list",
    ...visaChip("4761739001010051"),
    application: { ...VISA, issuerKeys: "visa-revoked", issuerCertificateSerial: "0A1B66", iccKey: "revoked-issuer-cert", oda: "cda", cvmList: VISA_CVM },
  },
  {
    id: "chip-broken", description: "Visa credit whose chip never answers reset (mute): the terminal falls back to the stripe",
    ...visaChip("4761739001010077"), chip: "mute",
  },
  {
    id: "magstripe-only", description: "Visa magnetic stripe card without a chip, service code 101",
    ...visaChip("4012888888881881"), interfaces: ["magstripe"], chip: "none", serviceCode: "101",
  },
  {
    id: "chip-magstripe-201", description: "Visa chip card, stripe with service code 201: a swipe must ask for the chip",
    ...visaChip("4761739001010069"),
    application: { ...VISA, iccKey: "chip-magstripe-201", oda: "cda", cvmList: VISA_CVM },
  },
];

export function findCardProfile(id: string): CardProfile | undefined {
  return cardProfiles.find((p) => p.id === id);
}
