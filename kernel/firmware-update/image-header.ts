import { concat, readUint, view, writeUint } from "../bytes";
import { FirmwareUpdateError } from "./errors";
import type { FirmwareVersion } from "./version";

// The header of a reader firmware image. A signed image is
//
//   header (80 bytes) || Ed25519 signature over the header (64 bytes) || image (header.imageLength bytes)
//
// The header binds the image through its SHA-256, so the signature covers everything, and the
// reader can refuse a wrong product, an older version or a foreign key from the first 144 bytes,
// before a single image byte crosses the link. All integers are big-endian.
//
//   offset  length  field
//        0       4  magic "MPFW"
//        4       1  header format, 1
//        5       1  signature algorithm, 1 = Ed25519 (RFC 8032, 5.1: PureEdDSA, no context)
//        6       2  header length, 80
//        8      16  product: printable ASCII without spaces, NUL-padded on the right
//       24       2  hardware revision
//       26       6  version: major, minor, patch, 2 bytes each
//       32       4  image length in bytes
//       36      32  SHA-256 of the image (FIPS 180-4, 6.2)
//       68       8  key id: the first 8 bytes of SHA-256 of the signing public key
//       76       4  reserved, zero (a reader of format 1 refuses anything else)

export const HEADER_MAGIC = Uint8Array.of(0x4d, 0x50, 0x46, 0x57); // "MPFW"
export const HEADER_FORMAT = 1;
export const SIGNATURE_ED25519 = 1;
export const HEADER_LENGTH = 80;
export const SIGNATURE_LENGTH = 64;
/** Header and signature: what the phone sends in the begin message. */
export const PREAMBLE_LENGTH = HEADER_LENGTH + SIGNATURE_LENGTH;
export const PRODUCT_LENGTH = 16;
export const KEY_ID_LENGTH = 8;
const HASH_LENGTH = 32;

export interface ImageHeader {
  product: string;
  hardwareRevision: number;
  version: FirmwareVersion;
  imageLength: number;
  /** SHA-256 of the image bytes. */
  imageHash: Uint8Array;
  /** First 8 bytes of SHA-256 of the signing public key. */
  keyId: Uint8Array;
}

/** A printable ASCII character other than space (0x21 to 0x7E). */
function isProductChar(c: number): boolean {
  return c >= 0x21 && c <= 0x7e;
}

function encodeProduct(product: string): Uint8Array {
  if (typeof product !== "string" || product.length === 0 || product.length > PRODUCT_LENGTH) {
    throw new FirmwareUpdateError("fw-field", `product: 1 to ${PRODUCT_LENGTH} characters`);
  }
  const out = new Uint8Array(PRODUCT_LENGTH);
  for (let i = 0; i < product.length; i++) {
    const c = product.charCodeAt(i);
    if (!isProductChar(c)) throw new FirmwareUpdateError("fw-field", "product: printable ASCII without spaces only");
    out[i] = c;
  }
  return out;
}

function decodeProduct(field: Uint8Array): string {
  let end = field.indexOf(0);
  if (end < 0) end = field.length;
  if (end === 0) throw new FirmwareUpdateError("fw-header", "header: empty product");
  let text = "";
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (i < end ? !isProductChar(c) : c !== 0) {
      throw new FirmwareUpdateError("fw-header", "header: product is not NUL-padded printable ASCII");
    }
    if (i < end) text += String.fromCharCode(c);
  }
  return text;
}

function uint(value: number, length: number, what: string): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** (8 * length)) {
    throw new FirmwareUpdateError("fw-field", `${what}: out of range`);
  }
  return writeUint(value, length);
}

/** The 80 header bytes, the exact input of the signature. */
export function encodeImageHeader(h: ImageHeader): Uint8Array {
  if (!(h.imageHash instanceof Uint8Array) || h.imageHash.length !== HASH_LENGTH) {
    throw new FirmwareUpdateError("fw-field", "image hash: 32 bytes");
  }
  if (!(h.keyId instanceof Uint8Array) || h.keyId.length !== KEY_ID_LENGTH) {
    throw new FirmwareUpdateError("fw-field", "key id: 8 bytes");
  }
  return concat(
    HEADER_MAGIC,
    Uint8Array.of(HEADER_FORMAT, SIGNATURE_ED25519),
    writeUint(HEADER_LENGTH, 2),
    encodeProduct(h.product),
    uint(h.hardwareRevision, 2, "hardware revision"),
    uint(h.version.major, 2, "version major"),
    uint(h.version.minor, 2, "version minor"),
    uint(h.version.patch, 2, "version patch"),
    uint(h.imageLength, 4, "image length"),
    h.imageHash,
    h.keyId,
    new Uint8Array(4),
  );
}

/**
 * Reads the 80 header bytes. Structure only: a header that decodes is not yet trusted, its
 * signature is checked next (signature.ts) before any field is acted on.
 */
export function decodeImageHeader(bytes: Uint8Array): ImageHeader {
  if (!(bytes instanceof Uint8Array) || bytes.length !== HEADER_LENGTH) {
    throw new FirmwareUpdateError("fw-header", `header: expected ${HEADER_LENGTH} bytes`);
  }
  for (let i = 0; i < HEADER_MAGIC.length; i++) {
    if (bytes[i] !== HEADER_MAGIC[i]) throw new FirmwareUpdateError("fw-header", "header: not a reader firmware image (magic)");
  }
  if (bytes[4] !== HEADER_FORMAT) throw new FirmwareUpdateError("fw-header", `header: format ${bytes[4]} is not supported`);
  if (bytes[5] !== SIGNATURE_ED25519) {
    throw new FirmwareUpdateError("fw-header", `header: signature algorithm ${bytes[5]} is not supported`);
  }
  if (readUint(view(bytes, 6, 2)) !== HEADER_LENGTH) throw new FirmwareUpdateError("fw-header", "header: bad header length");
  if (readUint(view(bytes, 76, 4)) !== 0) throw new FirmwareUpdateError("fw-header", "header: reserved bytes are not zero");
  return {
    product: decodeProduct(view(bytes, 8, PRODUCT_LENGTH)),
    hardwareRevision: readUint(view(bytes, 24, 2)),
    version: {
      major: readUint(view(bytes, 26, 2)),
      minor: readUint(view(bytes, 28, 2)),
      patch: readUint(view(bytes, 30, 2)),
    },
    imageLength: readUint(view(bytes, 32, 4)),
    imageHash: bytes.slice(36, 36 + HASH_LENGTH),
    keyId: bytes.slice(68, 68 + KEY_ID_LENGTH),
  };
}
