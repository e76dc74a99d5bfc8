import type { Clock } from "../../hal/clock";
import type { RandomSource } from "../../hal/random";
import type { ContactlessConfig } from "../contactless/config";
import type { OutcomeCvm } from "../contactless/outcome";
import type { ContactlessUi } from "../contactless/ui";
import type { CryptoProvider } from "../crypto";
import type { CardholderInterface } from "../emv/cardholder";
import { reasonCode } from "../emv/contact-card-transaction";
import type { OdaEnvironment } from "../emv/oda-environment";
import type { OnlineAuthorizer } from "../emv/online";
import type { TerminalConfig } from "../emv/terminal-config";
import type { CardDataProtector, P2peEnvelope } from "../security/p2pe";
import type { OnlinePinEncryptor } from "../security/pin-block";
import type { CardInterface } from "./config";
import type { PaymentOutcomeKind } from "./journal-record";

// What the payment state machine hands a card kernel when it starts one (the contact kernel of
// kernel/emv, the contactless Entry Point of kernel/contactless, the swipe of kernel/magstripe), and
// what comes back. The ports lead back into the state machine: a PIN, an application choice or an
// authorization the kernel asks for becomes an event of the machine, and the kernel waits for the
// machine's answer. The kernels are not changed: they see ordinary interfaces.

/** Everything that stays the same from one transaction to the next. */
export interface ReadingEnvironment {
  terminal: TerminalConfig;
  contactless?: ContactlessConfig;
  crypto: CryptoProvider;
  random: RandomSource;
  clock: Clock;
  oda: OdaEnvironment;
  /** The key store: P2PE envelopes and online PIN blocks. */
  keys: CardDataProtector & OnlinePinEncryptor;
}

/** The state machine's side, per card read. */
export interface ReadingPorts {
  cardholder: CardholderInterface;
  authorizer: OnlineAuthorizer;
  ui: ContactlessUi;
  /**
   * Throws TransactionAbortedError when the transaction must stop (cancel, card removed, timeout,
   * tamper); called before every command to the card, so a kernel stops at its next step.
   */
  checkpoint(): void;
}

export type CvmPerformed = "online-pin" | "offline-plaintext-pin" | "offline-enciphered-pin" | "signature" | "no-cvm" | "cdcvm" | "none";

/**
 * The CVM of a contactless outcome (Book A, Outcome Parameter Set "CVM"): a confirmation code
 * verified on the phone is a Consumer Device CVM (Books C-2, C-3); "N/A" means none was performed.
 */
export function contactlessCvmPerformed(cvm: OutcomeCvm): CvmPerformed {
  switch (cvm) {
    case "online-pin": return "online-pin";
    case "obtain-signature": return "signature";
    case "confirmation-code-verified": return "cdcvm";
    case "no-cvm": return "no-cvm";
    case "n/a": return "none";
  }
}

/** A card read to the end of its transaction. */
export interface CardOutcome {
  kind: "outcome";
  cardInterface: CardInterface;
  outcome: PaymentOutcomeKind;
  cvm: CvmPerformed;
  /** The swipe stands in for a chip that failed (ISO 8583 POS entry mode 80). */
  fallback?: boolean;
  maskedPan?: string;
  tvr?: Uint8Array;
  tsi?: Uint8Array;
  cid?: number;
  arc?: string;
  envelope?: P2peEnvelope;
  pinKsn?: Uint8Array;
  /** Language the kernel chose from the card's Language Preference (Book 4, 11.1). */
  language?: string;
  apdus?: number;
  /** Why, when not approved (a rule or an error code, never card data). */
  reason?: string;
}

export type CardReadResult =
  | CardOutcome
  /** The chip did not answer or broke the protocol before an application was selected. */
  | { kind: "chip-unreadable"; reason: string; apdus: number }
  /** A swipe of a chip card whose chip has not failed: insert it (service code 2xx or 6xx). */
  | { kind: "use-chip" }
  /** Neither track 1 nor track 2 read good: swipe again. */
  | { kind: "bad-swipe" }
  /** Contactless: the card wants another interface (Book A, 6.2 "Try Another Interface"). */
  | { kind: "try-another-interface"; reason?: string }
  /** Contactless: no card stayed to the end, or more than one card: present (one) card again. */
  | { kind: "present-card-again"; reason?: string };

/** An end-application whose reason is the state machine's own abort maps back to that outcome. */
export function abortOutcome(reason: string | undefined): PaymentOutcomeKind | undefined {
  switch (reasonCode(reason)) {
    case "cancelled": return "cancelled";
    case "card-removed": return "card-removed";
    case "timeout": return "timeout";
    default: return undefined;
  }
}
