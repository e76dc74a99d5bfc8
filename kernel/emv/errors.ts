import { MposError } from "../errors";

// The EMV kernel's errors, kept apart as openemv/emv-utils keeps them (STYLE.md):
// - CardDataError: the card said something the terminal cannot accept (malformed or missing data,
//   a status word a command must not return). EMV Book 3 says "terminate the transaction" for
//   these; the kernel turns them into an "end-application" outcome, never an uncaught exception.
// - EmvConfigError: the terminal's own configuration is wrong, found when it is loaded.
// - a plain Error is a bug.
// Messages name the data element and the rule, never its value (a PAN, track data, a PIN block).

export class CardDataError extends MposError {
  constructor(message: string) {
    super("card-data", message);
    this.name = "CardDataError";
  }
}

export class EmvConfigError extends MposError {
  constructor(message: string) {
    super("emv-config", message);
    this.name = "EmvConfigError";
  }
}
