import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { constantTimeEqual, view } from "../bytes";
import { buildBaseTable } from "../crypto/base-point-table";
import { FirmwareUpdateError } from "./errors";
import {
  decodeImageHeader, HEADER_LENGTH, KEY_ID_LENGTH, PREAMBLE_LENGTH, SIGNATURE_LENGTH, type ImageHeader,
} from "./image-header";

// The firmware signature: Ed25519 (RFC 8032, 5.1) over the 80 header bytes, by the firmware
// signing key. The reader holds only the public key (32 bytes, RFC 8032 5.1.5).

export const PUBLIC_KEY_LENGTH = 32;

// The table of B (RFC 8032, 5.1) for [S]B in every verification, built at load (flash on the device).
buildBaseTable(ed25519.Point.BASE);

/** RFC 8032 5.1.5: an Ed25519 public key is 32 bytes. */
export function checkPublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new FirmwareUpdateError("fw-key-file", `public key: expected ${PUBLIC_KEY_LENGTH} bytes`);
  }
}

/** The key id the header names: the first 8 bytes of SHA-256 of the public key. */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  checkPublicKey(publicKey);
  return sha256(publicKey).slice(0, KEY_ID_LENGTH);
}

/**
 * RFC 8032 5.1.7, with the strict checks (zip215 off): S < L and canonical encodings of R and A,
 * so one image has exactly one valid signature. False for any malformed signature.
 */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_LENGTH || publicKey.length !== PUBLIC_KEY_LENGTH) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false }) === true;
  } catch {
    return false;
  }
}

/** A header whose signature verified under the reader's key: its fields may now be acted on. */
export interface SignedHeader {
  header: ImageHeader;
  /** The 144 bytes header || signature, as received (kept to resume and to check again). */
  preamble: Uint8Array;
}

/**
 * Checks the 144-byte preamble: header structure, then the key id, then the signature. Throws
 * fw-header, fw-key or fw-signature.
 */
export function verifyPreamble(preamble: Uint8Array, publicKey: Uint8Array): SignedHeader {
  checkPublicKey(publicKey);
  if (!(preamble instanceof Uint8Array) || preamble.length !== PREAMBLE_LENGTH) {
    throw new FirmwareUpdateError("fw-header", `image: expected a ${PREAMBLE_LENGTH}-byte header and signature`);
  }
  const headerBytes = view(preamble, 0, HEADER_LENGTH);
  const header = decodeImageHeader(headerBytes);
  if (!constantTimeEqual(header.keyId, keyIdOf(publicKey))) {
    throw new FirmwareUpdateError("fw-key", "image: signed by a key this reader does not trust");
  }
  if (!ed25519Verify(view(preamble, HEADER_LENGTH, SIGNATURE_LENGTH), headerBytes, publicKey)) {
    throw new FirmwareUpdateError("fw-signature", "image: the signature does not verify");
  }
  return { header, preamble: preamble.slice() };
}
