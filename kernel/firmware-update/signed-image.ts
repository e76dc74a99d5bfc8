import { sha256 } from "@noble/hashes/sha2.js";
import { constantTimeEqual, view } from "../bytes";
import { FirmwareUpdateError } from "./errors";
import { PREAMBLE_LENGTH, type ImageHeader } from "./image-header";
import { checkImagePolicy, type ImagePolicy } from "./image-policy";
import { verifyPreamble } from "./signature";

// A whole signed image in memory (header || signature || image), as the release tools and the phone
// hold it. The reader never has it in one piece: it checks the preamble at begin and the hash over
// the OTA slot at finish (update-service.ts), with the same rules.

export interface SignedImageParts {
  preamble: Uint8Array;
  image: Uint8Array;
}

/** Splits without checking anything but the minimum length. Views, not copies. */
export function splitSignedImage(signed: Uint8Array): SignedImageParts {
  if (!(signed instanceof Uint8Array) || signed.length < PREAMBLE_LENGTH) {
    throw new FirmwareUpdateError("fw-header", `image: shorter than the ${PREAMBLE_LENGTH}-byte header and signature`);
  }
  return { preamble: view(signed, 0, PREAMBLE_LENGTH), image: view(signed, PREAMBLE_LENGTH, signed.length - PREAMBLE_LENGTH) };
}

/** The image bytes against the signed header: length first, then SHA-256 (compared in constant time). */
export function checkImageBytes(header: ImageHeader, image: Uint8Array): void {
  if (image.length !== header.imageLength) {
    throw new FirmwareUpdateError("fw-length",
      `image: ${image.length} bytes where the header announces ${header.imageLength} (truncated or padded)`);
  }
  if (!constantTimeEqual(sha256(image), header.imageHash)) {
    throw new FirmwareUpdateError("fw-hash", "image: the SHA-256 of the image is not the one the signed header names");
  }
}

/**
 * Every check of a signed image: structure, key id, signature, then (with a policy) product,
 * hardware, anti-rollback and size, then length and hash. Returns the trusted header.
 */
export function verifySignedImage(signed: Uint8Array, publicKey: Uint8Array, policy?: ImagePolicy): ImageHeader {
  const { preamble, image } = splitSignedImage(signed);
  const { header } = verifyPreamble(preamble, publicKey);
  if (policy !== undefined) checkImagePolicy(header, policy);
  checkImageBytes(header, image);
  return header;
}
