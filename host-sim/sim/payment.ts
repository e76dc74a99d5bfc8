import type { TransactionParams } from "../../kernel/emv/context";
import type { P2peEnvelope } from "../../kernel/security/p2pe";
import type { CvmPerformed } from "../../kernel/transaction/card-reading";

// One payment of the simulator's reference run (`mpos sim run` without --engine, the phone's
// scripted engine, the fuzz targets): the kernels driven directly, interface by interface, without
// the reader's state machine (the firmware runs kernel/transaction), and its result: never card
// data in clear - the masked PAN, non-sensitive EMV results and the P2PE envelope only.

export type PaymentInterface = "contact" | "magstripe" | "contactless";

/** The transaction's parameters (kernel/emv/context.ts) and the interface it runs on. */
export interface PaymentRequest extends Pick<TransactionParams,
    "amount" | "amountOther" | "transactionType" | "date" | "time" | "sequenceCounter" | "merchantForcedOnline"> {
  interface: PaymentInterface;
}

/** The EMV kernels' parameters of a request (EMV Book 3, Annex A: 9F02, 9F03, 9C, 9A, 9F21, 9F41). */
export function transactionParamsOf(request: PaymentRequest): TransactionParams {
  return {
    amount: request.amount,
    amountOther: request.amountOther,
    transactionType: request.transactionType,
    date: request.date,
    time: request.time,
    sequenceCounter: request.sequenceCounter,
    merchantForcedOnline: request.merchantForcedOnline,
  };
}

export type PaymentOutcome =
  | "approved"
  | "declined"
  | "online-approved"
  | "online-declined"
  /** The chip could not be read: EMV Book 4 leaves fallback to the stripe to the payment systems. */
  | "fallback-to-magstripe"
  /** A chip card was swiped while its chip works (ISO/IEC 7813 service code 2xx/6xx). */
  | "insert-card"
  | "end-application"
  | "cancelled"
  | "timeout"
  /** Contactless outcomes (EMV Contactless Book A, 6.2): another interface, two cards, the card left, none came. */
  | "try-another-interface"
  | "collision"
  | "present-card-again"
  | "no-card";

/** "cdcvm": the phone verified its user (Consumer Device CVM, EMV Contactless Book C-2/C-3). */
export type PaymentCvm = CvmPerformed;

export interface PaymentResult {
  outcome: PaymentOutcome;
  cvm: PaymentCvm;
  maskedPan?: string;
  /** Terminal Verification Results (95) and Transaction Status Information (9B). */
  tvr?: Uint8Array;
  tsi?: Uint8Array;
  /** Cryptogram Information Data (9F27) of the final GENERATE AC. */
  cid?: number;
  /** Authorisation Response Code (8A). */
  arc?: string;
  envelope?: P2peEnvelope;
  /** Why it ended, for end-application and fallback: an error code and rule, never card data. */
  reason?: string;
  /** A contactless payment's kernel (2: C-2, 3: C-3), technology, ODA, Entry Point restarts and its end on the reader's clock. */
  contactless?: {
    kernel?: 2 | 3;
    technology?: "A" | "B";
    oda?: "fdda" | "cda";
    odaResult?: "passed" | "failed" | "not-performed";
    restarts: number;
    modeledMs: number;
  };
}
