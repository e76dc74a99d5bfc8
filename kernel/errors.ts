// The kernel's error taxonomy (STYLE.md, after openemv/emv-utils):
// - an input from outside that is malformed (hex from the CLI, a TLV from a card, a frame from BLE)
//   is a typed MposError subclass with a stable `code` the caller can branch on;
// - a normal business outcome (declined, card removed) is data, never an exception;
// - a bug is a plain Error.
// Messages never contain a PAN, track data, a PIN or key material.

export class MposError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "MposError";
    this.code = code;
  }
}

/** Malformed input at the edge: hex strings, lengths, ranges. */
export class InputError extends MposError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "InputError";
  }
}

/** A read or write past the end of a buffer that came from outside. */
export class BoundsError extends MposError {
  constructor(message: string) {
    super("bounds", message);
    this.name = "BoundsError";
  }
}
