import type { Clock } from "../../hal/clock";
import type { BitRateKbps, NfcController, RfTechnology } from "../../hal/nfc-controller";
import type { ApduTransport } from "../iso7816/apdu";
import { HostPcd } from "./polling";
import { OffloadPcd } from "./offload";

// The proximity coupling device as the Entry Point sees it (EMV Contactless Book B, 3.2 "Protocol
// Activation"; Book D, the PCD's main loop): poll for a card, tell a collision from a single card,
// activate it and give an APDU transport to it; afterwards wait for the card to leave the field.
// Two implementations: HostPcd runs ISO/IEC 14443-3/-4 over a frame-level controller; OffloadPcd
// drives a controller that runs them itself.

/** What the activated card told the PCD, for logs and the tap-time report (no card data). */
export interface ActivatedCard {
  technology: RfTechnology;
  /** UID (Type A) or PUPI (Type B): random for phones, and never card data. */
  identifier: Uint8Array;
  /** The ATS (Type A) or the ATQB (Type B) as received. */
  answer: Uint8Array;
  bitRate: { txKbps: BitRateKbps; rxKbps: BitRateKbps };
}

/** An APDU transport to the activated card that can end the session. */
export interface ContactlessTransport extends ApduTransport {
  /** S(DESELECT): the card goes to HALT; true when it confirmed. */
  deselect(): Promise<boolean>;
}

export type PollResult =
  | { kind: "activated"; card: ActivatedCard; transport: ContactlessTransport }
  /** More than one card in the field (Book D collision detection): "Please present one card only". */
  | { kind: "collision" }
  /** No card came within the time. */
  | { kind: "no-card" };

export interface Pcd {
  /** Field on, polling, collision detection, activation of one card (the field stays on). */
  poll(timeoutMs: number): Promise<PollResult>;
  /** The removal procedure: "removed" once no card answers, "present" while one still does at the end. */
  awaitRemoval(timeoutMs: number): Promise<"removed" | "present">;
  /** Book D: a field reset (off for t_RESET, then on), e.g. before a restart. */
  resetField(): Promise<void>;
  /** Field off. */
  close(): Promise<void>;
}

export interface PcdOptions {
  controller: NfcController;
  clock: Clock;
  /** Leave 106 kbit/s when the card and the controller allow (ISO/IEC 14443-4 PPS, ATTRIB). Default true. */
  highBitRates?: boolean;
}

/** The PCD for a controller: host-run protocol, or the controller's own ISO-DEP engine when it has one. */
export function createPcd(options: PcdOptions): Pcd {
  return options.controller.isoDep ? new OffloadPcd(options) : new HostPcd(options);
}
