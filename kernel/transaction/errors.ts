import { MposError } from "../errors";

// Errors of the payment layer. Business outcomes (cancelled, card removed, timed out, declined)
// are data in the transaction's result; these are for what comes from outside malformed (a
// configuration, a stored journal record, a scenario) and for stopping a card kernel in mid-flight.

export type TransactionErrorCode = "transaction-config" | "journal-corrupt" | "journal-version" | "journal-full" | "transaction-request";

/** Malformed input to the payment layer: configuration, request, or a stored record that fails its checks. */
export class TransactionError extends MposError {
  constructor(code: TransactionErrorCode, message: string) {
    super(code, message);
    this.name = "TransactionError";
  }
}

/**
 * Thrown into a card kernel (from the APDU transport or the online port) when the transaction must
 * stop: the cardholder or the phone cancelled, the card left, a timeout ran out, the reader was
 * tampered with. The kernels end their transaction on any MposError with its code as the reason.
 */
export class TransactionAbortedError extends MposError {
  constructor(code: "cancelled" | "card-removed" | "timeout" | "tampered", message: string) {
    super(code, message);
    this.name = "TransactionAbortedError";
  }
}
