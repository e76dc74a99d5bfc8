import type { Clock } from "../../hal/clock";
import type { RandomSource } from "../../hal/random";
import type { CryptoProvider } from "../crypto/provider";
import type { CardholderInterface } from "../emv/cardholder";
import type { OdaEnvironment } from "../emv/oda-environment";
import type { OnlineAuthorizer } from "../emv/online";
import type { TransactionContext, TransactionParams } from "../emv/context";
import type { ContactlessTransport } from "../iso14443/pcd";
import type { CardDataProtector } from "../security/p2pe";
import type { OnlinePinEncryptor } from "../security/pin-block";
import type { Tlv } from "../tlv";
import type { Candidate } from "./combination-selection";
import type { ContactlessConfig } from "./config";
import type { OutcomeParameterSet } from "./outcome";
import type { ContactlessUi } from "./ui";

// What the Entry Point hands a kernel when it activates it (EMV Contactless Book B, 3.4) and what
// the kernel hands back: an Outcome (Book A, Outcome Parameter Set) with the transaction's data for the online request
// and the receipt.

/** Everything the contactless kernels call out to; injected, no globals. */
export interface ContactlessDeps {
  crypto: CryptoProvider;
  random: RandomSource;
  clock: Clock;
  ui: ContactlessUi;
  oda: OdaEnvironment;
  /** PIN entry for online PIN, after the card has left the field. */
  cardholder: CardholderInterface;
  authorizer: OnlineAuthorizer;
  protector: CardDataProtector;
  pinEncryptor?: OnlinePinEncryptor;
}

export interface KernelActivation {
  config: ContactlessConfig;
  params: TransactionParams;
  deps: ContactlessDeps;
  transport: ContactlessTransport;
  candidate: Candidate;
  /** The SELECT response data (the FCI) and its objects. */
  fci: Uint8Array;
  fciObjects: Tlv[];
}

export type OdaPerformed = "fdda" | "cda" | "none";

export interface KernelResult {
  outcome: OutcomeParameterSet;
  /** The transaction's data (card and terminal), TVR and CVM results, for the online request. */
  ctx: TransactionContext;
  /** Modeled time (clock ms) at which the card had given everything: it may leave the field. */
  cardReadAtMs?: number;
  oda: OdaPerformed;
  odaResult: "passed" | "failed" | "not-performed";
}

export interface ContactlessKernel {
  readonly kernelId: number;
  activate(activation: KernelActivation): Promise<KernelResult>;
}
