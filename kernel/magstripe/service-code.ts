import { MagstripeError } from "./errors";

// The service code of tracks 1 and 2 (ISO/IEC 7813, service code; the same three digits as EMV
// tag 5F30): what the card may be used for, and whether it carries a chip.
//
// Digit 1, interchange and technology:
//   1 international, 2 international with an integrated circuit, 5 national only, 6 national
//   with an integrated circuit, 7 private (no interchange without an agreement), 9 test card.
// Digit 2, authorization processing:
//   0 normal, 2 by the issuer (online), 4 by the issuer unless a bilateral agreement applies.
// Digit 3, range of services and PIN requirement:
//   0 no restrictions, PIN required; 1 no restrictions; 2 goods and services only; 3 ATM only,
//   PIN required; 4 cash only; 5 goods and services only, PIN required; 6 no restrictions, PIN
//   if a PIN pad is present; 7 goods and services only, PIN if a PIN pad is present.

export interface ServiceCode {
  code: string;
  interchange: "international" | "national" | "private" | "test" | "reserved";
  /** Digit 1 is 2 or 6: the card has a chip that the terminal shall use where it can. */
  chipCard: boolean;
  authorization: "normal" | "online" | "online-unless-agreement" | "reserved";
  services: "any" | "goods-and-services" | "atm" | "cash" | "reserved";
  pin: "required" | "if-pin-pad" | "none" | "reserved";
}

/** Interprets a three-digit service code. */
export function parseServiceCode(code: string): ServiceCode {
  if (code.length !== 3 || !/^[0-9]{3}$/.test(code)) {
    throw new MagstripeError("magstripe-format", "a service code is three digits (ISO/IEC 7813)");
  }
  const d1 = code.charCodeAt(0) - 0x30;
  const d2 = code.charCodeAt(1) - 0x30;
  const d3 = code.charCodeAt(2) - 0x30;
  const interchange = d1 === 1 || d1 === 2 ? "international" : d1 === 5 || d1 === 6 ? "national"
    : d1 === 7 ? "private" : d1 === 9 ? "test" : "reserved";
  const authorization = d2 === 0 ? "normal" : d2 === 2 ? "online" : d2 === 4 ? "online-unless-agreement" : "reserved";
  const services = d3 === 0 || d3 === 1 || d3 === 6 ? "any" : d3 === 2 || d3 === 5 || d3 === 7 ? "goods-and-services"
    : d3 === 3 ? "atm" : d3 === 4 ? "cash" : "reserved";
  const pin = d3 === 0 || d3 === 3 || d3 === 5 ? "required" : d3 === 6 || d3 === 7 ? "if-pin-pad"
    : d3 === 1 || d3 === 2 || d3 === 4 ? "none" : "reserved";
  return { code, interchange, chipCard: d1 === 2 || d1 === 6, authorization, services, pin };
}

/** What the reader does with a swipe, by its service code (see `swipeDecision`). */
export type SwipeDecision =
  /** A chip card whose chip has not failed: insert the card instead. Nothing of the swipe is used. */
  | { kind: "use-chip" }
  /** Use the swipe; `fallback` when it stands in for a chip that failed on this card. */
  | { kind: "read"; fallback: boolean };

/**
 * The chip-first rule: a service code whose first digit is 2 or 6 means the card has a chip, so
 * the reader asks for the chip instead of accepting the swipe, unless chip reading has already
 * failed on this card; then the swipe is accepted as a fallback transaction and flagged so (the
 * acquirer sees it as technical fallback). A card without a service code is treated as having
 * no chip: nothing on the stripe says otherwise.
 */
export function swipeDecision(serviceCode: string | null, chipFailed: boolean): SwipeDecision {
  const chipCard = serviceCode !== null && parseServiceCode(serviceCode).chipCard;
  if (!chipCard) return { kind: "read", fallback: false };
  return chipFailed ? { kind: "read", fallback: true } : { kind: "use-chip" };
}
