import { MposError } from "../errors";

/**
 * Why a firmware image or an update step was refused. The codes are stable: the reader sends them
 * to the phone, the SDK rejects with them, `mpos firmware verify` prints them.
 */
export type FirmwareErrorCode =
  /** The header is not a header of this format (magic, format version, lengths, reserved bytes). */
  | "fw-header"
  /** The image was signed by a key this reader does not hold (key id mismatch). */
  | "fw-key"
  /** The Ed25519 signature over the header does not verify. */
  | "fw-signature"
  /** The image is for another product. */
  | "fw-product"
  /** The image is for another hardware revision. */
  | "fw-hardware"
  /** The version is older than the anti-rollback counter allows. */
  | "fw-rollback"
  /** The image does not fit in an OTA slot. */
  | "fw-too-large"
  /** Fewer (or more) image bytes than the header announced. */
  | "fw-length"
  /** The SHA-256 of the image bytes is not the one the signed header names. */
  | "fw-hash"
  /** A chunk at an offset other than the next expected one, or of a bad size. */
  | "fw-offset"
  /** A step out of order (a chunk before begin, finish before the last byte). */
  | "fw-state"
  /** The reader restarted after the install but does not run the new image: it failed its self-tests and fell back. */
  | "fw-boot"
  /** A payment transaction is in progress (or, for a transaction, an update is). */
  | "fw-busy"
  /** A malformed key file or key (host tools). */
  | "fw-key-file"
  /** A bad field for building a header (host tools: version, product). */
  | "fw-field";

/** A firmware image or update step refused. The message never contains key material. */
export class FirmwareUpdateError extends MposError {
  override readonly code: FirmwareErrorCode;
  constructor(code: FirmwareErrorCode, message: string) {
    super(code, message);
    this.name = "FirmwareUpdateError";
    this.code = code;
  }
}
