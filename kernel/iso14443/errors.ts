import { InputError, MposError } from "../errors";

// Errors of the contactless interface, level 1 (ISO/IEC 14443-3/-4; EMV Contactless Book D, exception
// processing of the half-duplex protocol, names the three kinds the PCD tells apart). Each ends an exchange with the card once the
// retransmissions allowed are spent; the contactless kernels turn them into an outcome (Entry Point
// "Try Again": the card left the field or the tap was too short), never an uncaught exception.
// Messages name the rule that failed, never the content of a frame (it may carry a PAN).

/** No answer within the frame waiting time, after the retransmissions (Book D: a timeout error). */
export class RfTimeoutError extends MposError {
  constructor(message: string) {
    super("rf-timeout", message);
    this.name = "RfTimeoutError";
  }
}

/** Frames kept arriving damaged (CRC, parity, framing): Book D: a "transmission error". */
export class RfTransmissionError extends MposError {
  constructor(message: string) {
    super("rf-transmission", message);
    this.name = "RfTransmissionError";
  }
}

/** The PICC broke the protocol (an invalid block, a wrong block number, a bad ATS): "protocol error". */
export class RfProtocolError extends MposError {
  constructor(message: string) {
    super("rf-protocol", message);
    this.name = "RfProtocolError";
  }
}

/** A frame given to a decoder from outside (CLI, tests) is not the frame it claims to be. */
export class RfFrameError extends InputError {
  constructor(message: string) {
    super("rf-frame", message);
    this.name = "RfFrameError";
  }
}

/** The codes above, for callers that branch on `code`. */
export const RF_ERROR_CODES: readonly string[] = ["rf-timeout", "rf-transmission", "rf-protocol"];

/** True for an error of the contactless line (the card left the field or misbehaved at level 1). */
export function isRfError(e: unknown): e is MposError {
  return e instanceof MposError && RF_ERROR_CODES.indexOf(e.code) >= 0;
}
