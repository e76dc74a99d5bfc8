import type { CryptoProvider } from "../crypto/provider";
import type { RandomSource } from "../../hal/random";
import type { ApduTransport } from "../iso7816/apdu";
import type { CardDataProtector } from "../security/p2pe";
import type { BitSet } from "./bits";
import type { CardholderInterface } from "./cardholder";
import { EmvDataStore } from "./data-store";
import type { EmvDate } from "./dates";
import type { MessageName } from "./messages";
import type { OdaRecord } from "./oda";
import type { OdaEnvironment, OdaState } from "./oda-environment";
import type { OnlineAuthorizer, OnlinePinBlock, OnlinePinEncryptor } from "./online";
import type { AidConfig, TerminalConfig } from "./terminal-config";
import { newTsi } from "./tsi";
import { newTvr } from "./tvr";

// The state of one EMV transaction, passed from phase to phase (openemv/emv-utils' emv_ctx_t): the
// terminal's configuration, the transaction's parameters, every data element read or set so far,
// the TVR and TSI, and what each phase decided.

/** Transaction Type '9C' values used by this reader (ISO 8583:1987 processing code, first two digits). */
export const TRANSACTION_TYPE = { goodsAndServices: 0x00, cash: 0x01, cashback: 0x09, refund: 0x20 } as const;

export interface TransactionParams {
  /** Amount, Authorised in minor units of the terminal currency. */
  amount: number;
  /** Amount, Other (cashback) in minor units; 0 when none. */
  amountOther: number;
  /** Transaction Type '9C'. */
  transactionType: number;
  /** Transaction Date '9A' (from the real-time clock). */
  date: EmvDate;
  /** Transaction Time '9F21', HHMMSS. */
  time: { hour: number; minute: number; second: number };
  /** Transaction Sequence Counter '9F41'. */
  sequenceCounter: number;
  /** Merchant forced the transaction online (Book 3, 10.6 / Annex C5 byte 4 b4). */
  merchantForcedOnline: boolean;
  /**
   * Approved amounts this terminal already logged for cards, by PAN, for the split-sale rule of
   * Book 3, 10.6.1. Optional.
   */
  transactionLog?: { pan: string; amount: number }[];
  /**
   * Quick Chip (kernel/emv/quick-chip.ts): after an ARQC the card completes at once and the
   * issuer's answer alone decides. Optional; off by default.
   */
  quickChip?: boolean;
}

/** What the kernel calls out to. All of it is injected: no globals, no singletons. */
export interface EmvKernelDeps {
  transport: ApduTransport;
  crypto: CryptoProvider;
  random: RandomSource;
  cardholder: CardholderInterface;
  authorizer: OnlineAuthorizer;
  /** Encrypts the sensitive card data for the authorization request (P2PE). */
  protector: CardDataProtector;
  /** Builds the online PIN block under the DUKPT PIN key; absent when the reader has no PIN key. */
  pinEncryptor?: OnlinePinEncryptor;
  /** CA public keys, the revocation list and the Book 2 verifications. */
  oda: OdaEnvironment;
}

/** The application chosen in final selection (Book 1, 12.4). */
export interface SelectedApplication {
  /** The DF Name '84' the card answered with. */
  dfName: Uint8Array;
  config: AidConfig;
  /** Language chosen for the cardholder (Book 4, 11.1). */
  language: string;
}

export type CvmName =
  | "online-pin"
  | "offline-plaintext-pin"
  | "offline-enciphered-pin"
  | "signature"
  | "no-cvm"
  | "none";

export interface TransactionContext {
  readonly config: TerminalConfig;
  readonly params: TransactionParams;
  readonly deps: EmvKernelDeps;
  readonly data: EmvDataStore;
  readonly tvr: BitSet;
  readonly tsi: BitSet;
  app?: SelectedApplication;
  /** AIP '82' (2 bytes) from GET PROCESSING OPTIONS. */
  aip: Uint8Array;
  /** The records the AFL marks for offline data authentication, as read (Book 3, 10.3). */
  odaRecords: OdaRecord[];
  oda: OdaState;
  /** The PDOL data sent in GET PROCESSING OPTIONS (CDA hashes it, Book 2, 6.6). */
  pdolData: Uint8Array;
  /** The CVM that decided cardholder verification, for the receipt and the phone. */
  cvm: CvmName;
  /** Signature line on the receipt (Book 3, 10.5: signature CVMs). */
  signatureRequired: boolean;
  pinBlock?: OnlinePinBlock;
  /** Messages shown, in order (the simulator reports them as "prompts"). */
  messages: MessageName[];
}

export function newContext(config: TerminalConfig, params: TransactionParams, deps: EmvKernelDeps): TransactionContext {
  return {
    config,
    params,
    deps,
    data: new EmvDataStore(),
    tvr: newTvr(),
    tsi: newTsi(),
    aip: new Uint8Array(2),
    odaRecords: [],
    oda: { method: "none" },
    pdolData: new Uint8Array(0),
    cvm: "none",
    signatureRequired: false,
    messages: [],
  };
}

/** Shows a standard message to the cardholder and remembers it. */
export function show(ctx: TransactionContext, message: MessageName): void {
  ctx.messages.push(message);
  ctx.deps.cardholder.display(message, ctx.app ? ctx.app.language : ctx.config.languages[0]);
}
