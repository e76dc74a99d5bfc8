import { MposError } from "../../errors";

/**
 * A bad argument to an EMV Book 2 symmetric function: a key, ATC, cryptogram or PAN of the wrong
 * length or form. Messages name the element and the rule, never its value.
 * Code: "emv-crypto".
 */
export class EmvCryptoError extends MposError {
  constructor(message: string) {
    super("emv-crypto", message);
    this.name = "EmvCryptoError";
  }
}

export function requireLength(bytes: unknown, lengths: readonly number[], what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new EmvCryptoError(`${what}: expected bytes`);
  if (lengths.indexOf(bytes.length) < 0) {
    throw new EmvCryptoError(`${what}: ${bytes.length} bytes, expected ${lengths.join(" or ")}`);
  }
}
