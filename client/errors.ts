import { MposError } from "../kernel/errors";
import type { StatusName } from "../kernel/protocol/status";

// The SDK's typed errors. A declined or cancelled payment is not an error: it is the outcome of the
// transaction. These are for what stops the SDK from getting an answer at all.

/** The reader answered a request with a status other than ok. `status` is the protocol's name. */
export class ReaderStatusError extends MposError {
  readonly status: StatusName;
  /** Pairing attempts left, on a wrong pairing code. */
  readonly attemptsLeft?: number;
  constructor(status: StatusName, request: string, attemptsLeft?: number) {
    super(`reader-${status}`, `reader: ${request} refused with status ${status}`);
    this.name = "ReaderStatusError";
    this.status = status;
    if (attemptsLeft !== undefined) this.attemptsLeft = attemptsLeft;
  }
}

/**
 * The connection cannot be used. Codes: "not-connected", "disconnected", "timeout" (no answer in
 * time), "link-security" (the link could not be encrypted), "reader-identity" (the reader's
 * certificate or signature did not verify: it may not be a genuine reader), "not-paired" (the SDK
 * has no bond with this reader and must pair first).
 */
export type ConnectionErrorCode = "not-connected" | "disconnected" | "timeout" | "link-security" | "reader-identity" | "not-paired";

export class ConnectionError extends MposError {
  constructor(code: ConnectionErrorCode, message: string) {
    super(code, message);
    this.name = "ConnectionError";
  }
}
