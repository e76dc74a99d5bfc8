// The issuer's card database: one account per issued card, made when the simulator's cards are
// issued (host-sim/cards/profiles.ts). It holds what a real issuer holds: PAN, PAN Sequence Number,
// expiry, which issuer keys the card was personalized under, the ARPC method the card expects, the
// Visa PVV of its PIN (never the PIN) and the host's own count of wrong online PINs.

import type { CryptoProvider } from "../../kernel/crypto";
import { cardProfiles, simIssuerKeys, TEST_CARD_PIN, type CardProfile, type IssuerKeys } from "../cards";
import { visaPvv } from "./pvv";

/** The PVKI written in the cards' discretionary data (host-sim/cards/personalization.ts). */
export const PVKI = 1;

export interface CardAccount {
  profile: CardProfile;
  pan: string;
  panSequenceNumber: string;
  /** YYMMDD. */
  expiry: string;
  keys: IssuerKeys;
  arpcMethod: 1 | 2;
  pvv: string;
  wrongPins: number;
}

/** ISO 8583 field 39 practice: three wrong online PINs in a row, and the host refuses PINs ("75"). */
export const ONLINE_PIN_TRY_LIMIT = 3;

export function issueAccounts(c: CryptoProvider, profiles: readonly CardProfile[] = cardProfiles): Map<string, CardAccount> {
  const accounts = new Map<string, CardAccount>();
  const pin = Uint8Array.from(TEST_CARD_PIN, (ch) => ch.charCodeAt(0));
  for (const profile of profiles) {
    const keyId = profile.application?.issuerKeys ?? (profile.scheme === "mastercard" ? "mastercard" : profile.scheme === "amex" ? "amex" : "visa");
    const keys = simIssuerKeys(keyId);
    accounts.set(profile.pan, {
      profile,
      pan: profile.pan,
      panSequenceNumber: profile.panSequenceNumber,
      expiry: profile.expiry,
      keys,
      arpcMethod: profile.application?.arpcMethod ?? 1,
      pvv: visaPvv(c, keys.pvk, profile.pan, PVKI, pin),
      wrongPins: 0,
    });
  }
  pin.fill(0);
  return accounts;
}
