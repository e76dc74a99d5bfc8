import { MposError } from "../errors";

// Typed errors of the security core. Every message names a length, a field or a rule, never the
// bytes: no key, KSN-derived key, PIN, PAN or track data ever appears in a message (ARCHITECTURE.md,
// "Security rules"). A business outcome is not an error: these are all bad input, a used-up key or
// a device that must not transact.

/**
 * A key of the wrong length or type for the operation, or a working key stronger than the key it
 * would be derived from. Code "key-length" or "key-type".
 */
export class KeyError extends MposError {
  constructor(code: "key-length" | "key-type", message: string) {
    super(code, message);
    this.name = "KeyError";
  }
}

/**
 * A DUKPT input that cannot be used: a KSN of the wrong size ("dukpt-ksn"), a transaction counter
 * that no device can reach ("dukpt-counter"), a device state that is not well formed
 * ("dukpt-state").
 */
export class DukptError extends MposError {
  constructor(code: "dukpt-ksn" | "dukpt-counter" | "dukpt-state", message: string) {
    super(code, message);
    this.name = "DukptError";
  }
}

/**
 * The device has used every transaction counter its DUKPT key allows (ANSI X9.24-3:2017, 6.5.2;
 * X9.24-1:2009, A.2 "New Key-4"): it must cease operation with that key until a new initial key
 * is loaded. Code "dukpt-exhausted".
 */
export class DukptExhaustedError extends MposError {
  constructor(message: string) {
    super("dukpt-exhausted", message);
    this.name = "DukptExhaustedError";
  }
}

/**
 * A PIN, PAN or PIN block that breaks a rule of ISO 9564-1:2017. Codes: "pin" (length or digits),
 * "pan" (length or digits), "pin-block" (a block that does not decode), "pin-block-format" (an
 * unknown format or a missing input), "random" (the random source gives no usable fill).
 */
export class PinBlockError extends MposError {
  constructor(code: "pin" | "pan" | "pin-block" | "pin-block-format" | "random", message: string) {
    super(code, message);
    this.name = "PinBlockError";
  }
}

/**
 * A TR-31 / ANSI X9.143 key block that must not be used. Codes: "tr31-version" (unknown or
 * unsupported version), "tr31-length" (the length field disagrees with the block), "tr31-header"
 * (a header field out of its alphabet), "tr31-optional-block" (truncated or malformed), "tr31-mac"
 * (authentication failed), "tr31-key" (the decrypted key length is impossible), "tr31-kbpk"
 * (the protection key does not fit the version).
 */
export class KeyBlockError extends MposError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "KeyBlockError";
  }
}

/**
 * A P2PE envelope that must not be opened: unknown scheme, wrong sizes ("p2pe-format"), or a MAC
 * that does not verify ("p2pe-mac").
 */
export class EnvelopeError extends MposError {
  constructor(code: "p2pe-format" | "p2pe-mac", message: string) {
    super(code, message);
    this.name = "EnvelopeError";
  }
}

/**
 * The key store cannot serve the request: no key in the slot ("no-key"), a stored record that
 * fails its check in both copies ("keystore-corrupt"), a key block for the wrong slot or usage
 * ("keystore-usage").
 */
export class KeyStoreError extends MposError {
  constructor(code: "no-key" | "keystore-corrupt" | "keystore-usage", message: string) {
    super(code, message);
    this.name = "KeyStoreError";
  }
}

/**
 * A tamper event erased the keys: the reader refuses every cryptographic service until a key
 * block protection key and new keys are loaded (PCI PTS POI, A1: tamper response). Code "tampered".
 */
export class TamperedError extends MposError {
  constructor(message = "security: the reader was tampered with; its keys are erased until it is re-keyed") {
    super("tampered", message);
    this.name = "TamperedError";
  }
}
